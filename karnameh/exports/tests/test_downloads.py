"""The Excel and CSV exports of a cycle: what staff download, and who is refused."""

import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from karnameh.accounts.models import Role
from karnameh.agencies.models import Agency, Province
from karnameh.audit.models import AuditEvent
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle, participation, step_day
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.services import inquiries_send
from karnameh.objections.groups import group_create
from karnameh.objections.services import objection_decide, objection_file, objection_route
from karnameh.results.models import Result
from karnameh.results.ranking import standings
from karnameh.results.tests.builders import evaluate

from .builders import approved_cycle, client_of, release, user, user_of

SCORE_EXPORTS = ("ranking.xlsx", "bonus.xlsx", "bonus.csv", "festival.xlsx")
STAFF_TABLES = ("objections.xlsx", "inquiries.xlsx", "queues.xlsx")
PACKAGE = ("package.json", "package.xlsx")


def sheets(content: bytes) -> dict[str, Any]:
    return {ws.title: ws for ws in load_workbook(io.BytesIO(content)).worksheets}


def rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]


def marks(cycle: Cycle) -> set[str]:
    """Every agency's final and general totals as a page (Persian) or a file (ASCII) writes
    them; whole numbers are left out, too common to mean a leak."""
    found: set[str] = set()
    for r in Result.objects.filter(participation__cycle=cycle):
        for n in (r.final, r.general):
            text = format(Decimal(n).normalize(), "f")
            if "." in text:
                found |= {fa(n), text}
    return found


@pytest.fixture
def approved(demo: Any) -> Cycle:
    return approved_cycle()


def test_staff_download_the_ranking_overall_and_per_peer_group(approved: Cycle) -> None:
    # given
    cycle = approved
    expected = standings(cycle)
    # when
    response = client_of(user("staff")).get(f"/exports/{cycle.pk}/ranking.xlsx")
    # then
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ranking-ardabil-1403-')
    assert "filename*=UTF-8''" in disposition
    found = sheets(response.content)
    groups = {s.agency.agency_type.name for s in expected}
    assert len(found) == 1 + len(groups)
    overall = next(iter(found.values()))
    assert overall.sheet_view.rightToLeft
    assert overall.freeze_panes == "A3"
    title = overall["A1"].value
    assert fa(cycle.title) in title and "۱۴۰" in title  # the cycle and a Jalali date
    assert overall["A2"].font.bold
    table = rows(overall)
    assert [r[2] for r in table] == [s.agency.code for s in expected]
    first, best = table[0], expected[0]
    assert first[0] == best.rank and first[1] == best.peer_rank
    assert first[3] == best.agency.name
    # Numbers are numbers (Excel sums them), equal to the fixed results.
    assert isinstance(first[8], int | float)
    assert Decimal(str(first[8])) == best.result.final
    assert Decimal(str(first[6])) == best.result.general
    assert Decimal(str(first[10])) == best.bonus
    # One sheet per peer group holds just its agencies, by their rank in the group.
    for kind in groups:
        members = [s for s in expected if s.agency.agency_type.name == kind]
        sheet = next(ws for name, ws in found.items() if kind.startswith(name[:20]))
        assert [r[2] for r in rows(sheet)] == [
            s.agency.code for s in sorted(members, key=lambda s: (s.peer_rank, s.agency.code))
        ]


def test_the_bonus_coefficients_in_excel_and_csv(approved: Cycle) -> None:
    # given
    cycle = approved
    expected = {s.agency.code: s for s in standings(cycle)}
    client = client_of(user("staff"))
    # when
    csv = client.get(f"/exports/{cycle.pk}/bonus.csv")
    workbook = client.get(f"/exports/{cycle.pk}/bonus.xlsx")
    # then: UTF-8 with a byte-order mark, so Excel reads the Persian names
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.startswith("\ufeff".encode())
    assert "filename*=UTF-8''" in csv["Content-Disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(expected)
    for line in lines[1:]:
        code, name, final, band, coefficient = line.split(",")
        standing = expected[code]
        assert name == standing.agency.name
        assert Decimal(final) == standing.result.final
        assert Decimal(coefficient) == standing.bonus
        lower = {Decimal("0.5"): "0–40", Decimal("1.0"): "40–70", Decimal("1.25"): "70+"}
        assert band == lower[standing.bonus]
    table = rows(next(iter(sheets(workbook.content).values())))
    assert {r[0]: Decimal(str(r[4])) for r in table} == {c: s.bonus for c, s in expected.items()}


def test_the_festival_list_names_the_agencies_honoured_and_the_nominees(approved: Cycle) -> None:
    # given
    cycle = approved
    honoured = {s.agency.code for s in standings(cycle) if s.festival}
    # when
    response = client_of(user("deputy")).get(f"/exports/{cycle.pk}/festival.xlsx")
    # then
    assert response.status_code == 200
    agencies, people = sheets(response.content).values()
    assert {r[2] for r in rows(agencies)} == honoured
    assert [(r[0], r[3], r[4]) for r in rows(people)] == [("AR-ED", "مریم احمدی", "مدیرکل")]


def test_the_staff_tables_of_the_evaluation(demo: Any) -> None:
    # given: an inquiry answered and an objection decided, as the evaluation goes
    cycle = open_cycle(year=1402)
    evaluate(cycle, agree=False)
    ed = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 8), tick=False):
        inquiries_send(actor=user("staff"), cycle=cycle)
    with time_machine.travel(step_day(cycle, 9, offset=2), tick=False):
        objection = objection_file(
            actor=user("agency"),
            participation=ed,
            part="general",
            gauge_code="2.10.1",
            reasoning="سامانهٔ رصد از آغاز سال برقرار بوده است.",
        )
        group = group_create(
            actor=user("staff"), cycle=cycle, name="گروه کارشناسی ۱", members=[user("staff")]
        )
        objection_route(actor=user("staff"), objection=objection, group=group)
        objection_decide(
            actor=user("staff"),
            objection=objection,
            accepted=True,
            reasons="مستندات تازه پذیرفته شد.",
            data={"score": 17},
        )
    client = client_of(user("staff"))
    # when
    queues = client.get(f"/exports/{cycle.pk}/queues.xlsx")
    objections = client.get(f"/exports/{cycle.pk}/objections.xlsx")
    inquiries = client.get(f"/exports/{cycle.pk}/inquiries.xlsx")
    # then: the board of evaluators, one row per assignment, with its progress
    assert queues.status_code == objections.status_code == inquiries.status_code == 200
    board, loads = sheets(queues.content).values()
    assigned = rows(board)
    assert {r[4] for r in assigned} == {"AR-ED", "AR-EF", "AR-TAX", "AR-WEL"}
    assert all(r[0] == "ev-results" and r[7] > 0 and r[8] > 0 for r in assigned)
    assert ["ev-results", 4] in [[r[0], r[4]] for r in rows(loads)]
    # the objection with the group, the score objected to and the new one
    (found,) = rows(next(iter(sheets(objections.content).values())))
    objection.refresh_from_db()
    assert found[0] == "AR-ED" and found[3] == "2.10.1" and found[6] == "گروه کارشناسی ۱"
    assert Decimal(str(found[7])) == objection.old_score
    assert Decimal(str(found[8])) == objection.new_score == Decimal(17)
    # every inquiry sent, agency by agency
    sent = rows(next(iter(sheets(inquiries.content).values())))
    assert len(sent) == Inquiry.objects.filter(cycle=cycle).count() > 0
    assert "AR-ED" in {r[2] for r in sent}


def test_the_index_offers_what_the_person_may_download(approved: Cycle) -> None:
    cycle = approved
    staff = client_of(user("staff")).get(f"/exports/{cycle.pk}/")
    council = client_of(user("council")).get(f"/exports/{cycle.pk}/")
    assert staff.status_code == council.status_code == 200
    body = staff.content.decode()
    for name in ("ranking", "bonus-csv", "festival", "objections", "inquiries", "queues"):
        assert f'data-testid="export-{name}"' in body
    # No package before publication; the council does not manage inquiries or evaluators.
    assert 'data-testid="export-package"' not in body
    seen = council.content.decode()
    assert 'data-testid="export-ranking"' in seen and 'data-testid="export-queues"' not in seen


def outsiders() -> dict[str, Any]:
    ilam = Province.objects.get(code="ilam")
    ef = Agency.objects.get(code="AR-EF")
    return {
        "hq": user("hq"),
        "national": user("national"),
        "agency (its own scores)": user("agency"),
        "another agency": user_of("ef-user", Role.AGENCY, agency=ef),
        "assessing body": user("assessor"),
        "evaluator": user("ev-results"),
        "another province's staff": user_of("ilam-staff", Role.STAFF, province=ilam),
        "anonymous": None,
    }


def refused(client: Client, path: str, secrets: set[str]) -> list[str]:
    response = client.get(path)
    body = response.content.decode("utf-8", "replace")
    problems = []
    if response.status_code not in (302, 403, 404):
        problems.append(f"{path}: {response.status_code}")
    if response.status_code == 302 and "/accounts/login/" not in response["Location"]:
        problems.append(f"{path}: redirected to {response['Location']}")
    problems += [f"{path}: {s}" for s in secrets if s in body]
    return problems


def test_every_export_is_refused_before_publication_but_to_the_organization(
    approved: Cycle,
) -> None:
    # given
    cycle = approved
    secrets = marks(cycle)
    assert len(secrets) >= 4
    paths = [f"/exports/{cycle.pk}/{name}" for name in (*SCORE_EXPORTS, *STAFF_TABLES, *PACKAGE)]
    before = AuditEvent.objects.count()
    # when / then
    for label, person in outsiders().items():
        client = client_of(person)
        found = [p for path in paths for p in refused(client, path, secrets)]
        assert found == [], label
        assert client.get(f"/exports/{cycle.pk}/").status_code in (302, 403, 404), label
    for name in ("staff", "deputy", "council"):
        client = client_of(user(name))
        for path in paths[: len(SCORE_EXPORTS)]:
            assert client.get(path).status_code == 200, (name, path)
        # The package waits for publication, even for the organization.
        for path in paths[-2:]:
            assert client.get(path).status_code == 403, (name, path)
    assert AuditEvent.objects.count() == before


def test_after_publication_score_exports_stay_internal_and_the_package_leaves(
    approved: Cycle,
) -> None:
    # given
    cycle = release(approved)
    paths = [f"/exports/{cycle.pk}/{name}" for name in (*SCORE_EXPORTS, *PACKAGE)]
    # when / then: payroll and festival lists are internal papers, published or not
    for label, person in outsiders().items():
        client = client_of(person)
        for path in paths:
            assert client.get(path).status_code in (302, 403, 404), (label, path)
    client = client_of(user("staff"))
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert 'data-testid="export-package"' in client.get(f"/exports/{cycle.pk}/").content.decode()


def test_the_persian_file_name_is_sent_as_rfc_6266_asks(approved: Cycle) -> None:
    response = client_of(user("staff")).get(f"/exports/{approved.pk}/festival.xlsx")
    disposition = response["Content-Disposition"]
    ascii_part, utf8_part = disposition.split("; filename*=")
    assert ascii_part.startswith('attachment; filename="festival-ardabil-1403-')
    # the name people read is Persian (the catalogue's «جشنواره»), percent-encoded as UTF-8
    assert utf8_part.startswith("UTF-8''") and quote("جشنواره") in utf8_part
    assert response["Cache-Control"] == "no-store"


def test_the_ranking_runs_as_a_background_job(approved: Cycle) -> None:
    # given
    from karnameh.jobs.registry import get_kind

    kind = get_kind("exports.ranking")
    assert kind is not None and kind.action == "exports.results"
    steps: list[tuple[int, int]] = []
    # when
    name, content, content_type = kind.run(
        SimpleNamespace(cycle=approved),  # type: ignore[arg-type]
        lambda done, total: steps.append((done, total)),
    )
    # then: the same workbook as the download
    assert name.startswith("ranking-ardabil-1403-") and name.endswith(".xlsx")
    assert content_type.endswith("spreadsheetml.sheet")
    table = rows(next(iter(sheets(content).values())))
    assert [r[2] for r in table] == [s.agency.code for s in standings(approved)]
    assert steps[-1] == (2, 2)
