"""``karnameh audit verify`` / ``karnameh audit head``: the chain checked from the command line,
and its head kept outside the system to catch a tail cut off or a chain rewritten whole."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from karnameh.audit.models import AuditEvent
from karnameh.audit.services import _digest, record
from karnameh.common.text import persian_digits


def _events(actor: Any, count: int = 4) -> list[AuditEvent]:
    with transaction.atomic():
        for index in range(count):
            record(actor=actor, action="test.event", reason=f"رویداد {index}")
    return list(AuditEvent.objects.order_by("id"))


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_verify_says_the_chain_holds_with_its_count_and_head(demo: Any, demo_user: Any) -> None:
    events = _events(demo_user("staff"))
    text = _verify()
    assert "سالم" in text
    assert persian_digits(len(events)) in text
    assert events[-1].hash in text


def test_verify_names_the_first_altered_event_and_changes_nothing(
    demo: Any, demo_user: Any
) -> None:
    # given
    events = _events(demo_user("staff"))
    AuditEvent.objects.filter(pk=events[1].pk).update(reason="بعداً بازنویسی شد")
    before = list(AuditEvent.objects.order_by("id").values())
    # when
    with pytest.raises(CommandError) as refused:
        _verify()
    # then
    message = str(refused.value)
    assert "شکسته" in message and persian_digits(events[1].pk) in message
    assert list(AuditEvent.objects.order_by("id").values()) == before


def test_the_exported_head_catches_a_cut_tail(demo: Any, demo_user: Any, tmp_path: Path) -> None:
    # given: the head kept outside, then the newest event deleted: the rest still holds
    events = _events(demo_user("staff"))
    kept = tmp_path / "head.json"
    call_command("audit", "head", "--output", str(kept))
    head = json.loads(kept.read_text(encoding="utf-8"))
    assert head["format"] == "karnameh-audit-head/1"
    assert (head["event"], head["hash"], head["count"]) == (
        events[-1].pk,
        events[-1].hash,
        len(events),
    )
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    assert "سالم" in _verify()  # without the head nothing shows
    # when
    with pytest.raises(CommandError) as refused:
        _verify("--head", str(kept))
    # then
    assert persian_digits(events[-1].pk) in str(refused.value)
    assert "دیگر در پایگاه داده نیست" in str(refused.value)


def test_the_exported_head_catches_a_chain_rewritten_whole(
    demo: Any, demo_user: Any, tmp_path: Path
) -> None:
    # given: the last event altered and its hash recomputed, so the chain itself holds
    events = _events(demo_user("staff"))
    kept = tmp_path / "head.json"
    call_command("audit", "head", "-o", str(kept))
    last = AuditEvent.objects.get(pk=events[-1].pk)
    last.reason = "بازنویسی‌شده"
    last.hash = _digest(last)
    last.save()
    assert "سالم" in _verify()
    # when
    with pytest.raises(CommandError) as refused:
        _verify("--head", str(kept))
    # then
    assert "بازنویسی" in str(refused.value)


def test_a_file_that_is_not_a_head_is_refused_by_name(demo: Any, tmp_path: Path) -> None:
    malformed = {"format": "karnameh-audit-head/1", "event": "abc", "hash": "x"}
    for content in ("not json", json.dumps({"format": "something-else"}), json.dumps(malformed)):
        bad = tmp_path / "head.json"
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(CommandError) as refused:
            _verify("--head", str(bad))
        assert str(bad) in str(refused.value)


def test_head_prints_json_for_an_empty_chain(db: None) -> None:
    out = StringIO()
    call_command("audit", "head", stdout=out)
    head = json.loads(out.getvalue())
    assert (head["event"], head["count"]) == (None, 0)
