import json
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluations.models import scoring_rules
from importer import loader, parsing, staging
from importer.form_import import FORMS
from importer.models import import_limits
from importer.report import error_report, form_report, reused_among


class Command(BaseCommand):
    help = "导入自评表 PDF、文本文件或 .xlsx 工作簿（见 REPORT-JSON.md）：解析、核算、标记并写入数据库；与网页导入的上限相同。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="只解析和核算，不写数据库")
        parser.add_argument("--json", action="store_true", help="在标准输出打印 JSON 报告")

    def handle(self, *args, paths, dry_run, json, **options):
        forms, errors = [], []
        limits = import_limits()
        for path in paths:
            file_forms, file_errors = self._read(path, limits)
            forms += file_forms
            errors += file_errors
        rules = scoring_rules()
        outcomes = Counter()
        reported = []  # (form, its flags if the load computed them)
        results = ((form, None) for form in forms) if dry_run else loader.load_forms(forms)
        for done, (form, result) in enumerate(results, start=1):
            self._progress(done, len(forms))
            if isinstance(result, Exception):  # one form's failed write costs only that form
                errors.append(parsing.FormError(form.file, form.lines, form.project_name, f"写入数据库失败：{result}"))
                continue
            reported.append((form, _stored_flags(result)))
            if result is not None:
                outcomes[result.outcome] += 1
                if result.message:
                    self.stderr.write(result.message)
        reused = reused_among(forms, rules) if dry_run else {}
        report = {
            "forms": [form_report(form, rules, flags, reused.get(id(form), ())) for form, flags in reported],
            "errors": [error_report(e) for e in errors],
        }
        if json:
            self.stdout.write(_json(report))
        else:
            self._print_human(report)
        self._print_summary(report, outcomes, dry_run)
        if errors:
            sys.exit(1)

    def _read(self, path, limits):
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise CommandError(f"无法打开文件 {path}：文件不存在。", returncode=2)
        except IsADirectoryError:
            raise CommandError(f"无法打开文件 {path}：这是一个目录。", returncode=2)
        except OSError as error:
            raise CommandError(f"无法打开文件 {path}：{error.strerror}", returncode=2)
        try:
            # A PDF, a text or an .xlsx workbook, told apart by their bytes, within the web import's limits.
            return staging.read_within(data, Path(path).name, limits, FORMS)
        except parsing.ParseError as error:
            raise CommandError(f"{path}：{error}", returncode=2)

    def _progress(self, done, total):
        if total < 50:
            return
        if self.stderr.isatty():
            width = 30
            filled = width * done // total
            self.stderr.write(f"\r导入 [{'#' * filled}{' ' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")
        elif done == total or done % max(1, total // 10) == 0:
            self.stderr.write(f"导入 {done}/{total}")

    def _print_human(self, report):
        for form in report["forms"]:
            codes = " ".join(f["code"] for f in form["flags"]) or "无标记"
            self.stdout.write(
                f"{_where(form)} {form['project_name']}（{form['year']}）"
                f" 总分 {form['declared']['total'] or '（未印）'} {form['declared']['grade'] or ''}；{codes}"
            )
            for note in form["notes"]:
                self.stdout.write(f"  备注：{note['place']}{'：' if note['place'] else ''}{note['message']}")
        for error in report["errors"]:
            self.stdout.write(f"{_where(error)} 无法读取：{error['message']}")

    def _print_summary(self, report, outcomes, dry_run):
        flags = Counter(f["code"] for form in report["forms"] for f in form["flags"] if f["severity"] != "info")
        parts = [f"读取 {len(report['forms'])} 份", f"失败 {len(report['errors'])} 份"]
        notes = sum(len(form["notes"]) for form in report["forms"])
        if notes:
            parts.append(f"备注 {notes} 条（读取时的修补与跳过的内容，见各表）")
        if dry_run:
            parts.append("试运行，未写入数据库")
        else:
            parts += [f"{loader.OUTCOME_LABELS[key]} {outcomes[key]} 份" for key in loader.OUTCOME_LABELS]
        self.stderr.write("；".join(parts))
        if flags:
            self.stderr.write("标记：" + "，".join(f"{code} {count}" for code, count in sorted(flags.items())))


def _where(entry):
    """`file:first-last` (lines of a text), `file:第 a–b 页` (a PDF), or the file alone (the whole file)."""
    if entry["lines"] and entry["lines"][0]:
        return f"{entry['file']}:{entry['lines'][0]}-{entry['lines'][1]}"
    if entry.get("pages"):
        first, last = entry["pages"]
        return f"{entry['file']}:第 {first} 页" if first == last else f"{entry['file']}:第 {first}–{last} 页"
    return entry["file"]


def _stored_flags(result):
    """The flags of a loaded form as stored (evidence and texts of other forms included); None on a dry run."""
    if result is None or result.evaluation is None:
        return None
    return result.flags if result.flags is not None else result.evaluation.flags()


def _json(report):
    return json.dumps(report, ensure_ascii=False, indent=2)
