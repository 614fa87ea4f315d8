"""The national petitions system's jobs moved from `motcua.integrations.tasks` to `motcua.feedback.tasks` (with the
PAKN intake, `feedback/national_petitions.py`): jobs already queued under the old path are pointed at the new one,
so a pull chain or an answer push waiting in the queue keeps running after the upgrade (and back on a rollback)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

MOVED = {
    "motcua.integrations.tasks.pull_national_petitions_task": "motcua.feedback.tasks.pull_national_petitions_task",
    "motcua.integrations.tasks.push_petition_answer_task": "motcua.feedback.tasks.push_petition_answer_task",
}


def _repoint(apps: Any, mapping: dict[str, str]) -> None:
    results = apps.get_model("django_tasks_database", "DBTaskResult").objects
    for old, new in mapping.items():
        results.filter(task_path=old).update(task_path=new)


def forward(apps: Any, schema_editor: Any) -> None:
    _repoint(apps, MOVED)


def backward(apps: Any, schema_editor: Any) -> None:
    _repoint(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_national_petitions"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forward, backward)]
