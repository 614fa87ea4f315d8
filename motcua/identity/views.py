"""Sign-in: the rate-limited password page, the redirect to an OIDC provider and its callback."""

from __future__ import annotations

from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from requests.exceptions import RequestException

from motcua.identity.actions import SignInError, sign_in_citizen
from motcua.identity.oidc import client_for, map_claims, providers


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
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims or providers()[provider].claims["national_id"] not in claims:
            claims.update(client.userinfo(token=token))
        user = sign_in_citizen(map_claims(providers()[provider], claims))
    except (OAuthError, RequestException, KeyError):
        return _failed(request, "Không xác thực được với nhà cung cấp định danh.",
                       "Sign-in with the identity provider failed.")
    except SignInError as exc:
        return _failed(request, exc.message_vi, exc.message_en)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["oidc_provider"] = provider
    return redirect(request.session.pop("oidc_next", "") or landing_url(user))


def _failed(request: HttpRequest, message_vi: str, message_en: str) -> HttpResponse:
    return render(request, "identity/sign_in_failed.html", {"message_vi": message_vi, "message_en": message_en},
                  status=400)
