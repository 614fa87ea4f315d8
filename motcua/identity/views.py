"""Sign-in: the rate-limited password page, the second factor for staff (code, enrolment), the administrators'
page that unlocks and resets staff accounts, the redirect to an OIDC provider and its callback."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import Any

import segno
from authlib.integrations.base_client.errors import OAuthError
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.errors import JoseError
from requests.exceptions import RequestException

from motcua.identity.actions import (
    AccountAdminError,
    SignInError,
    confirm_totp_device,
    reset_two_factor,
    sign_in_citizen,
    start_totp_enrolment,
    unlock_sign_in,
)
from motcua.identity.assurance import SESSION_KEY as ASSURANCE_SESSION_KEY
from motcua.identity.models import User
from motcua.identity.oidc import assurance_of, client_for, enabled_providers, map_claims, providers
from motcua.identity.selectors import accounts_managed_by, staff_accounts_page


def landing_url(user: Any) -> str:
    """Where a sign-in without `next` leads: staff with a working role (clerk, specialist, leader) to the back
    office, administrators without one to the administration, citizens to their dossiers."""
    from motcua.directory.models import Role, StaffAssignment

    roles = set(StaffAssignment.objects.filter(user_id=user.pk, is_active=True).values_list("role", flat=True))
    if roles & {Role.CLERK, Role.SPECIALIST, Role.LEADER}:
        return reverse("backoffice:home")
    if roles or user.is_staff or user.is_superuser:
        return reverse("admin:index")
    return reverse("portal:my_dossiers")

logger = logging.getLogger(__name__)


class ThrottledLoginView(LoginView):
    """Django's sign-in page, answering 429 with a bilingual message once the sign-in limits are used up
    (the counting itself is done by `motcua.identity.throttling.ThrottledModelBackend`). Without a `next`
    it leads to the user's own start page (`landing_url`), never to Django's /accounts/profile/."""

    def get_default_redirect_url(self) -> str:
        if self.next_page:
            return str(super().get_default_redirect_url())
        return landing_url(self.request.user)

    def form_invalid(self, form: Any) -> HttpResponse:
        if getattr(self.request, "sign_in_throttled", False):
            context = self.get_context_data(
                form=form, sign_in_throttled=_("Too many sign-in attempts; please try again in a few minutes."))
            return self.render_to_response(context, status=429)
        return super().form_invalid(form)


def _next_or_landing(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
        return next_url
    return landing_url(request.user)


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not (user.is_staff or user.is_superuser):
        raise Http404  # citizens sign in with VNeID / the national portal: no second factor here
    return user


@login_required(login_url="backoffice:login")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a staff sign-in: a code from the authenticator app, or one of the backup codes."""
    user = _staff_user(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_or_landing(request))
    if not user_has_device(user, confirmed=True):
        return redirect(reverse("identity:two_factor_enrol"))
    error = ""
    if request.method == "POST":
        token = "".join(request.POST.get("token", "").split()).lower()
        device = match_token(user, token) if token else None
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(_next_or_landing(request))
        error = _("The code is not right or was already used. Check the time on your phone, wait for the next "
                  "code and try again; after several wrong codes you must wait longer each time.")
    return render(request, "identity/two_factor_verify.html",
                  {"error": error, "next": request.POST.get("next") or request.GET.get("next", "")},
                  status=400 if error else 200)


@login_required(login_url="backoffice:login")
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), confirm with one code, and receive
    one-time backup codes. A member of staff who already has a device must give a code from it first."""
    user = _staff_user(request)
    if user_has_device(user, confirmed=True) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect(reverse("identity:two_factor_verify"))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    error = ""
    device = None
    if request.method == "POST":
        device = TOTPDevice.objects.filter(pk=request.session.get("two_factor_enrol_device"), user=user,
                                           confirmed=False).first()
        if device is not None:
            codes = confirm_totp_device(user, device, request.POST.get("token", ""))
            if codes is not None:
                del request.session["two_factor_enrol_device"]
                request.session.cycle_key()
                otp_login(request, device)
                return render(request, "identity/two_factor_backup_codes.html",
                              {"codes": codes, "continue_url": _next_or_landing(request)})
            error = _("The code is not right. Enter the 6-digit code the app shows now.")
    if device is None:
        device = start_totp_enrolment(user)
        request.session["two_factor_enrol_device"] = device.pk
    secret = base64.b32encode(device.bin_key).decode()
    context = {"qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5), "error": error,
               "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "next": next_url}
    return render(request, "identity/two_factor_enrol.html", context, status=400 if error else 200)


def _administrator(request: HttpRequest) -> User:
    from motcua.directory.selectors import ADMIN_ROLES, agencies_in_scope

    user = request.user
    if not isinstance(user, User) or not agencies_in_scope(user, *ADMIN_ROLES).exists():
        raise PermissionDenied
    return user


@login_required(login_url="backoffice:login")
def staff_accounts(request: HttpRequest) -> HttpResponse:
    """Administrators: the staff of their agencies, to lift sign-in delays or reset a lost two-factor device."""
    actor = _administrator(request)
    return render(request, "identity/staff_accounts.html", {"accounts": staff_accounts_page(actor)})


def _act_on_account(request: HttpRequest, user_id: int, act: Callable[..., None], done: str) -> HttpResponse:
    """An administrator's act on a staff account of their agencies (anyone else's account: 404)."""
    actor = _administrator(request)
    user = get_object_or_404(accounts_managed_by(actor), pk=user_id)
    try:
        act(actor=actor, user=user)
    except AccountAdminError:
        raise Http404 from None
    messages.success(request, done % {"name": user})
    return redirect(reverse("identity:staff_accounts"))


@require_POST
@login_required(login_url="backoffice:login")
def staff_account_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act_on_account(request, user_id, unlock_sign_in, _("Sign-in of %(name)s is unlocked."))


@require_POST
@login_required(login_url="backoffice:login")
def staff_account_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act_on_account(request, user_id, reset_two_factor, _(
        "The two-factor device of %(name)s is removed; they set up a new one at their next sign-in."))


UNVERIFIED_SIGN_IN_VI = ("Không xác minh được thông tin đăng nhập do nhà cung cấp định danh gửi về (chữ ký hoặc "
                         "mã kiểm tra không hợp lệ). Vui lòng đăng nhập lại; nếu vẫn lỗi, hãy thử lại sau.")
UNVERIFIED_SIGN_IN_EN = ("The sign-in answer of the identity provider could not be verified (bad signature or "
                         "check value). Please sign in again; if it still fails, try again later.")


def oidc_login(request: HttpRequest, provider: str) -> HttpResponse:
    client = client_for(provider)
    if client is None:
        raise Http404
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        request.session["oidc_next"] = next_url
    redirect_uri = request.build_absolute_uri(reverse("identity:oidc_callback", args=[provider]))
    extra = {"acr_values": providers()[provider].acr_values} if providers()[provider].acr_values else {}
    try:
        response: HttpResponse = client.authorize_redirect(request, redirect_uri, **extra)
    except RequestException:
        return _failed(request, "Không kết nối được nhà cung cấp định danh.", "The identity provider is unreachable.")
    return response


def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    client = client_for(provider)
    if client is None:
        raise Http404
    if "error" in request.GET:
        return _failed(request, "Đăng nhập đã bị hủy hoặc bị từ chối.", "Sign-in was cancelled or refused.")
    config = providers()[provider]
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})  # the ID token's claims, checked by Authlib
        assurance = assurance_of(config, claims)  # from the ID token only, never from the userinfo answer
        if not claims or config.claims["national_id"] not in claims:
            claims.update(client.userinfo(token=token))
        user = sign_in_citizen(map_claims(config, claims), assurance_level=assurance.level)
    except JoseError as exc:  # a bad signature, another nonce, an expired or foreign ID token: never trusted
        logger.warning("OIDC provider %s sent an ID token that does not verify: %s", provider, exc)
        return _failed(request, UNVERIFIED_SIGN_IN_VI, UNVERIFIED_SIGN_IN_EN)
    except (OAuthError, RequestException, KeyError, ValueError):  # ValueError: a token answer that is not JSON
        return _failed(request, "Không xác thực được với nhà cung cấp định danh.",
                       "Sign-in with the identity provider failed.")
    except SignInError as exc:
        return _failed(request, exc.message_vi, exc.message_en)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["oidc_provider"] = provider
    request.session[ASSURANCE_SESSION_KEY] = assurance.level
    if not assurance.acr_recognised:
        logger.warning("OIDC provider %s returned no known acr; the sign-in proves no level", provider)
        messages.warning(request, _("%(provider)s did not confirm the level of your electronic identification "
                                    "account: procedures that require a level cannot be applied for online in "
                                    "this sign-in.") % {"provider": config.label})
    elif assurance.below_request:
        messages.warning(request, _("You are signed in with an electronic identification account of level "
                                    "%(level)s. Some procedures require level %(requested)s: activate it in the "
                                    "VNeID app or at the police of your commune or ward, then sign in again.")
                         % {"level": assurance.level, "requested": assurance.requested})
    return redirect(request.session.pop("oidc_next", "") or landing_url(user))


def _failed(request: HttpRequest, message_vi: str, message_en: str) -> HttpResponse:
    return render(request, "identity/sign_in_failed.html", {"message_vi": message_vi, "message_en": message_en},
                  status=400)


@login_required(login_url="backoffice:login")
def app_code(request: HttpRequest) -> HttpResponse:
    """A one-time code for the Zalo Mini App (POST makes it): typed into the app, it signs the app in to this
    account at the level this sign-in proved (a VNeID level 2 for the land procedures). Citizens only."""
    from motcua.directory.models import StaffAssignment
    from motcua.identity.assurance import level_of_request
    from motcua.identity.tokens import APP_CODE_LIFETIME, issue_app_code

    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    if user.is_staff or StaffAssignment.objects.filter(user_id=user.pk, is_active=True).exists():
        raise PermissionDenied
    level = level_of_request(request)
    code = issue_app_code(user, level) if request.method == "POST" else ""
    return render(request, "identity/app_code.html", {
        "code": code, "level": level, "minutes": int(APP_CODE_LIFETIME.total_seconds() // 60),
        "identity_providers": enabled_providers(),
    })
