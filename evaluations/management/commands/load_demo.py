import copy
import logging
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from evaluations import roles, scoring, workflow
from evaluations.models import Department, DepartmentYear, Evaluation, Profile, Unit
from evaluations.signals import demo_loaded
from importer import loader, parsing

SAMPLE = Path(__file__).resolve().parents[3] / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
DEPARTMENT = "上海市科学技术委员会"
UNIT = "上海科学技术交流中心"
PASSWORD = "Zpb-demo-2026"
# Two sample forms re-labelled, so that every level shows something: a second department's 2023 form,
# approved (the finance bureau can accept that department's year), and a 2022 form of the sample's unit for
# a continuing project that has no 2023 form yet (the completeness page's missing one).
OTHER_DEPARTMENT, OTHER_UNIT = "上海市教育委员会", "上海市教育考试院"
EXTRA_FORMS = {  # sample project: (department, unit, project, year)
    "火灾报警系统升级改造": (OTHER_DEPARTMENT, OTHER_UNIT, "考务指挥中心升级改造", 2023),
    "国内外科技合作交流": (DEPARTMENT, UNIT, "科技交流年会", 2022),
}
# Both departments' 2023 forms were due on this date: the sample's, imported later, are late.
DUE_DATE = date(2024, 3, 31)


class Command(BaseCommand):
    help = ("载入演示数据：六份样例自评表（经导入器）、第二个主管部门的两份表，以及演示账号 staff / reviewer / "
            "auditor / admin / staff2 / reviewer2 / finance。")

    @transaction.atomic
    def handle(self, **options):
        forms, errors = parsing.parse_bytes(SAMPLE.read_bytes(), file=SAMPLE.name)
        for error in errors:
            self.stderr.write(f"样例无法读取：{error.message}")
        outcomes = [loader.OUTCOME_LABELS[loader.load_form(form).outcome] for form in forms]
        department = Department.objects.get(name=DEPARTMENT)
        unit = Unit.objects.get(department=department, name=UNIT)
        other_unit = self.load_extra_forms(forms)
        accounts = [
            ("staff", "张填报", roles.STAFF, {"unit": unit}),
            ("reviewer", "李审核", roles.REVIEWER, {"department": department}),
            ("auditor", "王审计", roles.AUDITOR, {}),
            ("admin", "赵管理", roles.ADMINISTRATOR, {}),
            ("staff2", "陈填报", roles.STAFF, {"unit": other_unit}),
            ("reviewer2", "刘审核", roles.REVIEWER, {"department": other_unit.department}),
            ("finance", "孙财政", roles.FINANCE, {}),
        ]
        with _quiet(logging.getLogger("zpb.security")):  # a demo account's first password is no security event
            for username, full_name, role, place in accounts:
                user, created = User.objects.get_or_create(username=username)
                if created:
                    user.set_password(PASSWORD)
                user.last_name, user.first_name = full_name[0], full_name[1:]
                user.is_staff = role == roles.ADMINISTRATOR  # the admin site is where accounts are managed
                user.save()
                Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": None, "department": None, **place})
        for department_year in (department, other_unit.department):
            DepartmentYear.objects.update_or_create(department=department_year, year=2023, defaults={"due_date": DUE_DATE})
        for _, said in demo_loaded.send(sender=self.__class__):
            if said:
                self.stdout.write(said)
        self.stdout.write(
            f"样例自评表 {len(forms)} 份（{', '.join(sorted(set(outcomes)))}）；演示账号 staff、reviewer、auditor、admin、"
            f"staff2、reviewer2、finance，密码 {PASSWORD}"
        )

    def load_extra_forms(self, forms):
        """EXTRA_FORMS, the second department's approved by its reviewer (as the system account)."""
        for form in forms:
            if form.project_name not in EXTRA_FORMS:
                continue
            other = copy.deepcopy(form)
            other.department, other.unit, other.project_name, other.year = EXTRA_FORMS[form.project_name]
            # Texts of their own: a copy of the sample's would (rightly) be flagged as reused text.
            other.goal_expected, other.goal_actual = f"完成{other.project_name}年度任务。", "已按计划完成。"
            for indicator in other.figures.indicators:
                indicator.deviation = ""
            evaluation = loader.load_form(other).evaluation
            if other.department == OTHER_DEPARTMENT and evaluation.status == Evaluation.Status.SUBMITTED:
                warnings = {flag.code for flag in evaluation.flags() if flag.severity == scoring.WARNING}
                workflow.approve(evaluation, None, warnings)
        return Unit.objects.get(department__name=OTHER_DEPARTMENT, name=OTHER_UNIT)

@contextmanager
def _quiet(logger):
    """`logger`'s INFO lines left out while the block runs (warnings and errors still show)."""
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)
