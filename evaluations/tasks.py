"""Background work of the evaluations app (django-tasks; settings.TASKS)."""

from django_tasks import task

from evaluations.models import Department, Evaluation


@task()
def rescore_department(department_id: int) -> int:
    """Refresh the cached flag summary of every evaluation of a department, after its flag rules changed;
    returns how many were rescored."""
    department = Department.objects.get(pk=department_id)
    evaluations = (Evaluation.objects.filter(department=department)
                   .prefetch_related("funding_lines", "indicators", "evidence", "text_reuses__similar_to__project__unit"))
    count = 0
    for evaluation in evaluations.iterator(chunk_size=500):
        evaluation.department = department  # one read of its rules for all
        evaluation.rescore()
        count += 1
    return count
