"""Background tasks as the administration names them."""

import importlib

import pytest
from django_tasks.base import Task

from santunan.background import TASK_LABELS
from tests.conftest import ROOT


def project_tasks() -> list[Task]:
    """Every task the project declares, found in its `tasks.py` modules."""
    found = []
    for path in sorted(ROOT.glob("*/**/tasks.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[0].startswith(".") or parts[0] == "tests":
            continue
        module = importlib.import_module(".".join(parts))
        found += [value for value in vars(module).values() if isinstance(value, Task)]
    return found


def test_the_project_declares_tasks():
    assert len(project_tasks()) >= 5


@pytest.mark.parametrize("task", project_tasks(), ids=lambda task: task.module_path)
def test_every_task_has_an_indonesian_name(task):
    assert task.module_path in TASK_LABELS
