from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from evaluations.models import Evaluation, FundingLine, Indicator, WorkflowEvent

# 等保三级 asks that audit records be kept for at least six months.
MINIMUM_RETENTION_DAYS = 180


class Command(BaseCommand):
    help = "删除早于保留期限的审计记录（变更历史与流程记录）；保留期限不得少于 180 天。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保留天数，默认取 ZPB_AUDIT_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, days, dry_run, **options):
        days = settings.ZPB_AUDIT_RETENTION_DAYS if days is None else days
        if days < MINIMUM_RETENTION_DAYS:
            raise CommandError(f"保留期限 {days} 天少于 {MINIMUM_RETENTION_DAYS} 天，拒绝删除审计记录。")
        cutoff = timezone.now() - timedelta(days=days)
        trails = [
            ("自评表变更记录", Evaluation.history.filter(history_date__lt=cutoff)),
            ("项目资金变更记录", FundingLine.history.filter(history_date__lt=cutoff)),
            ("绩效指标变更记录", Indicator.history.filter(history_date__lt=cutoff)),
            ("流程记录", WorkflowEvent.objects.filter(created_at__lt=cutoff)),
        ]
        with transaction.atomic():
            for label, rows in trails:
                count = rows.count() if dry_run else rows.delete()[0]
                self.stdout.write(f"{label}：{'将删除' if dry_run else '已删除'} {count} 条（{cutoff:%Y-%m-%d} 之前）")
