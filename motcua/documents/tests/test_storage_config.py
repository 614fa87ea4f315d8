"""The storage of uploaded files comes from the environment: the filesystem by default, or an S3 bucket."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.documents.storage import default_storage_from_env


def test_filesystem_by_default(monkeypatch):
    monkeypatch.delenv("MOTCUA_STORAGE", raising=False)
    assert default_storage_from_env() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_s3_compatible_storage_is_private(monkeypatch):
    monkeypatch.setenv("MOTCUA_STORAGE", "s3")
    monkeypatch.setenv("MOTCUA_S3_BUCKET", "motcua-ho-so")
    monkeypatch.setenv("MOTCUA_S3_ENDPOINT_URL", "https://s3.dongnai.gov.vn")
    monkeypatch.setenv("MOTCUA_S3_ACCESS_KEY_ID", "AKIA-test")
    monkeypatch.setenv("MOTCUA_S3_SECRET_ACCESS_KEY", "bi-mat")
    config = default_storage_from_env()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "motcua-ho-so" and options["endpoint_url"] == "https://s3.dongnai.gov.vn"
    assert options["access_key"] == "AKIA-test" and options["secret_key"] == "bi-mat"
    assert options["default_acl"] == "private" and options["file_overwrite"] is True
    assert "region_name" not in options


def test_s3_needs_a_bucket_and_unknown_kinds_are_refused(monkeypatch):
    monkeypatch.setenv("MOTCUA_STORAGE", "s3")
    monkeypatch.delenv("MOTCUA_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured):
        default_storage_from_env()
    monkeypatch.setenv("MOTCUA_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured):
        default_storage_from_env()
