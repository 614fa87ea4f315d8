"""`has_role` decides from the cached assignments without a query; it must agree with `agencies_in_scope` for every
demo user, agency and role."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.directory.models import Agency, Role
from motcua.directory.selectors import agencies_in_scope, has_role


def test_has_role_agrees_with_the_scope_query(demo_agencies):
    agencies = list(Agency.objects.all())
    users = list(get_user_model().objects.all())
    assert len(users) > 5 and len(agencies) > 5
    checked = 0
    for user in users:
        for role in Role:
            in_scope = set(agencies_in_scope(user, role).values_list("pk", flat=True))
            for agency in agencies:
                assert has_role(user, agency, role) == (agency.pk in in_scope), (user.username, role, agency.name)
                checked += 1
    assert checked == len(users) * len(Role) * len(agencies)
    user = get_user_model().objects.get(username="quantri.sonnmt")  # an agency administrator: a subtree
    has_role(user, agencies[0], Role.AGENCY_ADMIN)
    with CaptureQueriesContext(connection) as queries:
        for agency in agencies:
            has_role(user, agency, Role.AGENCY_ADMIN)
    assert len(queries) == 0
