"""The land-transfer dossiers the step benchmarks move (bench/workflow.py, bench/profile_hot_paths.py): the demo
province, its five officers of the land process in step order, and a maker of N dossiers received at the counter."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class LandTransfers:
    people: list[Any]  # the actor of step 0, 1, … 4 (clerk, land office, tax, treasury, land office)
    land_office: Any
    make: Callable[[int], list[int]]  # N new dossiers at their first step: their keys


def set_up() -> LandTransfers:
    """Migrate, load the demo province (in a process where Django is set up) and return the makers."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from motcua.catalog.models import Procedure
    from motcua.directory.models import Agency
    from motcua.dossiers.actions import Applicant, submit_dossier
    from motcua.dossiers.models import Channel
    from motcua.dossiers.tests.helpers import LAND_FORM, LAND_PAPERS
    from motcua.identity.models import User

    people = [User.objects.get(username=name) for name in (
        "tiepnhan.ttpvhcc", "chuyenvien.vpdkdd", "chuyenvien.thue", "chuyenvien.khobac", "chuyenvien.vpdkdd")]
    procedure = Procedure.objects.get(national_code="1.013831")
    land_office = Agency.objects.get(eid_code="000.01.16.H19")
    centre = Agency.objects.get(eid_code="000.00.01.H19")  # the provincial public service centre

    def make(count: int) -> list[int]:
        return [submit_dossier(
            procedure=procedure, channel=Channel.COUNTER, competent_agency=land_office, receiving_agency=centre,
            actor=people[0], applicant=Applicant(name="Trần Thị Bình", id_number="075195004321", phone="0987654321"),
            form_data=LAND_FORM, paper_documents=LAND_PAPERS).pk for _ in range(count)]

    return LandTransfers(people=people, land_office=land_office, make=make)
