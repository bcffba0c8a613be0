"""What the reader tests compare: a form's figures and flags as the import report gives them."""

from pathlib import Path

from importer import sources
from importer.report import form_report

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "importer" / "samples" / "sstec-2023-self-evaluations.txt"
MATERIAL = Path(__file__).resolve().parent / "material"


def read(path: Path):
    return sources.parse_file(path.read_bytes(), path.name)


def figures_and_flags(form) -> dict:
    """The report of a form less where it was and its notes; texts without their white space
    (a PDF wraps lines where the dump has none), goal texts left out (a PDF may cut them)."""
    report = form_report(form)
    for key in ("file", "lines", "pages", "notes", "goal_expected", "goal_actual"):
        report.pop(key)
    for indicator in report["indicators"]:
        for key in ("name", "target", "actual", "deviation"):
            indicator[key] = "".join(indicator[key].split())
    for flag in report["flags"]:
        flag["message"] = "".join(flag["message"].split())
    return report


def by_project(forms) -> dict:
    return {form.project_name: figures_and_flags(form) for form in forms}
