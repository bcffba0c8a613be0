from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from importer import parsing, sources


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.txt,.xlsx,application/pdf,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="自评表文件",
        help_text="可多选。支持自评表 PDF（.pdf）、文本文件（.txt，UTF-8 / GB18030 / UTF-16，如从 PDF 或 Word 复制出的文字）和 Excel 工作簿（.xlsx）。",
        error_messages={"required": "请选择要导入的文件。"},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit, size_limit = settings.ZPB_UPLOAD_MAX_FILES, settings.ZPB_UPLOAD_MAX_BYTES
        if len(files) > limit:
            raise forms.ValidationError(f"一次最多上传 {limit} 个文件，您选择了 {len(files)} 个。")
        contents = []
        for upload in files:
            if upload.size > size_limit:
                raise forms.ValidationError(
                    f"文件“{upload.name}”大小为 {filesizeformat(upload.size)}，超过上限 {filesizeformat(size_limit)}。"
                )
            data = upload.read()
            if not data.strip():
                raise forms.ValidationError(f"文件“{upload.name}”是空的。")
            try:
                sources.check_readable(data)
            except parsing.ParseError as error:
                raise forms.ValidationError(f"文件“{upload.name}”不是 PDF、文本文件或 .xlsx 工作簿：{error}")
            contents.append((upload.name, data))
        return contents
