"""The request type of a view that only a signed-in user reaches."""

from __future__ import annotations

from django.http import HttpRequest

from motcua.identity.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that `login_required` (or the back office's `staff_view`) let through: its user is a signed-in
    `User`, never `AnonymousUser`. Only an annotation for the type checker: Django builds the request as usual."""

    user: User
