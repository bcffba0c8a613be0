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

PRINT_CSS = ("css/zpb.css", "css/print.css")  # what print.html links


@login_required
def evaluation_print(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    return render(request, "evaluations/print.html", {**form_context(evaluation), "printing": True})


@login_required
def evaluation_pdf(request, pk):
    evaluation = _get_evaluation_for_user(request.user, pk)
    # The same page, read by Chromium from a folder holding it and its stylesheets (no web server).
    stylesheets = {path.rsplit("/", 1)[1]: finders.find(path) for path in PRINT_CSS}
    html = render_to_string(
        "evaluations/print.html", {**form_context(evaluation), "printing": True, "pdf_stylesheets": list(stylesheets)},
        request,
    )
    try:
        pdf = printout.html_to_pdf(html, stylesheets)
    except printout.PrintFailed as failed:
        messages.error(request, str(failed))
        return redirect("evaluation_print", evaluation.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{evaluation.project.name}-{evaluation.year}.pdf")
    return response
