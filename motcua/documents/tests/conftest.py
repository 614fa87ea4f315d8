from motcua.documents.tests.clamd_server import clamd_server, clamd_settings  # noqa: F401 - fixtures
