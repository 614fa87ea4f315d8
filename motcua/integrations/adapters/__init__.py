"""Wire-format adapters for national systems: pure builders and parsers, no HTTP and no database.

Each module keeps every shape the protocol reference marks as guessed in one place, tagged ``GUESSED``
(see docs/integrations-national-portal.md).
"""
