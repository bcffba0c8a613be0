"""`{% if user|sees_targets %}`: whether the navigation offers the target tables."""

from django import template

from evaluations import roles
from evaluations.access import can_audit, can_review

register = template.Library()


@register.filter
def sees_targets(user) -> bool:
    return bool(roles.user_unit(user) and roles.has_role(user, roles.STAFF)) or can_review(user) or can_audit(user)
