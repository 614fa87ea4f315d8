"""The named cast every test can ask for, built by the same code as the demo province.

citizen, other_citizen — two citizens; clerk — the counter clerk of the provincial service centre;
specialist, leader — of the land registration office; tax_specialist; other_clerk — the clerk of a commune
(another agency); agency_admin — administrator of the Department of Agriculture and Environment (whose subtree
holds the land office); province_admin.
"""

import pytest
from django.contrib.auth import get_user_model

from motcua.demo.directory import build_demo_directory
from motcua.directory.models import Agency
from motcua.directory.units import load_units


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real administrative units once per test database (about two seconds)."""
    with django_db_blocker.unblock():
        load_units()


@pytest.fixture
def units_restored(django_db_blocker):
    """A transactional test (real commits: threads, live server) empties every table when it ends; this puts the
    shared administrative units and the Government's seeded day swaps back afterwards. List it BEFORE
    transactional_db/live_server in the test's arguments so that it tears down after them. It also puts them there
    before the test, when an earlier transactional test left the tables empty."""
    from motcua.calendar.government_days import seed_government_days

    with django_db_blocker.unblock():
        ensure_shared_rows()
    yield
    with django_db_blocker.unblock():
        load_units()  # (which also drops the address converter's index read from the units just flushed)
        seed_government_days()  # (and `ensure_shared_rows` where the flush comes after this)


def ensure_shared_rows() -> None:
    """Put back the rows every test database starts with (administrative units, the Government's day swaps) when
    a transactional test emptied them. `units_restored` does it when such a test ends, but pytest-django flushes a
    live-server test's database in a fixture set up before it (so torn down after it): the rows are checked for
    here too, where tests start to need them."""
    from motcua.calendar.government_days import seed_government_days
    from motcua.calendar.models import CalendarException
    from motcua.directory.models import AdministrativeUnit

    if not AdministrativeUnit.objects.exists():
        load_units()
    if not CalendarException.objects.filter(province_code="").exists():
        seed_government_days()


@pytest.fixture
def demo_agencies(db) -> dict[str, Agency]:
    ensure_shared_rows()
    return build_demo_directory(password=None)


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def citizen(demo_agencies):
    return _user("nguyenvana")


@pytest.fixture
def other_citizen(demo_agencies):
    return _user("tranthibinh")


@pytest.fixture
def clerk(demo_agencies):
    return _user("tiepnhan.ttpvhcc")


@pytest.fixture
def specialist(demo_agencies):
    return _user("chuyenvien.vpdkdd")


@pytest.fixture
def leader(demo_agencies):
    return _user("lanhdao.vpdkdd")


@pytest.fixture
def tax_specialist(demo_agencies):
    return _user("chuyenvien.thue")


@pytest.fixture
def other_clerk(demo_agencies):
    return _user("tiepnhan.tranbien")


@pytest.fixture
def agency_admin(demo_agencies):
    return _user("quantri.sonnmt")


@pytest.fixture
def province_admin(demo_agencies):
    return _user("quantri.tinh")


@pytest.fixture
def treasury_specialist(demo_agencies):
    return _user("chuyenvien.khobac")


@pytest.fixture
def commune_specialist(demo_agencies):
    return _user("congchuc.tranbien")


@pytest.fixture
def commune_leader(demo_agencies):
    return _user("lanhdao.tranbien")


@pytest.fixture
def demo_catalog(demo_agencies):
    """The demo province's real procedures (land transfer 1.013831, birth registration 1.001193, …)."""
    from motcua.catalog.actions import import_catalog
    from motcua.catalog.transfer import load_json
    from motcua.demo.management.commands.setup_demo import DEMO_CATALOG

    import_catalog(load_json(DEMO_CATALOG.read_bytes()))
    from motcua.catalog.models import Procedure

    return {p.national_code: p for p in Procedure.objects.select_related("current_version")}


class RateClock:
    """The clock of the rate limits (django-ratelimit's fixed windows), held still until a test moves it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def rate_clock():
    """Rate-limit windows that cannot roll over in the middle of a test (a slow run could cross a minute
    boundary and reset the count); `rate_clock.advance(61)` ends a one-minute window."""
    import time
    from unittest import mock

    clock = RateClock(time.time())
    with mock.patch("django_ratelimit.core.time", clock):
        yield clock


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache, working calendars, procedure versions and agencies in the process
    (motcua.core.process_cache); every test starts with none
    (a calendar built from rows a test's rollback removed must not reach the next test)."""
    from django.core.cache import cache

    from motcua.core.process_cache import forget_all

    cache.clear()
    forget_all()
    yield
    cache.clear()
    forget_all()
