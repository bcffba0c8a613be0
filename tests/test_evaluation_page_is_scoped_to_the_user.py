"""The read-only evaluation page: anonymous → sign-in, outsiders → 404, own unit and department → 200."""

import pytest

from evaluations import roles
from tests import factory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return factory.make_sample_evaluation(factory.sample_form("技术转移合作"))


def test_anonymous_is_sent_to_sign_in(client, evaluation):
    response = client.get(evaluation.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_staff_of_another_unit_gets_404(client, evaluation):
    other_unit = factory.make_unit("上海市科学技术情报研究所")
    client.force_login(factory.make_staff("other", unit=other_unit))
    assert client.get(evaluation.get_absolute_url()).status_code == 404


def test_reviewer_of_another_department_gets_404(client, evaluation):
    client.force_login(factory.make_reviewer("other", department=factory.make_department("上海市财政局")))
    assert client.get(evaluation.get_absolute_url()).status_code == 404


def test_user_without_role_gets_404(client, evaluation):
    client.force_login(factory.make_user("nobody"))
    assert client.get(evaluation.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("make_user", [
    lambda: factory.make_staff("staff", unit=factory.make_unit()),
    lambda: factory.make_reviewer("reviewer", department=factory.make_department()),
    lambda: factory.make_user("auditor", roles.AUDITOR),
])
def test_own_unit_department_and_auditor_see_the_form_with_its_flags(client, evaluation, make_user):
    client.force_login(make_user())
    response = client.get(evaluation.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "技术转移合作" in page
    assert 'id="indicator-13" class="flagged"' in page
    assert "W_UNIT_MISSING" in page


def test_admin_permissions_follow_from_the_administrator_role_alone():
    from django.contrib.auth.models import Permission

    administrator, auditor = factory.make_administrator(), factory.make_auditor()
    assert administrator.has_perm("auth.change_user") and administrator.has_perm("evaluations.change_profile")
    assert not administrator.has_perm("auth.change_group") and not administrator.has_perm("evaluations.change_evaluation")
    assert not auditor.has_perm("auth.change_user") and not auditor.has_module_perms("auth")
    for app, codenames in roles.ADMINISTRATOR_PERMISSIONS.items():
        assert Permission.objects.filter(content_type__app_label=app, codename__in=codenames).count() == len(codenames)
