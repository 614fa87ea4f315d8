"""Sign-in: the rate-limited password page, the redirect to an OIDC provider and its callback."""

from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from requests.exceptions import RequestException

from motcua.identity.actions import SignInError, sign_in_citizen
from motcua.identity.assurance import SESSION_KEY as ASSURANCE_SESSION_KEY
from motcua.identity.oidc import assurance_of, client_for, map_claims, providers
from motcua.identity.throttling import MESSAGE_EN, MESSAGE_VI

logger = logging.getLogger(__name__)


class ThrottledLoginView(LoginView):
    """Django's sign-in page, answering 429 with a bilingual message once the sign-in limits are used up
    (the counting itself is done by `motcua.identity.throttling.ThrottledModelBackend`)."""

    def form_invalid(self, form: Any) -> HttpResponse:
        if getattr(self.request, "sign_in_throttled", False):
            context = self.get_context_data(form=form, sign_in_throttled=f"{MESSAGE_VI} ({MESSAGE_EN})")
            return self.render_to_response(context, status=429)
        return super().form_invalid(form)


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
    except (OAuthError, RequestException, KeyError):
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
    return redirect(request.session.pop("oidc_next", "") or reverse("home"))


def _failed(request: HttpRequest, message_vi: str, message_en: str) -> HttpResponse:
    return render(request, "identity/sign_in_failed.html", {"message_vi": message_vi, "message_en": message_en},
                  status=400)
