"""A bench-only Django app holding the django-viewflow version of the 5-step process (never installed by motcua)."""
