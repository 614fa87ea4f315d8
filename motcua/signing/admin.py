"""The certificate map in the admin: one signing identity per agency or leader, with a "Ký thử" (test signature)
action that opens the key, signs a small PDF, checks the signature and records the certificate it used."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.signing.actions import trial_sign
from motcua.signing.models import SigningIdentity


@admin.register(SigningIdentity)
class SigningIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "holder", "kind", "is_active", "certificate_subject", "certificate_not_after",
                    "last_test_at", "last_test_ok")
    list_filter = ("kind", "is_active", "last_test_ok")
    search_fields = ("name", "agency__name", "user__username", "user__full_name", "certificate_subject")
    autocomplete_fields = ("agency", "user")
    readonly_fields = ("certificate_subject", "certificate_serial", "certificate_not_after", "last_test_at",
                       "last_test_ok", "last_test_message")
    fieldsets = (
        (None, {"fields": ("name", "agency", "user", "kind", "is_active")}),
        (_("Key"), {"fields": ("key_reference", "secret_name", "pkcs11_lib", "token_label")}),
        (_("Certificate"), {"fields": ("certificate_pem", "chain_pem", "certificate_subject", "certificate_serial",
                                       "certificate_not_after")}),
        (_("Test signature"), {"fields": ("last_test_at", "last_test_ok", "last_test_message")}),
    )
    actions = ("test_sign_action",)

    @admin.action(description=_("Test-sign with the selected identities"))
    def test_sign_action(self, request: HttpRequest, queryset: QuerySet[SigningIdentity]) -> None:
        for identity in queryset:
            outcome = trial_sign(identity)
            level = messages.SUCCESS if outcome.ok else messages.ERROR
            self.message_user(request, f"{identity.name}: {outcome.message}", level)
