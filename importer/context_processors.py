from importer.access import can_import


def importer_nav(request):
    # Requests refused before the auth middleware ran (a bad Host header: 400) have no user.
    user = getattr(request, "user", None)
    return {"can_import": user is not None and can_import(user)}
