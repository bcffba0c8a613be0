from django.core.management.base import BaseCommand

from evaluations import kept_pages


class Command(BaseCommand):
    help = "清理页面数据变更记录，只保留各范围最新的一条（建议每晚运行一次）；之后各页面会重新生成一次。"

    def handle(self, **options):
        removed = kept_pages.compact()
        self.stdout.write(f"已清理 {removed} 条页面数据变更记录。")
