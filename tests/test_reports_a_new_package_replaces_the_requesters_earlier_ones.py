"""Building a department's package again replaces the requester's earlier package of that year, its zip
included: the package folder does not grow with every rebuild. Someone else's package stays."""

import pytest
from django.urls import reverse

from reports.models import PublicationPackage
from tests import factory
from tests.reports_helpers import approved_department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def package_folder(settings, tmp_path):
    settings.ZPB_PACKAGE_ROOT = tmp_path / "packages"


def build(client, user, department):
    client.force_login(user)
    client.post(reverse("request_package"), {"department": department.pk, "year": 2023})
    return PublicationPackage.objects.filter(requested_by=user).latest("pk")


def test_a_rebuilt_package_replaces_the_earlier_one_and_its_file(client, tmp_path):
    reviewer = factory.make_reviewer(department=factory.make_department())
    department = approved_department(reviewer)[0].department
    colleague = factory.make_reviewer("reviewer2", department=department)

    first = build(client, reviewer, department)
    theirs = build(client, colleague, department)
    first_file = tmp_path / "packages" / first.file.name
    assert first.status == "done" and first_file.exists()

    second = build(client, reviewer, department)

    assert second.status == "done" and (tmp_path / "packages" / second.file.name).exists()
    assert not first_file.exists()
    assert not PublicationPackage.objects.filter(pk=first.pk).exists()
    assert client.get(reverse("package_download", args=[first.pk])).status_code == 404
    assert PublicationPackage.objects.filter(pk=theirs.pk).exists()
    assert (tmp_path / "packages" / theirs.file.name).exists()
