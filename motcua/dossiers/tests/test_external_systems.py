"""Every outside system the catalog accepts on an external step has a handler, and only those."""

from motcua.catalog.schemas import EXTERNAL_SYSTEMS
from motcua.dossiers.external import HANDLERS, handler_for


def test_each_catalog_system_has_a_handler() -> None:
    assert set(HANDLERS) == set(EXTERNAL_SYSTEMS)
    for system in EXTERNAL_SYSTEMS:
        assert callable(handler_for(system))
