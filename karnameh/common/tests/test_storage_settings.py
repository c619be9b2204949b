"""STORAGE_BACKEND: local disk by default, an S3-compatible bucket with STORAGE_BACKEND=s3.

Read as production reads it (a fresh process with config.settings.prod and the environment).
No S3 server runs here and none is faked: these tests show the settings resolve to
django-storages' S3Storage with the environment's values and sign a URL (signing is local);
that a real bucket takes and gives back files is not tested here (docs/deploy.md).
"""

import json
import subprocess
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .settings_helpers import run_production

PROBE = """
import json
import django
django.setup()
from django.core.files.storage import default_storage, storages
s = storages["default"]
found = {"class": type(s).__module__ + "." + type(s).__name__}
for name in ("bucket_name", "endpoint_url", "region_name", "access_key", "secret_key",
             "default_acl", "querystring_auth", "querystring_expire", "addressing_style",
             "file_overwrite", "max_memory_size"):
    found[name] = getattr(s, name, None)
if found["class"].endswith("S3Storage"):
    found["url"] = s.url("uploads/2026/01/abc")
    config = s.client_config
    found["checksums"] = config.request_checksum_calculation
str(default_storage)  # a lazy object: this sets it up, as the first upload would
found["default_is_it"] = type(default_storage._wrapped).__name__
print(json.dumps(found))
"""

S3_ENV = {
    "STORAGE_BACKEND": "s3",
    "S3_BUCKET": "karnameh-evidence",
    "S3_ENDPOINT_URL": "https://s3.example.test",
    "S3_REGION": "ir-thr-1",
    "S3_ACCESS_KEY_ID": "AKIAEXAMPLEKEY",
    "S3_SECRET_ACCESS_KEY": "example-secret-key",
    "S3_ADDRESSING_STYLE": "path",
    "S3_URL_EXPIRE_SECONDS": "45",
}


def _production(**env: str) -> subprocess.CompletedProcess[str]:
    return run_production(PROBE, unset=("S3_", "STORAGE_", "AWS_"), **env)


def _resolved(**env: str) -> dict[str, Any]:
    done = _production(**env)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_files_are_on_local_disk_by_default() -> None:
    found = _resolved()
    assert found["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert found["default_is_it"] == "FileSystemStorage"


def test_storage_backend_s3_resolves_to_s3_storage_with_the_environment_s_values() -> None:
    # when
    found = _resolved(**S3_ENV)
    # then
    assert found["class"] == "storages.backends.s3.S3Storage"
    assert found["default_is_it"] == "S3Storage"
    assert found["bucket_name"] == "karnameh-evidence"
    assert found["endpoint_url"] == "https://s3.example.test"
    assert found["region_name"] == "ir-thr-1"
    assert found["access_key"] == "AKIAEXAMPLEKEY"
    assert found["secret_key"] == "example-secret-key"
    assert found["addressing_style"] == "path"
    # private objects, and only signed, short-lived URLs
    assert found["default_acl"] is None
    assert found["querystring_auth"] is True
    assert found["querystring_expire"] == 45
    # a download is spooled to disk past 2 MB, not held whole in memory
    assert found["max_memory_size"] == 2 * 1024 * 1024
    assert found["checksums"] == "when_required"
    # a URL, were one handed out, is signed for the bucket on the endpoint (no network)
    url = urlsplit(found["url"])
    query = parse_qs(url.query)
    assert (url.scheme, url.netloc) == ("https", "s3.example.test")
    assert url.path == "/karnameh-evidence/uploads/2026/01/abc"
    assert query["X-Amz-Expires"] == ["45"]
    assert query["X-Amz-Credential"][0].startswith("AKIAEXAMPLEKEY/")
    assert "/ir-thr-1/s3/aws4_request" in query["X-Amz-Credential"][0]
    assert "X-Amz-Signature" in query


def test_s3_without_a_bucket_or_an_unknown_backend_refuses_to_start() -> None:
    without_bucket = _production(STORAGE_BACKEND="s3")
    unknown = _production(STORAGE_BACKEND="ftp")
    assert without_bucket.returncode != 0 and "S3_BUCKET" in without_bucket.stderr
    assert unknown.returncode != 0 and "STORAGE_BACKEND must be local or s3" in unknown.stderr
