"""Make a missing template variable fail loudly (tests and the whole-system test).

Django prints nothing for a variable it cannot resolve, so a page that lost its data
looks fine in a test and shows holes to users; and a variable used as a filter
argument raises only for some rows (an event without an actor), so the page works
in tests and fails in production. With TEMPLATE_STRICT=1 every unresolved variable
in this project's own templates raises, whatever the row. Django's own templates
(the admin) rely on silent missing variables and keep that behaviour."""

import sys
from pathlib import Path

from django.template.base import FilterExpression, VariableDoesNotExist

PROJECT_DIRS = None


class MissingTemplateVariable(VariableDoesNotExist):
    pass


def _project_dirs() -> tuple[str, ...]:
    global PROJECT_DIRS
    if PROJECT_DIRS is None:
        from django.conf import settings

        root = Path(settings.BASE_DIR)
        PROJECT_DIRS = tuple(
            str(root / name) + "/" for name in ("templates", "santunan", "villages", "dinsos_sync")
        )
    return PROJECT_DIRS


class StrictInvalid(str):
    """Used as the engine's `string_if_invalid`. Django formats it with the name of
    the missing variable (`string_if_invalid % var`) only when it is true and `"%s" in
    it`: that is the moment to raise, when the template being rendered is one of ours.

    It is an empty string everywhere else: Django also hands it back for lookups that
    fail silently on purpose (a missing one-to-one row in `{% if user.profile %}`),
    and there it must stay false, as the default empty string is."""

    def __bool__(self) -> bool:
        return sys._getframe(1).f_code is FilterExpression.resolve.__code__

    def __contains__(self, item) -> bool:
        return True

    def __mod__(self, variable):
        frame = sys._getframe(1)
        context = frame.f_locals.get("context")
        template = getattr(context, "template", None)
        origin = getattr(getattr(template, "origin", None), "name", "") or ""
        if str(origin).startswith(_project_dirs()):
            raise MissingTemplateVariable(
                f"Template variable {variable!s} is missing in {origin}"
            )
        return ""


def enable(templates_setting: list[dict]) -> None:
    for engine in templates_setting:
        if engine["BACKEND"].endswith("DjangoTemplates"):
            engine.setdefault("OPTIONS", {})["string_if_invalid"] = StrictInvalid("")
