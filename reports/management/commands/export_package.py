from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import chart_image, publication
from reports.management.commands.export_report import department_for, write


class Command(BaseCommand):
    help = "生成一个主管部门一个年度的决算公开材料包（zip）：审核通过的自评表合成的 PDF 和汇总报告。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2023")
        parser.add_argument("--department", required=True, metavar="NAME", help="主管部门")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="写入的 .zip 文件")

    def handle(self, *, year, department, output, **options):
        department = department_for(year, department)
        path = Path(output)
        total = None

        def progress(done):
            self.stderr.write(f"  第 {done} 步完成")

        try:
            total = write(path, lambda out: publication.write_package(out, department, year, progress))
        except (publication.PackageError, chart_image.ChartRenderError) as error:
            path.unlink(missing_ok=True)
            raise CommandError(str(error))
        self.stderr.write(f"已写入 {department.name}{year}年度公开材料包（自评表 {total} 份）到 {path}")
