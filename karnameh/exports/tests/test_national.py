"""The national package: its content and schema, and its import on a national installation."""

import hashlib
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from karnameh.accounts.models import Role
from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.exports.aggregate import aggregate
from karnameh.exports.models import ProvincialPackage
from karnameh.exports.national import FORMAT, build_package, canonical, checksum
from karnameh.exports.schema import SCHEMA_PATH, problems
from karnameh.exports.services import package_import
from karnameh.results.models import Result
from karnameh.results.ranking import standings
from karnameh.scoring.numbers import written

from .builders import approved_cycle, client_of, national_cycle, release, user, user_of


@pytest.fixture
def published(demo: Any) -> Cycle:
    return release(approved_cycle())


def exported(cycle: Cycle) -> bytes:
    response = client_of(user("staff")).get(f"/exports/{cycle.pk}/package.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.content


def state() -> tuple[Any, ...]:
    return (
        list(ProvincialPackage.objects.values_list("province_code", "checksum", "imported_at")),
        AuditEvent.objects.count(),
    )


def upload(content: bytes, name: str = "package.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def resealed(package: dict[str, Any]) -> bytes:
    """A package changed on purpose and given a checksum that matches again."""
    package["checksum"]["value"] = checksum(package)
    return json.dumps(package, ensure_ascii=False).encode()


def test_the_package_holds_the_published_results(published: Cycle) -> None:
    # given
    cycle = published
    expected = {s.agency.code: s for s in standings(cycle)}
    # when
    package = json.loads(exported(cycle))
    # then
    assert package["format"] == FORMAT
    assert package["province"] == {"code": "ardabil", "name": cycle.province.name}
    assert package["cycle"]["year"] == 1403 and package["cycle"]["level"] == "provincial"
    assert package["catalogues"]["general"] == cycle.general_catalogue.code
    assert [a["role"] for a in package["approvals"]] == ["deputy", "council"]
    assert package["published_at"].startswith(str(cycle.release.released_at.date()))
    assert [a["code"] for a in package["agencies"]] == list(expected)
    for agency in package["agencies"]:
        standing = expected[agency["code"]]
        result = standing.result
        assert agency["name"] == standing.agency.name
        assert agency["type"]["code"] == standing.agency.agency_type.code
        assert (agency["rank"], agency["peer_rank"]) == (standing.rank, standing.peer_rank)
        assert agency["result"]["final"] == written(result.final)
        assert agency["result"]["general"] == written(result.general)
        assert agency["axes"] == result.axes and agency["gauges"] == result.gauges
    # Roles and dates of the approvals, no person's name.
    text = json.dumps(package, ensure_ascii=False)
    for name in ("deputy", "council", "staff"):
        full = user(name).get_full_name()
        assert full and full not in text
    # The checksum is the SHA-256 of the canonical content.
    assert package["checksum"] == {
        "algorithm": "sha256",
        "value": hashlib.sha256(canonical(package)).hexdigest(),
    }


def test_the_package_matches_its_published_schema(published: Cycle) -> None:
    # given
    package = build_package(published)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    served = client_of(None).get("/exports/schema/national-package-1.json")
    # then: the schema is draft 2020-12 and served to anyone
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert served.status_code == 200 and json.loads(served.content) == schema
    assert problems(package) == []
    # A hand check that does not trust the validator: every member the schema requires is
    # there, and nothing the schema does not describe.
    assert set(schema["required"]) == set(package)
    agency_schema = schema["$defs"]["agency"]
    for agency in package["agencies"]:
        assert set(agency) == set(agency_schema["required"])
        assert set(agency["result"]) == set(schema["$defs"]["result"]["required"])
        assert 0 <= agency["result"]["final"] <= 100
    # And the validator does catch a broken package.
    del package["agencies"][1]["result"]["final"]
    package["agencies"][0]["rank"] = "first"
    found = {(p.path, p.code) for p in problems(package)}
    assert (("agencies", 1, "result", "final"), "missing") in found
    assert (("agencies", 0, "rank"), "type") in found


def test_the_package_in_excel_has_the_same_content(published: Cycle) -> None:
    package = build_package(published)
    response = client_of(user("deputy")).get(f"/exports/{published.pk}/package.xlsx")
    assert response.status_code == 200
    books = {ws.title: ws for ws in load_workbook(io.BytesIO(response.content)).worksheets}
    about, agencies, axes, gauges = books.values()
    table = list(agencies.iter_rows(min_row=3, values_only=True))
    assert [(r[2], r[0], r[13]) for r in table] == [
        (a["code"], a["rank"], a["result"]["final"]) for a in package["agencies"]
    ]
    assert axes.max_row - 2 == sum(len(a["axes"]) for a in package["agencies"])
    assert gauges.max_row - 2 == sum(len(a["gauges"]) for a in package["agencies"])
    values = [str(r[1]) for r in about.iter_rows(min_row=3, values_only=True)]
    assert any(re.fullmatch("[0-9a-f]{64}", v) for v in values)


def test_export_then_import_shows_the_same_agencies_scores_and_ranks(published: Cycle) -> None:
    # given: the province's file, as downloaded
    cycle = published
    content = exported(cycle)
    national = national_cycle()
    client = client_of(user("national"))
    # when: the national organization imports it through the page
    response = client.post(f"/exports/national/{national.pk}/", {"package": upload(content)})
    # then
    assert response.status_code == 302
    saved = ProvincialPackage.objects.get()
    assert (saved.province_code, saved.year, saved.agencies) == ("ardabil", 1403, 4)
    event = AuditEvent.objects.get(action="exports.package_import")
    assert event.actor_username == "national"
    found = aggregate(national)
    expected = standings(cycle)
    assert [r.code for r in found.rows] == [s.agency.code for s in expected]
    for row, standing in zip(found.rows, expected, strict=True):
        assert row.final == standing.result.final
        assert row.rank == row.province_rank == standing.rank
        assert row.axes == standing.result.axes
    page = client.get(f"/exports/national/{national.pk}/").content.decode()
    for standing in expected:
        final = Decimal(str(written(standing.result.final)))
        assert f'data-testid="row-ardabil-{standing.agency.code}"' in page
        assert fa(final) in page
    (province,) = found.provinces
    average = sum(s.result.final for s in expected) / len(expected)
    assert abs(province.average_final - average) < Decimal("0.001")


def test_the_api_twins_export_and_import(published: Cycle) -> None:
    # given
    national = national_cycle()
    staff, nation = client_of(user("staff")), client_of(user("national"))
    # when
    package = staff.get(f"/api/v1/exports/{published.pk}/package")
    content = json.dumps(package.json(), ensure_ascii=False).encode()
    imported = nation.post(
        f"/api/v1/exports/national/{national.pk}/packages", {"package": upload(content)}
    )
    listed = nation.get(f"/api/v1/exports/national/{national.pk}")
    # then
    assert package.status_code == 200 and imported.status_code == 201
    assert imported.json()["province_code"] == "ardabil" and imported.json()["agencies"] == 4
    ranking = listed.json()["ranking"]
    finals = {r.participation.agency.code: r.final for r in Result.objects.all()}
    assert {r["code"]: Decimal(str(r["final"])) for r in ranking} == finals
    # The same refusal as the page: a duplicate without «replace» is a 400 naming the province.
    again = nation.post(
        f"/api/v1/exports/national/{national.pk}/packages", {"package": upload(content)}
    )
    assert again.status_code == 400 and again.json()["code"] == "already_imported"
    assert ProvincialPackage.objects.count() == 1


def test_a_tampered_package_is_refused_and_nothing_is_saved(published: Cycle) -> None:
    # given: a final score raised after the export, the checksum left as it was
    package = json.loads(exported(published))
    package["agencies"][-1]["result"]["final"] = 99.5
    national = national_cycle()
    before = state()
    # when
    response = client_of(user("national")).post(
        f"/exports/national/{national.pk}/",
        {"package": upload(json.dumps(package, ensure_ascii=False).encode())},
    )
    # then
    assert response.status_code == 400
    assert 'data-testid="import-errors"' in response.content.decode()
    with pytest.raises(DomainError) as refused:
        package_import(
            actor=user("national"),
            cycle=national,
            upload=json.dumps(package).encode(),
        )
    assert refused.value.code == "checksum_mismatch"
    assert state() == before


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not json at all", "not_json"),
        (b'{"format": "karnameh-national-package/2"}', "wrong_format"),
        (b"[1, 2, 3]", "wrong_format"),
        (b"", "empty_file"),
    ],
)
def test_a_file_of_another_kind_is_refused(demo: Any, content: bytes, code: str) -> None:
    national = national_cycle()
    before = state()
    with pytest.raises(DomainError) as refused:
        package_import(actor=user("national"), cycle=national, upload=content)
    assert refused.value.code == code
    assert state() == before


def test_a_broken_package_names_the_agency_and_the_field(published: Cycle) -> None:
    # given: the third agency's final removed, the checksum made to match again
    package = build_package(published)
    third = package["agencies"][2]["code"]
    del package["agencies"][2]["result"]["final"]
    national = national_cycle()
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        package_import(actor=user("national"), cycle=national, upload=resealed(package))
    # then
    assert refused.value.code == "invalid_package"
    assert f"۳ ({third})" in refused.value.message and "final" in refused.value.message
    assert state() == before


def test_a_province_imported_twice_needs_the_replace_flag(published: Cycle) -> None:
    # given
    content = exported(published)
    national = national_cycle()
    package_import(actor=user("national"), cycle=national, upload=content)
    before = state()
    # when: the same province again, without and then with the flag
    with pytest.raises(DomainError) as refused:
        package_import(actor=user("national"), cycle=national, upload=content)
    assert refused.value.code == "already_imported"
    assert state() == before
    changed = json.loads(content)
    changed["generated_at"] = "2030-01-01T00:00:00Z"
    replaced = package_import(
        actor=user("admin"), cycle=national, upload=resealed(changed), replace=True
    )
    # then: one package per province, the replacement audited with both checksums
    assert ProvincialPackage.objects.count() == 1
    assert replaced.imported_by == user("admin")
    event = AuditEvent.objects.get(action="exports.package_replace")
    old, new = event.changes["checksum"]
    assert old == json.loads(content)["checksum"]["value"] and new == replaced.checksum != old


def test_the_year_must_be_the_national_cycles(published: Cycle) -> None:
    national = national_cycle(year=1404)
    before = state()
    with pytest.raises(DomainError) as refused:
        package_import(actor=user("national"), cycle=national, upload=exported(published))
    assert refused.value.code == "wrong_year" and "۱۴۰۳" in refused.value.message
    assert state() == before


def test_only_the_national_organization_imports(published: Cycle) -> None:
    # given
    content = exported(published)
    national = national_cycle()
    ilam = Province.objects.get(code="ilam")
    before = state()
    # when / then: the province's own people do not reach the national cycle
    for person in (user("staff"), user("deputy"), user("agency"), user("hq")):
        response = client_of(person).post(
            f"/exports/national/{national.pk}/", {"package": upload(content)}
        )
        assert response.status_code in (403, 404), person
    assert client_of(None).post(f"/api/v1/exports/national/{national.pk}/packages").status_code in (
        401,
        403,
    )
    with pytest.raises(Forbidden):
        package_import(
            actor=user_of("ilam-staff", Role.STAFF, province=ilam), cycle=national, upload=content
        )
    # A provincial cycle takes no packages, even from the administrator.
    with pytest.raises(Forbidden):
        package_import(actor=user("admin"), cycle=published, upload=content)
    assert state() == before
    # The national organization may not download a province's package itself.
    assert client_of(user("national")).get(f"/exports/{published.pk}/package.json").status_code in (
        403,
        404,
    )
