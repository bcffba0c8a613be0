from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "文本导入"

    def ready(self):
        from importer import documents
        from importer.form_import import FORMS

        documents.register(FORMS)
