"""{% first_steps %}: the first-steps list on a role's home page (accounts/first_steps.py).
A tag rather than a context processor, so only the home pages pay for its query."""

from django import template

from accounts.first_steps import first_steps as steps_for

register = template.Library()


@register.inclusion_tag("accounts/_first_steps.html", takes_context=True)
def first_steps(context):
    request = context["request"]
    return {"steps": steps_for(request.user), "request": request, "next": request.path}
