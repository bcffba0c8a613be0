from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Department, Evaluation, Unit
from evaluations.views.export import filtered_evaluations, write_batch

# Statuses by code or by their Chinese label.
STATUSES = {
    **{code: code for code in Evaluation.Status.values},
    **{label: code for code, label in Evaluation.Status.choices},
}


class Command(BaseCommand):
    help = "把一个年度的自评表导出为 Excel 工作簿：首页“汇总”，其后每份自评表一页（FORM-LAYOUT.md 版式）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2023")
        parser.add_argument("--unit", metavar="NAME", help="只导出这个实施单位")
        parser.add_argument("--department", metavar="NAME", help="只导出这个主管部门")
        parser.add_argument("--status", choices=sorted(STATUSES), metavar="STATUS",
                            help="只导出这个状态：draft/submitted/returned/approved 或 草稿/已提交/已退回/已通过")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="写入的 .xlsx 文件")

    def handle(self, *, year, unit, department, status, output, **options):
        filters = {"year": year}
        if department:
            filters["department"] = _get(Department.objects.filter(name=department), f"主管部门“{department}”")
        if unit:
            units = Unit.objects.filter(name=unit)
            if "department" in filters:
                units = units.filter(department=filters["department"])
            filters["unit"] = _get(units, f"实施单位“{unit}”")
        if status:
            filters["status"] = STATUSES[status]
        evaluations = filtered_evaluations(Evaluation.objects.all(), filters)
        if not evaluations.exists():
            raise CommandError("没有符合条件的自评表，未写入文件。")
        path = Path(output)
        try:
            with path.open("wb") as out:
                count = write_batch(out, evaluations)
        except OSError as error:
            raise CommandError(f"无法写入 {path}：{error.strerror}", returncode=2)
        self.stderr.write(f"已导出 {count} 份自评表到 {path}")


def _get(queryset, what):
    matches = list(queryset[:2])
    if not matches:
        raise CommandError(f"没有{what}。")
    if len(matches) > 1:
        raise CommandError(f"有多个{what}（在不同的主管部门下），请同时用 --department 指定主管部门。")
    return matches[0]
