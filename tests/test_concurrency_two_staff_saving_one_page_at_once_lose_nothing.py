"""Two staff press 保存 on the same version of one draft at the same moment, through the entry page:
one save lands, the other waits for its row lock and gets the stale-page conflict with their own input
still on screen. Nothing is lost. Real threads, real PostgreSQL locks (tests/test_entry_refuses_a_stale_save.py
covers the same rule one save after the other, and under save_entry directly)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests import factory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; it serialises writers anyway"),
    pytest.mark.django_db(transaction=True),
]

HOLD = 0.5
TYPED = {  # what each of them typed: an indicator name and the 实际完成情况
    "li": ("李改的指标名称", "李写的完成情况"),
    "zhang": ("张改的指标名称", "张写的完成情况"),
}


def page_data(name, version):
    figures = factory.clean_figures()
    figures.indicators[0].name, goal_actual = TYPED[name]
    return factory.entry_form_data(figures, version, goal_actual=goal_actual)


def test_two_simultaneous_saves_of_one_page_keep_the_winners_data_and_give_the_loser_their_input(monkeypatch):
    # The save that locks the row first keeps its transaction open a moment after writing its event.
    factory.pause_after(monkeypatch, "evaluations.workflow.record", HOLD)
    evaluation = factory.make_evaluation()
    url = reverse("evaluation_entry", args=[evaluation.pk])
    version = evaluation.version
    clients = {}
    for name in TYPED:
        clients[name] = Client()
        clients[name].force_login(factory.make_staff(name))

    outcomes = dict(zip(TYPED, factory.at_the_same_moment(
        *(lambda name=name: clients[name].post(url, page_data(name, version)) for name in TYPED)
    )))

    statuses = {name: response.status_code for name, (response, _) in outcomes.items()}
    assert sorted(statuses.values()) == [302, 409], outcomes
    winner = next(name for name, status in statuses.items() if status == 302)
    loser = next(name for name, status in statuses.items() if status == 409)
    response, waited = outcomes[loser]
    assert waited > HOLD * 0.6  # it queued on the row lock, then saw the new version
    page = response.content.decode()
    assert "已被他人修改并保存" in page and "您的输入仍在下方，尚未保存" in page
    assert all(text in page for text in TYPED[loser])
    assert not any(text in page for text in TYPED[winner])
    assert f'name="version" value="{version}"' in page  # saving the stale page again is refused again

    evaluation.refresh_from_db()
    assert evaluation.version == version + 1
    assert (evaluation.indicators.get(position=1).name, evaluation.goal_actual) == TYPED[winner]
    assert list(evaluation.events.values_list("action", "actor__username")) == [("save", winner)]
