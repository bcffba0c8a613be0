from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from evaluations import roles
from evaluations.models import Department, Profile, Unit
from evaluations.signals import demo_loaded
from importer import loader, parsing

SAMPLE = Path(__file__).resolve().parents[3] / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
DEPARTMENT = "上海市科学技术委员会"
UNIT = "上海科学技术交流中心"
PASSWORD = "Zpb-demo-2026"


class Command(BaseCommand):
    help = "载入演示数据：六份样例自评表（经导入器）和演示账号 staff / reviewer / auditor / admin。"

    @transaction.atomic
    def handle(self, **options):
        forms, errors = parsing.parse_bytes(SAMPLE.read_bytes(), file=SAMPLE.name)
        for error in errors:
            self.stderr.write(f"样例无法读取：{error.message}")
        outcomes = [loader.OUTCOME_LABELS[loader.load_form(form).outcome] for form in forms]
        department = Department.objects.get(name=DEPARTMENT)
        unit = Unit.objects.get(department=department, name=UNIT)
        accounts = [
            ("staff", "张填报", roles.STAFF, {"unit": unit}),
            ("reviewer", "李审核", roles.REVIEWER, {"department": department}),
            ("auditor", "王审计", roles.AUDITOR, {}),
            ("admin", "赵管理", roles.ADMINISTRATOR, {}),
        ]
        for username, full_name, role, place in accounts:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(PASSWORD)
            user.last_name, user.first_name = full_name[0], full_name[1:]
            user.is_staff = role == roles.ADMINISTRATOR  # the admin site is where accounts are managed
            user.save()
            Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": None, "department": None, **place})
        for _, said in demo_loaded.send(sender=self.__class__):
            if said:
                self.stdout.write(said)
        self.stdout.write(
            f"样例自评表 {len(forms)} 份（{', '.join(sorted(set(outcomes)))}）；演示账号 staff、reviewer、auditor、admin，密码 {PASSWORD}"
        )
