"""A form's clean A4 print (the official layout with signature lines, no app chrome) and its PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from evaluations import printout
from evaluations.views.common import _get_evaluation_for_user, form_context

PRINT_CSS = ("css/zpb.css", "css/print.css")


@login_required
def evaluation_print(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    return render(request, "evaluations/print.html", {**form_context(evaluation), "printing": True})


@login_required
def evaluation_pdf(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    # The same page, self-contained: Chromium reads it from a file, without the site's static files.
    styles = "\n".join(open(finders.find(path), encoding="utf-8").read() for path in PRINT_CSS)
    html = render_to_string(
        "evaluations/print.html", {**form_context(evaluation), "printing": True, "inline_styles": styles}, request,
    )
    try:
        pdf = printout.html_to_pdf(html)
    except printout.PrintFailed as failed:
        messages.error(request, str(failed))
        return redirect("evaluation_print", evaluation.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{evaluation.project.name}-{evaluation.year}.pdf")
    return response
