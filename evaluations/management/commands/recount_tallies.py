from django.core.management.base import BaseCommand

from evaluations import tallies


class Command(BaseCommand):
    help = "按自评表重新统计各单位年度的数字（UnitYearTally），用于绕过本系统直接写入数据库的数据（如 SQL 批量更新）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="只统计这个年度，如 2023；不填则统计全部年度")

    def handle(self, *, year, **options):
        count = tallies.recount_all(year)
        self.stdout.write(f"已重新统计 {count} 个单位年度。")
