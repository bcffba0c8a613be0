from importer.access import can_import


def importer_nav(request):
    return {"can_import": can_import(request.user)}
