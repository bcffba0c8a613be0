"""A hand-written test factory: small functions that build valid objects with overridable fields."""

from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User

from evaluations import reuse, roles, scoring
from evaluations.models import Department, Evaluation, Profile, Project, Unit
from tests.sample_forms import SAMPLE_FORMS

PASSWORD = "Zpb-test-2026"
SAMPLE_DUMP = Path(__file__).resolve().parent.parent / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
D = Decimal


def make_department(name="上海市科学技术委员会"):
    return Department.objects.get_or_create(name=name)[0]


def make_unit(name="上海科学技术交流中心", department=None):
    return Unit.objects.get_or_create(name=name, department=department or make_department())[0]


def make_project(name="火灾报警系统升级改造", unit=None):
    return Project.objects.get_or_create(name=name, unit=unit or make_unit())[0]


def make_user(username, role=None, unit=None, department=None, **fields):
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    Profile.objects.create(user=user, role=role or "", unit=unit, department=department)
    return user


def make_staff(username="staff", unit=None):
    return make_user(username, roles.STAFF, unit=unit or make_unit())


def make_reviewer(username="reviewer", department=None):
    return make_user(username, roles.REVIEWER, department=department or make_department())


def funding_figures(total, executed, budget_initial=None, weight="10.00", rate=None, score=None):
    """Four funding lines with everything in 当年财政拨款; rate and score as declared (None = not printed)."""
    total, executed = D(total), D(executed)
    initial = D(budget_initial) if budget_initial is not None else total
    zero = D("0.00")
    rate = D(rate) if rate is not None else None
    return [
        scoring.FundingFigures("total", initial, total, executed, D(weight), rate, D(score) if score else None),
        scoring.FundingFigures("current_year", initial, total, executed, None, rate),
        scoring.FundingFigures("carryover", zero, zero, zero, None, D("0.00")),
        scoring.FundingFigures("other", zero, zero, zero, None, D("0.00")),
    ]


def indicator(level1="产出指标", level2="数量指标", name="举办培训", target="=2(场)", actual="2.00(场)",
              weight="50.00", score=None, deviation=""):
    return scoring.IndicatorFigures(level1, level2, name, target, actual, D(weight), D(score if score is not None else weight), deviation)


def clean_figures(**overrides):
    """A form that raises no flag at all: 10 / 50 / 30 / 10, fully achieved, totals right."""
    figures = scoring.FormFigures(
        funding=funding_figures("100.00", "100.00", rate="100.00", score="10.00"),
        indicators=[
            indicator(weight="50.00"),
            indicator("效益指标", "社会效益指标", "服务覆盖面", "≥90(%)", "95.00(%)", "30.00"),
            indicator("满意度指标", "服务对象满意度指标", "服务对象满意度", "满意", "达成指标", "10.00"),
        ],
        declared_total=D("100.00"),
        declared_grade="优",
    )
    for name, value in overrides.items():
        setattr(figures, name, value)
    return figures


def sample_figures(form):
    """The printed figures of one SAMPLE_FORMS entry."""
    funding = []
    for kind in scoring.FUNDING_KINDS:
        initial, full_year, executed, rate = form["funding"][kind]
        is_total = kind == "total"
        funding.append(scoring.FundingFigures(
            kind, D(initial), D(full_year), D(executed),
            weight=D(form["funding_weight"]) if is_total else None,
            rate=D(rate),
            score=D(form["funding_score"]) if is_total else None,
        ))
    indicators = [
        scoring.IndicatorFigures(l1, l2, name, target, actual, D(weight), D(score), deviation)
        for l1, l2, name, target, actual, weight, score, deviation in form["indicators"]
    ]
    return scoring.FormFigures(funding, indicators, D(form["total"]), form["grade"])


def make_evaluation(project=None, year=2023, figures=None, status=Evaluation.Status.DRAFT, **fields):
    evaluation = Evaluation.objects.create(project=project or make_project(), year=year, status=status, **fields)
    evaluation.replace_figures(figures or clean_figures())
    reuse.refresh(evaluation)
    evaluation.rescore(save=False)
    evaluation.save()
    return evaluation


def make_sample_evaluation(form):
    unit = make_unit(form["unit"], make_department(form["department"]))
    return make_evaluation(
        make_project(form["project_name"], unit), form["year"], sample_figures(form),
        source=Evaluation.Source.IMPORT, has_deviation_column=bool(form.get("has_deviation_column", True)),
    )


def sample_form(project_name):
    return next(form for form in SAMPLE_FORMS if form["project_name"] == project_name)


def make_auditor(username="auditor"):
    return make_user(username, roles.AUDITOR)


def make_administrator(username="admin"):
    return make_user(username, roles.ADMINISTRATOR, is_staff=True)


def make_submitted_evaluation(figures=None, project=None, **fields):
    """An evaluation waiting for review (status 已提交)."""
    return make_evaluation(project, figures=figures, status=Evaluation.Status.SUBMITTED, **fields)


def xlsx_bytes(evaluations, summary=True):
    """The submission workbook (evaluations.excel) of `evaluations`, as bytes."""
    from io import BytesIO

    from evaluations import excel
    from evaluations.models import scoring_rules

    out = BytesIO()
    excel.write_workbook(out, evaluations, scoring_rules(), summary=summary)
    return out.getvalue()


def entry_form_data(figures, version, action="save", goal_expected="", goal_actual=""):
    """What the entry page posts for `figures` (funding lines in FUNDING_KINDS order)."""
    total = figures.funding_line("total")
    data = {
        "version": version, "action": action, "goal_expected": goal_expected, "goal_actual": goal_actual,
        "funding_weight": str(total.weight if total.weight is not None else "10.00"),
        "funding-TOTAL_FORMS": len(figures.funding), "funding-INITIAL_FORMS": len(figures.funding),
        "indicators-TOTAL_FORMS": len(figures.indicators), "indicators-INITIAL_FORMS": 0,
    }
    for index, line in enumerate(figures.funding):
        for name in ("budget_initial", "budget_full_year", "executed"):
            data[f"funding-{index}-{name}"] = str(getattr(line, name))
    for index, row in enumerate(figures.indicators):
        for name in ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation"):
            data[f"indicators-{index}-{name}"] = str(getattr(row, name))
    return data


def admin_change_data(evaluation, **changes):
    """The POST data of the evaluation's admin change page as it stands; `changes` override single keys."""
    data = {
        "project": evaluation.project.pk, "year": evaluation.year, "goal_expected": evaluation.goal_expected,
        "goal_actual": evaluation.goal_actual, "declared_total": str(evaluation.declared_total or ""),
        "declared_grade": evaluation.declared_grade, "source": evaluation.source,
        "funding_lines-TOTAL_FORMS": "4", "funding_lines-INITIAL_FORMS": "4",
        "funding_lines-MIN_NUM_FORMS": "0", "funding_lines-MAX_NUM_FORMS": "4",
    }
    if evaluation.has_deviation_column:
        data["has_deviation_column"] = "on"
    for n, line in enumerate(evaluation.ordered_funding_lines()):
        for name in ("kind", "budget_initial", "budget_full_year", "executed", "weight", "declared_rate", "declared_score"):
            value = getattr(line, name)
            data[f"funding_lines-{n}-{name}"] = "" if value is None else str(value)
        data[f"funding_lines-{n}-id"] = line.pk
        data[f"funding_lines-{n}-evaluation"] = evaluation.pk
    indicators = list(evaluation.indicators.all())
    data.update({"indicators-TOTAL_FORMS": str(len(indicators)), "indicators-INITIAL_FORMS": str(len(indicators)),
                 "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "1000"})
    for n, row in enumerate(indicators):
        for name in ("position", "level1", "level2", "name", "target", "actual", "weight", "score", "deviation"):
            data[f"indicators-{n}-{name}"] = str(getattr(row, name))
        data[f"indicators-{n}-id"] = row.pk
        data[f"indicators-{n}-evaluation"] = evaluation.pk
    data.update(changes)
    return data


def at_the_same_moment(*actions):
    """Run each action in a thread of its own (so on a connection of its own), all released together.

    Returns, in order, (what the action returned or raised, seconds it took). For PostgreSQL tests
    marked django_db(transaction=True): the threads see only committed rows.
    """
    import threading
    import time

    from django.db import connections

    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            began = time.monotonic()
            try:
                result = action()
            except Exception as error:
                result = error
            outcomes[index] = (result, time.monotonic() - began)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def pause_after(monkeypatch, target, seconds=0.5):
    """Make `target` ("module.function") wait after it returns, so whoever calls it inside a transaction
    holds that transaction's row locks a moment longer."""
    import pkgutil
    import time

    original = pkgutil.resolve_name(target)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    monkeypatch.setattr(target, paused)
