"""Wire-format adapters for national systems: pure builders and parsers, no HTTP and no database.

Each module keeps every shape the protocol reference marks as guessed in one place, tagged ``GUESSED``
(see docs/integrations-national-portal.md). The package is not an app and imports nothing of motcua: it sits at
the bottom beside ``core``, so any app may speak a protocol (``identity`` the Zalo sign-in, ``integrations`` the
national systems, ``payments`` the payment platform) without depending on the apps that use the other adapters.
"""
