"""The machinery of the access matrix: the site's routes, their URLs, bodies and answers.

``site_routes()`` lists every route of the site as ``"METHOD /path"``: each page URL pattern
with GET and POST (a page answers other methods the same way Django does, so those two are
asked), and each API operation with the method it declares. ``attempt`` makes one request
inside a savepoint that is rolled back, so no request sees another's changes; ``snapshot``
is what a refused request must leave as it was.
"""

import datetime as dt
import json
import re
from functools import cache
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import get_resolver
from django.utils.http import urlencode

from karnameh.api.api import api
from karnameh.objections.tests.builders import PDF
from tests.test_embargo import PARAM, SKIPPED, patterns

API = "/api/v1"
MULTIPART = MULTIPART_CONTENT
PAGE_METHODS = ("GET", "POST")
LOGIN = "/accounts/login/"
# Columns a refused request could change without adding or removing a row.
WATCHED = {
    "cycles.Cycle": ("status", "published_at", "circular_id", "title"),
    "cycles.Participation": ("state", "version", "specific_catalogue_id"),
    "agencies.Agency": ("name", "is_active", "parent_id"),
    "catalogue.Catalogue": ("status", "title"),
    "agreements.Agreement": ("status", "agency_approved_at", "organization_approved_at"),
    "assessments.Evidence": ("removed_at",),
    "evaluations.Assignment": ("approved_at", "removed_at", "evaluator_id"),
    "evaluations.ConflictDeclaration": ("withdrawn_at",),
    "inquiries.Inquiry": ("state", "answered_at"),
    "objections.Objection": ("state", "group_id", "new_score"),
    "objections.ExpertGroup": ("name",),
    "feedback.Feedback": ("status", "answer"),
    "accounts.ApiToken": ("revoked_at",),
    "notifications.Notification": ("read_at",),
    "results.Nomination": ("full_name",),
}


def _normal(route: str) -> str:
    """A route with its parameters written ``{name}``, the OpenAPI way."""
    return PARAM.sub(lambda m: "{" + (m.group(2) or m.group(3)) + "}", route)


@cache
def schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def api_operations() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, operations in schema()["paths"].items()
        for method in operations
    ]


def page_routes() -> list[str]:
    """Every URL pattern that is not an API operation (the API's schema and docs are pages)."""
    operations = {path for path in schema()["paths"]}
    found = []
    for route in patterns(get_resolver().url_patterns):
        if route.startswith(SKIPPED) or _normal("/" + route) in operations:
            continue
        found.append("/" + route)
    return found


def site_routes() -> list[str]:
    pages = [f"{m} {route}" for route in page_routes() for m in PAGE_METHODS]
    return pages + api_operations()


def fill(path: str, values: dict[str, str]) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(2) or m.group(3)
        if name not in values:
            raise KeyError(f"{path}: no value for {name!r}")
        return values[name]

    return PARAM.sub(value, path)


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def example(node: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: required fields only, one of each."""
    node = resolve(node)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if resolve(o).get("type") != "null"]
            return example(options[0]) if options else None
    if "default" in node:
        return node["default"]
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        return {name: example(properties[name]) for name in node.get("required", [])}
    if kind == "array":
        return []
    if kind == "string":
        return {"date": dt.date(2024, 9, 3).isoformat(), "date-time": "2024-09-03T10:00:00Z"}.get(
            node.get("format", ""), "x"
        )
    return {"integer": 1, "number": 1, "boolean": False}.get(kind or "")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("سند.pdf", PDF, content_type="application/pdf")


def body(key: str) -> tuple[str | None, Any]:
    """(content type, data) of the smallest body the operation's schema accepts."""
    method, path = key.split(" ", 1)
    operation = schema()["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return "application/json", example(content["application/json"]["schema"])
    if "multipart/form-data" in content:
        node = resolve(content["multipart/form-data"]["schema"])
        data: dict[str, Any] = {}
        for name in node.get("required", []):
            field = resolve(node["properties"][name])
            if field.get("format") == "binary":
                data[name] = pdf()
            elif field.get("type") == "array" and resolve(field["items"]).get("format") == "binary":
                data[name] = [pdf()]
            else:
                data[name] = example(field)
        return "multipart/form-data", data
    return None, None


def send(client: Client, key: str, url: str, data: Any = None) -> Any:
    """One request; the client's cookies (its session) are the same afterwards."""
    method, path = key.split(" ", 1)
    kept = client.cookies
    client.cookies = type(kept)(kept)
    try:
        if method == "GET":
            return client.get(url)
        if path not in schema()["paths"]:
            return client.generic(
                method, url, urlencode(data or {}), "application/x-www-form-urlencoded"
            )
        kind, payload = body(key)
        if kind == "multipart/form-data":
            return client.generic(
                method, url, encode_multipart(BOUNDARY, {**payload, **(data or {})}), MULTIPART
            )
        if data is not None:
            payload = data
        content = b"" if payload is None else json.dumps(payload).encode()
        return client.generic(method, url, content, kind or "application/json")
    finally:
        client.cookies = kept


def attempt(client: Client, key: str, url: str, data: Any = None) -> tuple[Any, frozenset[str]]:
    """(response, what changed: empty when nothing did): the request is made and rolled back.
    A GET is not watched (the matrix's state-changing checks are about the other methods)."""
    reads = key.startswith("GET ")
    with transaction.atomic():
        before = frozenset() if reads else snapshot()
        response = send(client, key, url, data)
        changed = frozenset() if reads else snapshot() ^ before
        transaction.set_rollback(True)
    return response, changed


@cache
def _tables() -> tuple[str, ...]:
    skipped = {"accounts_loginfailure", "accounts_usersession", "django_session"}
    return tuple(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in ("sessions", "admin", "contenttypes")
        and model._meta.db_table not in skipped
    )


@cache
def _watched_sql() -> str:
    """One query: every watched row as text, «table:id|value|value…»."""
    parts = []
    for label, fields in WATCHED.items():
        meta = apps.get_model(label)._meta
        columns = [meta.get_field(f).column for f in fields]
        text = " || '|' || ".join(f"COALESCE(CAST({c} AS TEXT), '')" for c in columns)
        # Table and column names come from the models, never from a request.
        row = f"'{meta.db_table}:' || CAST(id AS TEXT) || '|' || {text}"
        parts.append(f"SELECT {row} FROM {meta.db_table}")  # noqa: S608
    return " UNION ALL ".join(parts)


def snapshot() -> frozenset[str]:
    """Every table's row count («table=count») and the watched columns of the rows that
    matter («table:id|value|…»): the difference of two snapshots names what changed."""
    # Each count is named by its table: PostgreSQL may run a UNION ALL's parts in parallel
    # and return them in any order once a table has grown large.
    counts = " UNION ALL ".join(
        f"SELECT '{t}=' || CAST(COUNT(*) AS TEXT) FROM {t}"  # noqa: S608
        for t in _tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(counts)
        sizes = [row[0] for row in cursor.fetchall()]
        cursor.execute(_watched_sql())
        watched = [row[0] for row in cursor.fetchall()]
    return frozenset(sizes + watched)


def status_of(response: Any) -> str:
    """The answer as the table writes it: the status, and for a redirect to sign in, so."""
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    return str(response.status_code)
