"""Every URL and API endpoint, for every member of the cast: nobody reads or writes citizen A's dossier (or agency
A's work) without the right to.

The URLs come from the resolver (the admin and the Ninja API included), so a new URL fails this test until it is
classified below: PUBLIC (with the reason it may be public) or RULES (who may use it, who may see A's data).
Path parameters are filled with citizen A's dossier, handled by agency A (the provincial service centre receives,
the land registration office decides); the result routes with A's approved dossier and its signed e-result, the draft
upload with A's dossier at the step that produces the result, the export routes with the leader's export. For each
role:
- GET: anyone outside `access` gets 401/403/404/405 or a redirect to a sign-in page, never a 2xx;
- every response (public ones too) to anyone outside `see` is free of A's data (look-up secret, name, file);
- POST by anyone outside `access` (rich form with a draft result PDF, and JSON bodies; CSRF not enforced) changes
  nothing in the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from motcua.core.tests.authz_urls import Route, all_routes, fill
from motcua.core.tests.authz_world import MARKER_NAME, World, build_world
from motcua.documents.models import StoredDocument
from motcua.dossiers.models import Dossier, PortalSync
from motcua.identity.actions import register_organisation
from motcua.identity.assurance import SESSION_KEY as ASSURANCE_SESSION_KEY
from motcua.identity.models import ApiToken, Representation
from motcua.payments.models import Invoice
from motcua.signing.models import ResultDocument

# The signing tests' fixtures: their throw-away PKI, the agency's PKCS#12 file, the loopback timestamp authority.
from motcua.signing.tests.conftest import agency_signing, draft, pki, trust_dir, tsa  # noqa: F401

CITIZENS = frozenset({"citizen", "other_citizen"})
STAFF_A = frozenset({"clerk", "specialist", "leader"})          # the agencies handling A's dossier
STAFF = STAFF_A | {"other_clerk"}
SIGNED_IN = CITIZENS | STAFF
ROLES = (*sorted(SIGNED_IN), "anonymous")

# Public by design, each with its reason. Nobody may see A's data on them without A's secret (checked below).
PUBLIC: dict[str, str] = {
    "home": "public home page: procedure search, most used procedures, look-up form, sign-in",
    "healthz": "liveness probe for the load balancer, no data",
    "readyz": "readiness probe for the load balancer, no data",
    "catalog:list": "public procedure catalog",
    "catalog:detail": "public procedure catalog",
    "api:procedures": "public procedure catalog (API)",
    "api:procedure": "public procedure catalog (API)",
    "api:openapi-json": "API schema, no data",
    "api:openapi-view": "API documentation page, no data",
    "api:api-root": "404 page of the API root",
    "backoffice:login": "sign-in form (rate-limited)",
    "portal:login": "sign-in form (rate-limited)",
    "admin:login": "admin sign-in form",
    "backoffice:logout": "signs out the caller's own session",
    "portal:logout": "signs out the caller's own session",
    "admin:logout": "signs out the caller's own session",
    "set_language": "stores the caller's language choice",
    "dossiers:lookup": "look-up form; redirects code+secret to the detail page",
    "dossiers:lookup_detail": "needs the dossier's secret (≥ 40 bits), throttled per address",
    "api:lookup": "needs the dossier's secret, throttled per address",
    "identity:oidc_login": "redirect to the national identity provider",
    "identity:oidc_callback": "OIDC callback: state, nonce and token checked by Authlib",
    "api:zalo": "Zalo token exchange, verified with Zalo; throttled per address",
    "api:app_code": "exchanges a one-time code (stored hashed, 5 minutes, single use) for a token of the account that "
                    "asked for it; throttled per address",
    "payments:vnpay_ipn": "gateway callback, HMAC-SHA512 signature checked in constant time",
    "payments:paygov_ipn": "gateway callback, signature checked",
    "payments:vnpay_return": "browser return from the gateway: signature checked, display only",
    "payments:paygov_return": "browser return from the gateway: signature checked, display only",
    "payments:vnpay_demo": "DEMO stand-in for VNPay's payment page: 404 unless MOTCUA_DEMO_PAYMENTS (refused in "
                           "production); the payment URL's signature is checked, payments change only via the IPN",
    "signing:verify": "public verification of a signed result (the citizen or a third party uploads the PDF)",
    "signing:verify_code": "public verification by the code printed on a signed result",
    "api:verify": "public verification of a signed result (API)",
    "api:provinces": "public list of the 2025 provinces (administrative units), no personal data",
    "api:communes": "public list of a province's communes (administrative units), no personal data",
    "addresses:converter": "public old-address converter page: the caller's own text, no stored data",
    "signing:demo_crl": "the demo CA's revocation list, public by nature (404 outside the demo)",
    "api:convert": "converts an old address to the 2025 units: the caller's own text, no stored data",
    # Petitions (motcua/feedback): anyone may send one (signed in or not; idempotent by the form's key); the
    # petition itself only with its code and secret (throttled); published answers are masked texts only.
    "feedback:submit": "public petition form: the caller's own text",
    "feedback:lookup": "petition look-up form; redirects code+secret to the detail page",
    "feedback:lookup_detail": "needs the petition's secret (≥ 40 bits), throttled per address; rating with it",
    "feedback:published": "answers published with the petitioner's agreement, personal data masked",
    "api:feedback_lookup": "needs the petition's secret, throttled per address",
    "statistics:public": "public one-stop statistics: counts from the monthly rollups, no personal data",
    "statistics:public_json": "public one-stop statistics (JSON download): counts only",
    "statistics:public_csv": "public one-stop statistics (CSV download): counts only",
}


@dataclass(frozen=True)
class Rule:
    access: frozenset[str]             # may get a 2xx (and may POST: not checked for them)
    see: frozenset[str] = frozenset()  # may see citizen A's data
    get: bool = True                   # False: POST-only (GET is 405 for everyone)
    sanity: bool = True                # someone in ACCESS must get a 200 (proves the path was filled right)


OWNER = Rule(access=frozenset({"citizen"}), see=frozenset({"citizen"}))
OWNER_WRITE = Rule(access=frozenset({"citizen"}), see=frozenset({"citizen"}), sanity=False)  # GET redirects
OWNER_POST = Rule(access=frozenset({"citizen"}), see=frozenset({"citizen"}), get=False)
SELF = Rule(access=SIGNED_IN, see=frozenset({"citizen"}))   # the caller's own things: only A sees A's
DOSSIER_STAFF = Rule(access=STAFF_A, see=STAFF_A)
LEADER = Rule(access=frozenset({"leader"}), see=frozenset({"leader"}))
NOBODY_IN_CAST = Rule(access=frozenset(), get=False)

RULES: dict[str, Rule] = {
    # Citizen web (portal) and API (bearer token): A's dossier only for A.
    "portal:my_dossier": OWNER,
    "portal:submitted": OWNER,
    "portal:notice_pdf": OWNER,
    "portal:my_document": OWNER,
    "portal:stored_document": OWNER,  # A's personal data store
    # The signed e-result of A's approved dossier.
    "portal:result": OWNER,
    "api:results": OWNER,
    "api:result_file": OWNER,
    "backoffice:result_file": DOSSIER_STAFF,
    # POST-only, on A's dossier at the step that produces the result: only the specialist acting there may attach
    # the draft (the form is offered to them alone: test_the_result_step_offers_the_draft_upload_to_its_staff).
    "backoffice:upload_result": Rule(access=frozenset({"specialist"}), see=STAFF_A, get=False),
    # POST-only, here on A's SIGNED e-result: nobody may take a signed result away (a draft is removed by whoever
    # acts on the step: signing/tests/test_demo_signing.py).
    "backoffice:remove_result": Rule(access=frozenset(), see=STAFF_A, get=False),
    "portal:supplement": OWNER_WRITE,
    "portal:withdraw": OWNER_WRITE,
    "portal:survey": OWNER_WRITE,
    "portal:my_dossiers": SELF,
    "portal:organisations": SELF,
    "portal:apply": Rule(access=SIGNED_IN, see=frozenset({"citizen"}), sanity=False),  # redirects to page 1
    "portal:apply_page": SELF,
    "portal:apply_check": SELF,
    "portal:submit": SELF,
    "payments:dossier": OWNER,   # or anyone holding the look-up secret
    "payments:receipt": OWNER,   # or anyone holding the look-up secret
    "api:my_dossiers": SELF,
    "api:submit": SELF,
    "api:documents": SELF,
    # Links a Zalo account to the caller's own account (bearer token or web session); POST only.
    "api:zalo_link": Rule(access=SIGNED_IN, see=frozenset({"citizen"}), get=False),
    "identity:app_code": Rule(access=CITIZENS, see=frozenset({"citizen"})),  # citizens only: staff get 403
    "docexchange:send_result": Rule(access=STAFF_A, see=STAFF_A, get=False),
    "api:my_dossier": OWNER,
    "api:invoices": OWNER,
    "api:supplement": OWNER_POST,
    "api:withdraw": OWNER_POST,
    "api:survey": OWNER_POST,
    "api:start_payment": OWNER_POST,
    # The national portal calls these with its own bearer token, which no member of the cast holds.
    "api:national_portal_push": NOBODY_IN_CAST,
    "api:national_portal_push_alias": NOBODY_IN_CAST,
    "api:national_portal_status": NOBODY_IN_CAST,
    "api:national_portal_evaluations": NOBODY_IN_CAST,
    "api:national_portal_evaluation_summary": NOBODY_IN_CAST,
    # The operations centre's feed: a machine token (MOTCUA_IOC_TOKEN) nobody in the cast holds: 401 for all.
    "api:ioc_figures": Rule(access=frozenset(), sanity=False),
    "api:ioc_overdue": Rule(access=frozenset(), sanity=False),
    # Back office: staff of the agencies handling the dossier.
    "backoffice:home": Rule(access=STAFF, see=STAFF_A),
    "backoffice:intake_choose": Rule(access=frozenset({"clerk", "other_clerk"}), see=frozenset({"clerk"})),
    "backoffice:intake": Rule(access=frozenset({"clerk", "other_clerk"}), see=frozenset({"clerk"})),
    "backoffice:awaiting_receipt": Rule(access=frozenset({"clerk", "other_clerk"}), see=frozenset({"clerk"})),
    "backoffice:queue": Rule(access=frozenset({"specialist"}), see=frozenset({"specialist"})),
    "backoffice:approvals": LEADER,
    "backoffice:dossier": DOSSIER_STAFF,
    "backoffice:document": DOSSIER_STAFF,
    "backoffice:notice_pdf": DOSSIER_STAFF,
    "backoffice:control_sheet_pdf": DOSSIER_STAFF,
    "backoffice:dossier_action": Rule(access=STAFF_A, see=STAFF_A, get=False),
    # Citizen A's pending claim to represent a business: only the clerks of the reviewing agency (the provincial
    # service centre, MOTCUA_REPRESENTATION_AGENCY_FUNCTION) see and decide it; other clerks get an empty list.
    "backoffice:representations": Rule(access=frozenset({"clerk", "other_clerk"}), see=frozenset({"clerk"})),
    "backoffice:representation_decision": Rule(access=frozenset({"clerk"}), see=frozenset({"clerk"}), get=False),
    "payments:counter": Rule(access=frozenset({"clerk"}), see=frozenset({"clerk"})),  # the receiving clerk
    # Statistics: leaders, scoped to their agencies.
    "reports:report": LEADER,
    "reports:drill_down": LEADER,
    "reports:export_xlsx": LEADER,
    "reports:report_pdf": LEADER,
    "reports:scorecard": LEADER,
    "reports:scorecard_pdf": LEADER,
    "reports:export_start": Rule(access=frozenset({"leader"}), see=frozenset({"leader"}), get=False),
    # An export job belongs to the leader who asked for it (the world's finished export).
    "reports:export_status": LEADER,
    "reports:export_download": LEADER,
    # Two-factor sign-in: a member of staff's own device (citizens get 404). Verify redirects to enrolment when
    # there is no device yet.
    "identity:two_factor_verify": Rule(access=STAFF, sanity=False),
    "identity:two_factor_enrol": Rule(access=STAFF),
    # Agency and province administrators only (none in this cast: motcua/identity/tests/test_staff_accounts.py
    # covers them, and an administrator of another agency); `user_id` is the land-office specialist.
    "identity:staff_accounts": Rule(access=frozenset(), sanity=False),
    "identity:staff_account_unlock": Rule(access=frozenset(), get=False),
    "identity:staff_account_reset_two_factor": Rule(access=frozenset(), get=False),
    # The province administrator only (not in this cast: motcua/integrations/tests/test_connections_page.py);
    # `item_id` is a national-portal sync of A's dossier.
    "integrations:connections": Rule(access=frozenset(), sanity=False),
    "integrations:retry_item": Rule(access=frozenset(), get=False),
    "integrations:skip_item": Rule(access=frozenset(), get=False),
    # Personal data protection (motcua/privacy/tests): one's own account page, export and consents; the reason page
    # for another agency's dossier (shows only its code; A's staff are sent on to the dossier); the province
    # administrator's access log and data-subject export (not in this cast).
    "privacy:my_account": SELF,
    "privacy:my_export": Rule(access=SIGNED_IN, see=frozenset({"citizen"}), get=False),
    "privacy:my_consent_withdraw": Rule(access=SIGNED_IN, see=frozenset({"citizen"}), get=False),
    "privacy:reason": Rule(access=STAFF, see=STAFF_A),
    "privacy:access_log": Rule(access=frozenset(), sanity=False),
    "privacy:access_log_csv": Rule(access=frozenset(), sanity=False),
    "privacy:subject_export": Rule(access=frozenset(), sanity=False),
    # The catalog sync page, province administrators only (motcua/integrations/tests/test_catalog_sync.py).
    "integrations:catalog_sync": Rule(access=frozenset(), sanity=False),
    "integrations:catalog_pull": Rule(access=frozenset(), get=False),
    "integrations:catalog_apply": Rule(access=frozenset(), get=False),
    # Land procedures (docs/land.md): the parcel look-up page for any working role (it shows nothing of A's until
    # asked); on A's dossier, looking the parcel up again (its staff), noting the flags (the receiving clerk or the
    # land office's specialist), the change entered by hand (the land office's specialist or leader); POST only.
    "land:lookup": Rule(access=STAFF),
    # The tax authority and treasury push with their own bearer token, which no member of the cast holds.
    "taxexchange:notice_push": NOBODY_IN_CAST,
    "taxexchange:receipt_push": NOBODY_IN_CAST,
    # The tax specialist types the notice by hand when the link is down: only at a tax step (404 elsewhere).
    "taxexchange:manual_notice": Rule(access=STAFF_A, see=STAFF_A, sanity=False),
    "backoffice:addresses": Rule(access=STAFF),  # the clerks' old-address converter: no stored data
    # POST-only: a new population-database look-up of A's applicant, from A's dossier page.
    "backoffice:dossier_registry_lookup": Rule(access=STAFF_A, see=STAFF_A, get=False),
    # POST-only: an open report of wrong registry data by A's applicant marked handled, from A's dossier page.
    "backoffice:dossier_registry_report_handled": Rule(access=STAFF_A, see=STAFF_A, get=False),
    # Only after a VNeID sign-in with registry data filled in (none in the cast): 404 for everyone here.
    "portal:report_registry_data": Rule(access=frozenset(), sanity=False),
    # The consent before the pre-fill: only after a VNeID sign-in (none in the cast): 404 for everyone here.
    "portal:prefill_consent": Rule(access=frozenset(), sanity=False),
    "land:check_again": Rule(access=STAFF_A, see=STAFF_A, get=False),
    "land:acknowledge": Rule(access=frozenset({"clerk", "specialist"}), see=STAFF_A, get=False),
    "land:manual_write_back": Rule(access=frozenset({"specialist", "leader"}), see=STAFF_A, get=False),
    # The caller's own online application filled from the land database (404 without a draft); POST only.
    "land_portal:fill": Rule(access=SIGNED_IN, see=frozenset({"citizen"}), get=False),
    # Petitions (motcua/feedback): the Mini App's own list and submission; rating one's own answered petition;
    # the staff of the competent agency (A's petition is at the land office: its specialist and leader); the
    # counter entry for clerks (an empty form); the actions POST only.
    "api:feedback": SELF,
    "api:feedback_rate": OWNER_POST,
    "feedback_office:list": Rule(access=STAFF, see=frozenset({"specialist", "leader"})),
    "feedback_office:intake": Rule(access=frozenset({"clerk", "other_clerk"})),
    "feedback_office:detail": Rule(access=frozenset({"specialist", "leader"}), see=frozenset({"specialist", "leader"})),
    "feedback_office:action": Rule(access=frozenset({"specialist", "leader"}), see=frozenset({"specialist", "leader"}),
                                   get=False),
}
# The Django admin (every model's pages, present and future): staff flag plus per-model permissions, which none
# of the cast holds. Staff may open the empty index; nobody in the cast may see A's data or change anything.
ADMIN = Rule(access=STAFF, sanity=False)
DENIED = {401, 403, 404, 405}
SIGN_IN_PAGES = ("/dang-nhap/", "/mot-cua/dang-nhap/", "/quan-tri/login/")


def _rule(route: Route) -> Rule | None:
    if route.key in PUBLIC:
        return Rule(access=frozenset(ROLES), sanity=False)
    if route.name.startswith("admin:") and route.key not in PUBLIC:
        return ADMIN
    return RULES.get(route.key)


@pytest.fixture
def world(request, demo_catalog, demo_agencies, citizen, other_citizen, clerk, specialist, leader, other_clerk,
          tax_specialist, treasury_specialist) -> World:
    request.getfixturevalue("agency_signing")  # the deployment signs results with the test PKI's agency key
    cast = {"citizen": citizen, "other_citizen": other_citizen, "clerk": clerk, "specialist": specialist,
            "leader": leader, "other_clerk": other_clerk, "anonymous": None}
    world = build_world(demo_catalog, demo_agencies, cast, tax_specialist=tax_specialist,
                        treasury_specialist=treasury_specialist, draft=request.getfixturevalue("draft"))
    register_organisation(representative=citizen, tax_code="0100109106", name=f"Công ty {MARKER_NAME}")
    return world


# Routes whose `code` names another of A's dossiers than the one at the tax office.
SIGNED_DOSSIER_ROUTES = frozenset({"portal:result", "api:results", "api:result_file", "backoffice:result_file",
                                   "backoffice:remove_result"})
RESULT_STEP_ROUTES = frozenset({"backoffice:upload_result"})


def _dossier(route: Route, world: World) -> Dossier:
    if route.key in SIGNED_DOSSIER_ROUTES:
        return world.signed
    if route.key in RESULT_STEP_ROUTES:
        return world.at_result_step
    return world.dossier


def _path(route: Route, world: World, agencies: dict[str, Any]) -> str:
    dossier = _dossier(route, world)
    stored = StoredDocument.objects.filter(owner=world.users["citizen"]).order_by("pk").first()
    values = {
        "code": dossier.code, "national_code": dossier.procedure.national_code,
        "document_id": (str(stored.pk if stored else 999999) if route.route.startswith("kho-du-lieu/")
                        else str(dossier.documents.order_by("pk").first().pk)),
        "notice_id": str(dossier.notices.order_by("pk").first().pk),
        "number": world.invoice.number if "quay/" in route.route else world.receipt.number,
        "agency_id": str(agencies["land_office"].pk), "role": "specialist", "action": "forward", "index": "0",
        "provider": "vneid", "job_id": str(world.export.pk), "result_id": str(world.result.pk),
        "object_id": str(world.invoice.pk), "id": str(citizen_pk(world)),
        "content_type_id": "1", "user_id": str(world.users["specialist"].pk),
        "representation_id": str(Representation.objects.values_list("pk", flat=True).order_by("pk").first()),
        "system": "dvcqg", "queue": "portal_sync", "feedback_code": world.feedback.code,
        "item_id": str(PortalSync.objects.filter(dossier=dossier).values_list("pk", flat=True).order_by("pk").first()),
    }
    return fill(route.route, values)


def citizen_pk(world: World) -> int:
    user = world.users["citizen"]
    assert user is not None
    return user.pk


def _client(world: World, role: str) -> tuple[Client, dict[str, str]]:
    client = Client()
    user = world.users[role]
    if user is None:
        return client, {}
    client.force_login(user)
    session = client.session
    session[ASSURANCE_SESSION_KEY] = 2  # a level 2 VNeID sign-in: the land transfer needs it to apply online
    session.save()
    return client, {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"}


def _body(response: Any) -> str:
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return bytes(content).decode(errors="replace")


def _snapshot() -> tuple[Any, ...]:
    counts = tuple(
        (model._meta.label, model._default_manager.count()) for model in apps.get_models()
        if model not in (Session, ApiToken) and not model._meta.proxy
    )
    return (counts, tuple(Dossier.objects.order_by("pk").values_list("pk", "status", "version", "assignee_id")),
            tuple(Representation.objects.order_by("pk").values_list("pk", "status")),
            tuple(Invoice.objects.order_by("pk").values_list("pk", "state", "paid_amount")))


def _denied(response: Any) -> bool:
    if response.status_code in DENIED:
        return True
    return bool(response.status_code == 302 and response["Location"].split("?")[0].endswith(SIGN_IN_PAGES))


def test_every_url_is_classified():
    unclassified = sorted({r.key for r in all_routes() if _rule(r) is None})
    assert not unclassified, f"classify these URLs in PUBLIC or RULES: {unclassified}"
    stale = sorted((set(RULES) | set(PUBLIC)) - {r.key for r in all_routes()})
    assert not stale, f"classified URLs that no longer exist: {stale}"


# Hundreds of requests from one address: the look-up and sign-in limits (tested elsewhere) must not hide the answers.
@override_settings(MOTCUA_LOOKUP_RATE="100000/m", MOTCUA_SIGN_IN_RATE_PER_IP="100000/m",
                   MOTCUA_SIGN_IN_FREE_FAILURES=100000)
def test_nobody_reads_or_writes_what_is_not_theirs(world, demo_agencies):
    problems: list[str] = []
    for route in all_routes():
        rule = _rule(route)
        if rule is None:
            continue  # reported by test_every_url_is_classified
        path = _path(route, world, demo_agencies)
        someone_ok = False
        for role in ROLES:
            client, headers = _client(world, role)
            response = client.get(path, **headers)  # type: ignore[arg-type]
            body = _body(response)
            where = f"GET {path} as {role} → {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where}: server error")
            if role not in rule.see and any(secret in body for secret in world.secrets):
                problems.append(f"{where}: shows citizen A's data")
            if role in rule.access:
                someone_ok |= response.status_code == 200
            elif route.key not in PUBLIC and not _denied(response):
                problems.append(f"{where}: not denied")
            if role in rule.access:
                continue
            before = _snapshot()
            form = {"note": "x", "reason": "x", "decision": "confirm", "comment": "x", "method": "cash", "amount": "1",
                    "key": "authz", "invoice": world.invoice.number, "provider": "vnpay",
                    "version": str(_dossier(route, world).version), "idempotency_key": "authz", "q1": "5", "s": ""}
            if route.route.startswith("api/"):
                payload = {**form, "answers": {"q1": 5}, "documents": [], "procedure_code": "1.013831",
                           "agency_eid": demo_agencies["land_office"].eid_code, "access_token": "x",
                           "phone_code": "x"}
                response = client.post(path, json.dumps(payload), content_type="application/json",
                                       **headers)  # type: ignore[arg-type]
            else:
                draft_result = SimpleUploadedFile("ket-qua.pdf", world.draft, "application/pdf")
                response = client.post(path, {**form, "draft": draft_result}, **headers)  # type: ignore[arg-type]
            where = f"POST {path} as {role} → {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where}: server error")
            if _snapshot() != before:
                problems.append(f"{where}: changed the database")
            if role not in rule.see and any(secret in _body(response) for secret in world.secrets):
                problems.append(f"{where}: shows citizen A's data")
        if rule.get and rule.sanity and not someone_ok:
            problems.append(f"GET {path}: nobody allowed got a 200 (path parameters wrong?)")
    assert not problems, "\n".join(problems)


def test_the_matrix_catches_a_leak(world, demo_agencies):
    """The check itself bites: the owner's page shows the markers, another citizen's answer does not."""
    owner, _ = _client(world, "citizen")
    page = _body(owner.get(reverse("portal:my_dossier", args=[world.dossier.code])))
    assert world.dossier.lookup_secret in page
    intruder, _ = _client(world, "other_citizen")
    response = intruder.get(reverse("portal:my_dossier", args=[world.dossier.code]))
    assert _denied(response) and world.dossier.lookup_secret not in _body(response)


def test_the_result_step_offers_the_draft_upload_to_its_staff(world):
    """The draft upload is POST-only (the matrix checks its denials): at the step that produces the result, the
    specialist acting there is offered the form and attaches the draft; the other staff of A's dossier are not."""
    dossier = world.at_result_step
    page_url = reverse("backoffice:dossier", args=[dossier.code])
    upload_url = reverse("backoffice:upload_result", args=[dossier.code])
    for role in ("clerk", "leader"):
        client, _ = _client(world, role)
        response = client.get(page_url)
        assert response.status_code == 200 and upload_url not in _body(response)
    specialist, _ = _client(world, "specialist")
    response = specialist.get(page_url)
    assert response.status_code == 200 and upload_url in _body(response)
    response = specialist.post(upload_url, {"draft": SimpleUploadedFile("ket-qua.pdf", world.draft, "application/pdf")})
    assert response.status_code == 302 and response["Location"] == page_url
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.DRAFT)
    file_url = reverse("backoffice:result_file", args=[dossier.code, result.pk])
    page = specialist.get(page_url)
    assert page.status_code == 200 and file_url in _body(page)
    download = specialist.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == world.draft  # type: ignore[attr-defined]
