from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A <select> drawn in Python. Django draws each option through a template of its own, which
    costs milliseconds on a department's hundreds of units, on a page that should answer in tens."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        options = format_html_join(
            "", "<option value=\"{}\"{}>{}</option>",
            ((option, " selected" if str(option) in chosen else "", label) for option, label in self.choices),
        )
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(self.build_attrs(self.attrs, attrs)), options)
