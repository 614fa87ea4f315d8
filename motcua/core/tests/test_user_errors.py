"""One user-facing error type: every refusal an app shows a person is a `UserError` (code, Vietnamese, English),
shown in the user's language only, and returned by the API as {code, message_vi, message_en}."""

import ast
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils import translation

from motcua.core.errors import UserError, show_error, user_message
from motcua.directory.addresses import AddressInputError
from motcua.docexchange.actions import ExchangeError as DocumentExchangeError
from motcua.documents.uploads import UploadError
from motcua.dossiers.workflow import WorkflowError
from motcua.identity.actions import AccountAdminError, RepresentationError, SignInError
from motcua.integrations.business_register import BusinessRegisterError
from motcua.integrations.population import InvalidNationalId
from motcua.land.actions import LandError
from motcua.payments.invoices import PaymentError
from motcua.taxexchange.actions import ExchangeError as TaxExchangeError

ROOT = Path(__file__).resolve().parents[3]
ERROR = UserError("already_paid", "Hóa đơn này đã được thanh toán.", "This invoice is already paid.")


@pytest.mark.parametrize("cls", [WorkflowError, PaymentError, UploadError, LandError, RepresentationError,
                                 SignInError, AccountAdminError, TaxExchangeError, DocumentExchangeError,
                                 AddressInputError, InvalidNationalId, BusinessRegisterError])
def test_the_apps_refusals_are_user_errors_with_nothing_of_their_own(cls):
    assert issubclass(cls, UserError)
    assert "__init__" not in vars(cls) and {"code", "message_vi", "message_en"} <= set(vars(cls("c", "vi", "en")))


def test_no_look_alike_error_class_is_left():
    """A class outside core.errors (and the internal integration adapters) that stores message_vi and message_en
    itself is a twelfth look-alike: it should be a UserError."""
    look_alikes = []
    for path in (ROOT / "motcua").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path == ROOT / "motcua/core/errors.py":
            continue
        if "adapters" in path.parts:  # the integration adapters' protocol errors are internal, not user-facing
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error") and not any(
                    getattr(base, "id", "") == "UserError" for base in node.bases):
                for item in node.body:
                    arguments = {arg.arg for arg in item.args.args} if isinstance(item, ast.FunctionDef) else set()
                    if getattr(item, "name", "") == "__init__" and {"message_vi", "message_en"} <= arguments:
                        look_alikes.append(f"{path.relative_to(ROOT)}:{node.name}")
    # A cell's error is one entry of a catalog import's per-row list (like IntakeError's per-field messages).
    assert look_alikes == ["motcua/catalog/transfer.py:CellError"], look_alikes


def test_the_message_is_in_the_users_language_only():
    with translation.override("vi"):
        assert user_message(ERROR) == "Hóa đơn này đã được thanh toán."
    with translation.override("en"):
        assert user_message(ERROR) == "This invoice is already paid."


def test_show_error_says_one_language():
    request = RequestFactory().get("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with translation.override("en"):
        show_error(request, ERROR)
    with translation.override("vi"):
        show_error(request, LandError("already_written", "Biến động này đã được cập nhật.",
                                      "This change has already been written."))
    assert [str(m) for m in get_messages(request)] == ["This invoice is already paid.",
                                                       "Biến động này đã được cập nhật."]


def test_the_api_body_keeps_its_shape():
    assert ERROR.as_json() == {"code": "already_paid", "message_vi": "Hóa đơn này đã được thanh toán.",
                               "message_en": "This invoice is already paid."}
    assert ERROR.pair == ("Hóa đơn này đã được thanh toán.", "This invoice is already paid.")
