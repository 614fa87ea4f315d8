"""Bench-only app: the bare Django insert and read views that are the ceiling for the HTTP benchmark."""
