"""The demo's certificate map (called by `setup_demo`): the land office and the commune People's Committee of
Trấn Biên each sign with their own DEMO certificate; when the remote-signing service is configured (scripts/demo.sh
routes it to simulators/remote_signing.py through the LGSP simulator) the Trấn Biên leader signs remotely with
their own. Idempotent: certificates are kept while valid, identities are made once."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from motcua.demo.directory import AGENCIES
from motcua.directory.models import Agency
from motcua.identity.models import User
from motcua.signing.demo import REMOTE_DIR, issue_demo_certificate
from motcua.signing.models import SigningIdentity

# (file key, agency key in directory.demo.AGENCIES)
AGENCY_IDENTITIES = (("vpdkdd", "land_office"), ("ubnd-tran-bien", "tran_bien"))
REMOTE_LEADER = ("lanhdao.tranbien", "tran_bien")  # username, agency key: signs through the remote service
DEMO_SUFFIX = " (DEMO)"


def remote_signing_configured() -> bool:
    return "remote_signing" in dict(getattr(settings, "MOTCUA_INTEGRATION_SYSTEMS", {}) or {})


def ensure_demo_identities(directory: Path, *, public_url: str = "") -> list[SigningIdentity]:
    """The demo's signing identities (made or refreshed); returns the active ones."""
    eid = {spec.key: spec.eid_code for spec in AGENCIES}
    made: list[SigningIdentity] = []
    for key, agency_key in AGENCY_IDENTITIES:
        agency = Agency.objects.get(eid_code=eid[agency_key])
        path = issue_demo_certificate(directory, key, common_name=agency.name, organisation=agency.name,
                                      public_url=public_url)
        made.append(_identity(agency=agency, user=None, name=f"{agency.name}{DEMO_SUFFIX}",
                              kind=SigningIdentity.Kind.FILE, reference=str(path)))
    username, agency_key = REMOTE_LEADER
    leader = User.objects.get(username=username)
    agency = Agency.objects.get(eid_code=eid[agency_key])
    issue_demo_certificate(directory, username, common_name=leader.get_full_name() or username,
                           organisation=agency.name, public_url=public_url, folder=REMOTE_DIR)
    remote = SigningIdentity.objects.filter(user=leader, name__endswith=DEMO_SUFFIX).first()
    if remote_signing_configured():
        made.append(_identity(agency=None, user=leader, name=f"{leader.get_full_name()} — ký số từ xa{DEMO_SUFFIX}",
                              kind=SigningIdentity.Kind.REMOTE, reference=username))
    elif remote is not None and remote.is_active:  # no service to reach: the commune's certificate signs instead
        remote.is_active = False
        remote.save(update_fields=["is_active"])
    return made


def _identity(*, agency: Agency | None, user: User | None, name: str, kind: str, reference: str) -> SigningIdentity:
    rows = SigningIdentity.objects.filter(agency=agency) if agency is not None else \
        SigningIdentity.objects.filter(user=user)
    identity = rows.filter(name=name).first()
    if identity is None:
        if rows.filter(is_active=True).exists():  # the province configured its own: leave it alone
            return rows.filter(is_active=True).get()
        return SigningIdentity.objects.create(name=name, agency=agency, user=user, kind=kind,
                                              key_reference=reference)
    changed = identity.key_reference != reference or not identity.is_active
    if changed and not rows.filter(is_active=True).exclude(pk=identity.pk).exists():
        identity.key_reference, identity.is_active = reference, True
        identity.save(update_fields=["key_reference", "is_active"])
    return identity
