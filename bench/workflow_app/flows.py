"""The same five sequential steps as the motcua land-transfer route, as a django-viewflow flow."""

from __future__ import annotations

from typing import Any

from viewflow import this  # type: ignore[import-untyped]
from viewflow.workflow import flow, lock  # type: ignore[import-untyped]


class FiveSteps(flow.Flow):  # type: ignore[misc]
    lock_impl = lock.select_for_update_lock  # each step locks its process row, as motcua locks its dossier

    start = flow.StartHandle(this.begin).Next(this.step1)
    step1 = flow.Handle(this.act).Next(this.step2)
    step2 = flow.Handle(this.act).Next(this.step3)
    step3 = flow.Handle(this.act).Next(this.step4)
    step4 = flow.Handle(this.act).Next(this.step5)
    step5 = flow.Handle(this.act).Next(this.end)
    end = flow.End()

    def begin(self, activation: Any, **kwargs: Any) -> Any:
        activation.process.data = {"note": ""}
        return activation.process

    def act(self, activation: Any, **kwargs: Any) -> Any:
        activation.process.data = {**activation.process.data, "last": activation.task.flow_task.name}
        activation.process.save()
        return activation.process
