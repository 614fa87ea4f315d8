"""Where uploaded files are kept, from the environment (read by settings.py; no Django import here).

MOTCUA_STORAGE=filesystem (default): MEDIA_ROOT on the local disk.
MOTCUA_STORAGE=s3: an S3-compatible bucket through django-storages (`pip install motcua[s3]`). The bucket must
be private: files are only ever streamed through views that check who asks (no public or pre-signed URLs)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from motcua.core.env import env_bool, env_secret, env_str


def default_storage_from_env() -> dict[str, Any]:
    kind = env_str("MOTCUA_STORAGE", "filesystem").strip().lower()
    if kind in ("", "filesystem", "file"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MOTCUA_STORAGE must be 'filesystem' or 's3', got {kind!r}")
    bucket = env_str("MOTCUA_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("MOTCUA_S3_BUCKET must be set when MOTCUA_STORAGE=s3")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env_str("MOTCUA_S3_PREFIX", ""),
        "default_acl": "private",
        "querystring_auth": True,
        # Content addressing: a name always holds the same bytes, so writing it again is harmless.
        "file_overwrite": True,
        "use_ssl": env_bool("MOTCUA_S3_USE_SSL", default=True),
        "verify": env_bool("MOTCUA_S3_VERIFY", default=True),
    }
    optional = {"endpoint_url": env_str("MOTCUA_S3_ENDPOINT_URL"), "region_name": env_str("MOTCUA_S3_REGION"),
                "access_key": env_secret("MOTCUA_S3_ACCESS_KEY_ID"),
                "secret_key": env_secret("MOTCUA_S3_SECRET_ACCESS_KEY"),
                "addressing_style": env_str("MOTCUA_S3_ADDRESSING_STYLE")}
    options.update({key: value for key, value in optional.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
