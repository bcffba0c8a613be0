"""Template helpers: role checks for the navigation (`{% if user|can_review %}`) and people's names."""

from django import template

from evaluations import access, flag_help

register = template.Library()

register.filter("can_review", access.can_review)
register.filter("can_audit", access.can_audit)
register.filter("can_oversee", access.can_oversee)


@register.filter
def person(user):
    """A Chinese name reads family name first (李审核); without a name, the username; without a user, 系统."""
    if user is None:
        return "系统"
    return f"{user.last_name}{user.first_name}" or user.username


@register.filter
def flag_title(code):
    """A flag's short Chinese title (flag_help), the words staff see instead of its code."""
    return flag_help.help_for(code).title
