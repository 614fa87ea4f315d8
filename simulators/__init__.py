"""Local stand-ins for national systems, for tests and the demo (no Django needed). See docs/integrations-*.md."""
