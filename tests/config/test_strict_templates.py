"""A variable missing from one of our templates fails the test that renders it."""

import pytest
from django.template import Context, Engine, engines
from django.template.base import Origin, VariableDoesNotExist

from config.strict_templates import MissingTemplateVariable
from tests.conftest import ROOT


def _ours(source: str):
    engine = engines["django"].engine
    origin = Origin(name=str(ROOT / "templates" / "example.html"))
    return engine.from_string(source), origin


def render_ours(source: str, **context) -> str:
    template, origin = _ours(source)
    template.origin = origin
    return template.render(Context(context))


def test_a_missing_variable_in_our_template_raises():
    with pytest.raises(MissingTemplateVariable):
        render_ours("{{ claim.number }}", claim=object())


def test_a_missing_filter_argument_raises_as_it_does_in_production():
    with pytest.raises(VariableDoesNotExist):
        render_ours("{{ name|default:actor.username }}", name="", actor=None)


def test_present_variables_and_if_tests_render_as_usual():
    rendered = render_ours(
        "{{ a }}{% if missing %}x{% else %}-{% endif %}{% for i in missing %}{{ i }}{% endfor %}",
        a="ok",
    )

    assert rendered == "ok-"


def test_a_silently_failing_lookup_stays_false():
    class Profile:
        @property
        def assignment(self):
            error = LookupError()
            error.silent_variable_failure = True
            raise error

    assert render_ours("{% if p.assignment %}yes{% else %}no{% endif %}", p=Profile()) == "no"


def test_templates_of_other_packages_keep_printing_nothing():
    engine = engines["django"].engine
    template = engine.from_string("[{{ missing }}]")

    assert template.render(Context({})) == "[]"


def test_a_plain_engine_is_not_affected():
    assert Engine().from_string("[{{ missing }}]").render(Context({})) == "[]"
