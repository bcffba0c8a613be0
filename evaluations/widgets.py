from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> drawn in Python with one escape per value and label. Django draws each option through a
    template of its own (and format_html costs about as much), which is milliseconds on a department's
    hundreds of units, on a page that should answer in tens."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>{escape(label)}</option>'
            for option, label in self.choices
        )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>{options}</select>')
