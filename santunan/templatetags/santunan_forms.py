"""The shared form widgets (santunan/fields.py) for inputs a template writes itself,
such as the documents page's one file chooser per document kind."""

from django import template

from santunan.fields import FileChooser

register = template.Library()


@register.simple_tag
def file_chooser(name: str, input_id: str, accept: str = ""):
    attrs = {"id": input_id, **({"accept": accept} if accept else {})}
    return FileChooser().render(name, None, attrs=attrs)
