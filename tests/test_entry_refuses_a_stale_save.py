"""Two people save the same version: the second is refused in Chinese, keeps their input on screen,
and overwrites nothing. On PostgreSQL the row lock holds under real concurrency."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from evaluations import entry
from evaluations.models import Evaluation, WorkflowEvent, scoring_rules
from tests import factory



def figures_named(name):
    figures = factory.clean_figures()
    figures.indicators[0].name = name
    return figures


@pytest.mark.django_db
def test_the_second_save_of_a_stale_page_is_refused_and_keeps_its_input(client):
    evaluation = factory.make_evaluation()
    url = reverse("evaluation_entry", args=[evaluation.pk])
    first, second = factory.make_staff("first"), factory.make_staff("second")
    loaded_version = evaluation.version  # both opened the page at this version

    client.force_login(first)
    assert client.post(url, factory.entry_form_data(figures_named("第一位的修改"), loaded_version)).status_code == 302
    client.force_login(second)
    response = client.post(url, factory.entry_form_data(figures_named("第二位的修改"), loaded_version, goal_actual="第二位写的完成情况"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "已被他人修改并保存" in page
    assert "您的输入仍在下方，尚未保存" in page
    assert "第二位的修改" in page and "第二位写的完成情况" in page  # the posted form, not the stored one
    assert "第一位的修改" not in page
    assert f'name="version" value="{loaded_version}"' in page  # saving again is refused again
    evaluation.refresh_from_db()
    assert evaluation.version == loaded_version + 1
    assert evaluation.indicators.get(position=1).name == "第一位的修改"
    assert list(evaluation.events.values_list("action", "actor__username")) == [("save", "first")]


@pytest.mark.django_db
def test_save_entry_refuses_a_stale_version_and_a_submitted_form():
    staff = factory.make_staff()
    evaluation = factory.make_evaluation()
    args = (factory.clean_figures(), "", "", staff)
    with pytest.raises(entry.StaleVersion):
        entry.save_entry(evaluation, evaluation.version + 1, *args)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.SUBMITTED)
    with pytest.raises(entry.EntryRefused, match="已提交，不能再修改"):
        entry.save_entry(evaluation, evaluation.version, *args)
    assert not WorkflowEvent.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version_make_exactly_one_write():
    staff = factory.make_staff()
    evaluation = factory.make_evaluation()
    version = evaluation.version
    figures = entry.declare_computed(factory.clean_figures(), scoring_rules())
    first_holds_the_lock = threading.Event()
    outcome = {}

    def first():
        # Saves, then keeps its transaction (and the row lock) open a moment before committing.
        with transaction.atomic():
            entry.save_entry(evaluation, version, figures, "第一位", "", staff)
            first_holds_the_lock.set()
            time.sleep(0.5)
        connections.close_all()

    def second():
        first_holds_the_lock.wait()
        started = time.monotonic()
        try:
            entry.save_entry(evaluation, version, figures, "第二位", "", staff)
            outcome["second"] = "saved"
        except entry.StaleVersion:
            outcome["second"] = "stale"
        outcome["waited"] = time.monotonic() - started
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcome["second"] == "stale"
    assert outcome["waited"] > 0.3  # it waited for the first transaction's lock, then saw the new version
    evaluation.refresh_from_db()
    assert (evaluation.version, evaluation.goal_expected) == (version + 1, "第一位")
    assert evaluation.events.filter(action=WorkflowEvent.Action.SAVE).count() == 1
