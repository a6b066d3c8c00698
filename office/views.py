"""The administrator's first-run checklist: what the installation still lacks, each
with where to put it right (office.checklist)."""

from django.shortcuts import render
from django.utils import timezone

from office.checklist import first_run_steps
from santunan.access import role_required
from villages.roles import Role


@role_required(Role.ADMINISTRATOR)
def checklist(request):
    steps = first_run_steps(user=request.user, day=timezone.localdate())
    return render(
        request,
        "office/checklist.html",
        {"steps": steps, "missing": sum(not step.done for step in steps)},
    )
