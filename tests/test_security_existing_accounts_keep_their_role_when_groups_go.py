"""Upgrading: each account keeps the role its group gave it, as a field of its profile, and the role
groups are gone with their permissions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE, AFTER = [("evaluations", "0009_evaluation_unit_required")], [("evaluations", "0010_profile_role")]


@pytest.mark.django_db(transaction=True)
def test_group_members_become_profiles_with_that_role():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Group, User = old.get_model("auth", "Group"), old.get_model("auth", "User")
    Profile, Department = old.get_model("evaluations", "Profile"), old.get_model("evaluations", "Department")
    department = Department.objects.create(name="上海市科学技术委员会")
    reviewer = User.objects.create(username="reviewer")
    reviewer.groups.add(Group.objects.get_or_create(name="审核人")[0])
    Profile.objects.create(user=reviewer, department=department)
    auditor = User.objects.create(username="auditor")  # no profile before
    auditor.groups.add(Group.objects.get_or_create(name="审计员")[0])
    Group.objects.create(name="其他组")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Profile, Group = new.get_model("evaluations", "Profile"), new.get_model("auth", "Group")
    assert dict(Profile.objects.values_list("user__username", "role")) == {"reviewer": "reviewer", "auditor": "auditor"}
    assert Profile.objects.get(user__username="reviewer").department.name == "上海市科学技术委员会"
    assert list(Group.objects.values_list("name", flat=True)) == ["其他组"]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
