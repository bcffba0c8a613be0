from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import Department, Evaluation
from reports import chart_image, documents


def department_for(year, name) -> Department:
    """The department named, or the only one with forms that year."""
    if name:
        department = Department.objects.filter(name=name).first()
        if department is None:
            raise CommandError(f"没有主管部门“{name}”。")
        return department
    departments = list(Department.objects.filter(evaluations__year=year).distinct()[:2])
    if not departments:
        raise CommandError(f"{year}年度没有自评表。")
    if len(departments) > 1:
        raise CommandError(f"{year}年度有多个主管部门的自评表，请用 --department 指定。")
    return departments[0]


def write(path: Path, content_or_writer):
    try:
        with path.open("wb") as out:
            return content_or_writer(out)
    except OSError as error:
        raise CommandError(f"无法写入 {path}：{error.strerror}", returncode=2)


class Command(BaseCommand):
    help = "把一个主管部门一个年度的项目支出绩效自评汇总报告写成 Word 文档（.docx），内容取自审核通过的自评表。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2023")
        parser.add_argument("--department", metavar="NAME", help="主管部门；该年度只有一个部门有自评表时可省略")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="写入的 .docx 文件")

    def handle(self, *, year, department, output, **options):
        department = department_for(year, department)
        approved = Evaluation.objects.filter(department=department, year=year, status=Evaluation.Status.APPROVED).count()
        try:
            content = documents.summary_report(department, year)
        except chart_image.ChartRenderError as error:
            raise CommandError(str(error))
        write(Path(output), lambda out: out.write(content))
        self.stderr.write(f"已写入 {department.name}{year}年度汇总报告（审核通过的自评表 {approved} 份）到 {output}")
