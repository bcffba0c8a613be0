"""Every URL that names an object, tried by everyone outside that object's scope: other units' staff, another
department's reviewer, the auditor (read-only), the administrator. They get 404 (403 where their role is refused
outright, 405 for the wrong method), never another unit's data, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from importer.models import StagedImport
from targets.models import TargetTable
from tests import factory
from tests.targets_factory import make_table
from tests.whole_site import site_url, site_url_names, snapshot

pytestmark = pytest.mark.django_db
REFUSED = {403, 404, 405}
SECRET_NAME = "甲一单位的保密项目"


@pytest.fixture
def world():
    """Two departments of two units each, an evaluation, an approved target table and the staff's staged imports in
    every unit."""
    people, evaluations, imports = {}, {}, {}
    for d in ("甲", "乙"):
        department = factory.make_department(f"{d}部门")
        people[f"reviewer {d}"] = factory.make_reviewer(f"reviewer_{d}", department=department)
        for u in ("一", "二"):
            unit = factory.make_unit(f"{d}{u}单位", department)
            key = f"{d}{u}"
            staff = people[f"staff {key}"] = factory.make_staff(f"staff_{key}", unit=unit)
            name = SECRET_NAME if key == "甲一" else f"{key}的项目"
            evaluations[key] = factory.make_submitted_evaluation(project=factory.make_project(name, unit))
            evaluations[key].target_table = make_table(project=evaluations[key].project, year=2023,
                                                       status=TargetTable.Status.APPROVED)
            imports[key] = {
                "pending": StagedImport.objects.create(created_by=staff),
                "done": StagedImport.objects.create(created_by=staff, completed_at="2026-01-01T00:00:00Z",
                                                    result={"documents": [{"written": evaluations[key].pk, "project_name": name,
                                                                       "unit": unit.name, "year": 2023, "file": "a.txt",
                                                                       "lines": [1, 2], "outcome": "created", "message": ""}],
                                                            "errors": []}),
            }
    people["auditor"] = factory.make_auditor()
    people["administrator"] = factory.make_administrator()
    return people, evaluations, imports


OBJECT_URLS = sorted(name for name, arguments in site_url_names().items() if arguments)
READ_ONLY_FOR_AUDITORS = {"evaluation_detail", "evaluation_export", "evaluation_report", "evaluation_print", "evaluation_pdf"}
# Pages an auditor reads but whose POST is refused to them (staff's save, or a page that answers only GET).
READ_BY_AUDITORS = {"target_table", "monitoring_entry", "target_export", "project_years"}


def target_url(name, evaluations, imports):
    """The URL `name` for unit 甲一's object."""
    return site_url(name, evaluations["甲一"], imports["甲一"]["done" if name == "import_result" else "pending"])


OUTSIDERS = ["staff 甲二", "staff 乙一", "reviewer 乙", "administrator", "auditor"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_no_other_units_object(world, outsider):
    people, evaluations, imports = world
    client = Client(raise_request_exception=False)
    client.force_login(people[outsider])
    before = snapshot()
    for name in OBJECT_URLS:
        url = target_url(name, evaluations, imports)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"version": 1, "comment": "越权", "text": "越权"} if method == "post" else {})
            if outsider == "auditor" and (name in READ_ONLY_FOR_AUDITORS or (name in READ_BY_AUDITORS and method == "get")):
                assert response.status_code == 200, (name, method)  # these pages only read, whatever the method
            else:
                assert response.status_code in REFUSED, (name, method, response.status_code)
                assert SECRET_NAME.encode() not in response.content, (name, method)
    assert snapshot() == before


def test_the_objects_own_people_do_get_them(world):
    """The positive side, so the refusals above are about scope and not broken URLs."""
    people, evaluations, imports = world
    client = Client()
    expected = {
        "staff 甲一": {"evaluation_detail", "evaluation_entry", "evaluation_export", "evaluation_print", "evaluation_pdf",
                       "import_preview", "import_result", "evaluation_report", "report_texts",
                       "target_table", "target_export", "monitoring_entry", "project_years", "evaluation_target_reasons"},
        "reviewer 甲": {"evaluation_detail", "evaluation_export", "evaluation_print", "evaluation_pdf", "review_evaluation",
                        "evaluation_report", "report_texts", "spot_check",
                        "target_table", "target_export", "monitoring_entry", "project_years"},
    }
    for person, names in expected.items():
        client.force_login(people[person])
        got = {name for name in OBJECT_URLS if client.get(target_url(name, evaluations, imports)).status_code == 200}
        assert got == names, person


@pytest.mark.parametrize("outsider", ["staff 甲二", "staff 乙一", "reviewer 乙", "administrator"])
def test_ids_in_a_batch_download_are_left_out_when_not_the_users(client, world, outsider):
    people, evaluations, _ = world
    client.force_login(people[outsider])
    secret = evaluations["甲一"].pk
    for response in (client.get(reverse("evaluations_export"), {"ids": str(secret)}),
                     client.post(reverse("evaluations_export"), {"evaluation": [secret]})):
        assert response.status_code == 302  # back, with "没有可导出的自评表"
        assert SECRET_NAME.encode() not in response.content


def test_a_reviewer_cannot_filter_the_queue_into_another_department(client, world):
    people, evaluations, _ = world
    client.force_login(people["reviewer 乙"])
    unit = evaluations["甲一"].project.unit
    for name in ("review_queue", "dashboard"):
        response = client.get(reverse(name), {"unit": unit.pk, "q": "保密"})
        assert response.status_code == 200 and SECRET_NAME not in response.content.decode()


def test_an_unknown_id_is_a_404_not_a_500(world):
    people, _, _ = world
    client = Client(raise_request_exception=False)
    client.force_login(people["reviewer 甲"])
    for name in OBJECT_URLS:
        for missing in (0, 999999, 2**31 + 1):
            url = reverse(name, kwargs=dict.fromkeys(site_url_names()[name], missing))
            assert client.get(url).status_code in REFUSED, (name, missing)
