import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importer import loader, parsing, staging
from importer.models import import_limits
from targets import workflow
from targets.imports import TARGET_TABLES


class Command(BaseCommand):
    help = ("导入绩效目标表（项目支出绩效目标申报表）：PDF、文本（含 pdftotext -layout）或 .xlsx 工作簿，每份表一个事务写入；"
            "与网页导入的上限相同。")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="只读取并说明将如何导入，不写数据库")

    def handle(self, *args, paths, dry_run, **options):
        failed = False
        limits = import_limits()
        for path in paths:
            try:
                # Within the web import's limits (pages per PDF, tables per file, indicators per table).
                tables, errors = staging.read_within(Path(path).read_bytes(), Path(path).name, limits, TARGET_TABLES)
            except OSError as error:
                raise CommandError(f"无法打开文件 {path}：{error.strerror}", returncode=2)
            except parsing.ParseError as error:
                raise CommandError(f"{path}：{error}", returncode=2)
            for table in tables:
                result = workflow.import_outcome(table) if dry_run else workflow.import_table(table, None, table.source)
                self.stdout.write(f"{table.source} {table.project_name}（{table.year}年度）{len(table.indicators)} 项指标："
                                  f"{loader.OUTCOME_LABELS[result.outcome]}{'（试运行）' if dry_run else ''}")
                for line in [result.message, *table.warnings]:
                    if line:
                        self.stdout.write(f"  {line}")
                failed |= result.outcome == loader.REFUSED
            for error in errors:
                self.stdout.write(f"{error.file} 无法读取：{error.message}")
            failed |= bool(errors)
        if failed:
            sys.exit(1)
