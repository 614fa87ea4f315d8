"""Parsing what staff post: the counter intake form and one small form per workflow action.

Nothing here decides what is legal; the actions (`motcua.dossiers.actions`) and the workflow table do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from motcua.backoffice.selectors import current_step_staff, next_step_staff
from motcua.catalog.eforms import read_values
from motcua.catalog.models import ProcedureVersion
from motcua.core.i18n import localized
from motcua.directory.models import Agency
from motcua.documents.digitise import combine_pages
from motcua.documents.uploads import UploadError, too_large
from motcua.dossiers.actions import Applicant, Upload
from motcua.dossiers.models import Channel, Dossier
from motcua.identity.models import User

ALLOWED_CHANNELS = (Channel.COUNTER, Channel.POSTAL)
RETURN_METHODS = ("counter", "postal")
Errors = dict[str, tuple[str, str]]


# --- counter intake --------------------------------------------------------------------------------

@dataclass
class Intake:
    """What the clerk posted, kept as typed so that the form can be shown again."""

    values: dict[str, str]
    form_data: dict[str, Any]
    paper: list[str]
    uploads: list[Upload]
    competent_agency: Agency | None
    receiving_agency: Agency | None
    channel: Channel
    errors: Errors = field(default_factory=dict)

    @property
    def applicant(self) -> Applicant:
        v = self.values
        return Applicant(name=v["name"], id_number=v["id_number"], phone=v["phone"], email=v["email"],
                         address=v["address"])


INTAKE_FIELDS = ("name", "id_number", "phone", "email", "address", "competent_agency", "receiving_agency",
                 "channel", "postal_tracking", "return_method")


def blank_intake_values(competent: list[Agency], receiving: list[Agency]) -> dict[str, str]:
    values = dict.fromkeys(INTAKE_FIELDS, "")
    values["channel"] = Channel.COUNTER.value
    values["return_method"] = "counter"
    if len(competent) == 1:
        values["competent_agency"] = str(competent[0].pk)
    if len(receiving) == 1:
        values["receiving_agency"] = str(receiving[0].pk)
    return values


def parse_intake(post: QueryDict, files: MultiValueDict[str, UploadedFile], version: ProcedureVersion,
                 competent: list[Agency], receiving: list[Agency]) -> Intake:
    """Read the intake form. Agencies are looked up only among the offered choices; the remaining checks
    (name, documents, e-form, postal number, the clerk's role) are the action's."""
    values = {name: post.get(name, "").strip() for name in INTAKE_FIELDS}
    errors: Errors = {}
    channel = Channel.POSTAL if values["channel"] == Channel.POSTAL else Channel.COUNTER
    values["channel"] = channel.value
    if values["return_method"] not in RETURN_METHODS:
        values["return_method"] = "counter"
    competent_agency = next((a for a in competent if str(a.pk) == values["competent_agency"]), None)
    receiving_agency = next((a for a in receiving if str(a.pk) == values["receiving_agency"]), None)
    if competent_agency is None:
        errors["competent_agency"] = ("Vui lòng chọn cơ quan giải quyết.", "Please choose the competent agency.")
    codes = [str(d.get("code")) for d in version.required_documents]
    paper = [code for code in codes if post.get(f"paper__{code}")]
    uploads = []
    for code in codes:
        # One or more scanned pages (images or PDFs) per required document: combined into one PDF, digitised.
        pages = files.getlist(f"doc__{code}")
        if not pages:
            continue
        try:
            for page in pages:
                error = too_large(page.name or code, page.size or 0)
                if error is not None:
                    raise error
            name, content = combine_pages(code, [(p.name or f"{code}.pdf", p.read()) for p in pages])
        except UploadError as exc:
            errors[f"documents/{code}"] = exc.pair
            continue
        uploads.append(Upload(slot=code, name=name, content=content, digitised=True))
    return Intake(values=values, form_data=read_values(version.eform_schema, post), paper=paper, uploads=uploads,
                  competent_agency=competent_agency, receiving_agency=receiving_agency, channel=channel,
                  errors=errors)


# --- workflow actions ------------------------------------------------------------------------------

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not items and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        cleaned = []
        for item in items:
            cleaned.append(super().clean(item, initial))
        for upload in cleaned:
            error = too_large(upload.name or "tep", upload.size or 0) if upload is not None else None
            if error is not None:
                raise forms.ValidationError(localized(error), code="too_big")
        return [f for f in cleaned if f is not None]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ActionForm(forms.Form):
    """Every action form posts the dossier version the officer saw."""

    action: ClassVar[str] = ""
    expected_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"expected_version": dossier.version})
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    @property
    def visible_fields_count(self) -> int:
        return len(self.visible_fields())


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=_textarea())


class ReasonForm(ActionForm):
    note_label: ClassVar[Any] = _("Reason")
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = self.note_label


class ReceiveForm(ActionForm):
    action = "receive"


class ForwardForm(NoteForm):
    action = "forward"
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                      label=_("Officer at the next step"),
                                      empty_label=_("Anyone of that step (their agency's queue)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = next_step_staff(self.dossier)  # type: ignore[attr-defined]


class ApproveForm(NoteForm):
    action = "approve"


class ReturnResultForm(NoteForm):
    action = "return_result"


class SendBackForm(ReasonForm):
    action = "send_back"
    note_label = _("What must be redone")


class RequestSupplementForm(ActionForm):
    action = "request_supplement"
    items = forms.CharField(label=_("Documents to supplement"), help_text=_("One document per line."),
                            max_length=4000, widget=_textarea(4))
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea())

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in str(self.cleaned_data["items"]).splitlines()]
        items = [line for line in lines if line]
        if not items:
            raise forms.ValidationError(_("List at least one document."), code="required")
        return items


class SupplementForm(NoteForm):
    action = "supplement"
    scans = MultipleFileField(label=_("Scanned supplementary documents"), required=False,
                              help_text=_("Optional. PDF or images, up to 10 MB each."))


class PauseForFeesForm(NoteForm):
    action = "pause_for_fees"
    amount = forms.IntegerField(label=_("Amount to pay (VND)"), required=False, min_value=0)


class RecordPaymentForm(ActionForm):
    action = "record_payment"
    reference = forms.CharField(label=_("Receipt number"), max_length=100,
                                help_text=_("The number of the receipt given for the cash paid at the counter."))


class AssignForm(ActionForm):
    action = "assign"
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Officer"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = current_step_staff(self.dossier)  # type: ignore[attr-defined]


class ExtendForm(ReasonForm):
    action = "extend"
    note_label = _("Reason for the delay")
    new_date = forms.DateField(label=_("New appointment date"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    new_time = forms.TimeField(label=_("New appointment time"), initial=dt.time(17, 0),
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, time = cleaned.get("new_date"), cleaned.get("new_time")
        if day is not None and time is not None:
            cleaned["new_due_at"] = dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
        return cleaned


class RefuseForm(ReasonForm):
    action = "refuse"
    note_label = _("Reason for refusing")


class WithdrawForm(ReasonForm):
    action = "withdraw"
    note_label = _("The applicant's written request")


class StopForm(ReasonForm):
    action = "stop"
    note_label = _("Reason for stopping")


class CancelForm(ReasonForm):
    action = "cancel"
    note_label = _("Reason for cancelling")


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (ReceiveForm, ForwardForm, ApproveForm, ReturnResultForm, SendBackForm, RequestSupplementForm,
                 SupplementForm, PauseForFeesForm, RecordPaymentForm, AssignForm, ExtendForm, RefuseForm,
                 WithdrawForm, StopForm, CancelForm)
}
# Actions that end or turn back a dossier: their button is shown as a warning.
WARNING_ACTIONS = frozenset({"refuse", "withdraw", "stop", "cancel", "send_back"})
