"""Staff pages: who sees which catalogue, import, copy, freeze, edit, diff and «try the rule»."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from karnameh.accounts.models import User
from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.catalogue.models import Catalogue, Gauge, Status
from karnameh.catalogue.services import catalogue_copy, catalogue_import, gauge_update
from karnameh.catalogue.store import export_yaml
from tests.test_persian_digits import ascii_digits_shown

from .builders import client_for, complaints_data, make


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _province(code: str) -> int:
    return Province.objects.get(code=code).pk


def _state() -> list[object]:
    catalogues = list(Catalogue.objects.order_by("code").values_list("code", "status", "version"))
    gauges = list(Gauge.objects.order_by("pk").values_list("code", "title", "max_score"))
    return [*catalogues, *gauges, AuditEvent.objects.count()]


@pytest.fixture
def three(demo):
    """A shared catalogue, one of Ardabil (the staff's province) and one of Ilam."""
    return (
        make(complaints_data("shared-1398")),
        make(complaints_data("ardabil-1398"), province="ardabil"),
        make(complaints_data("ilam-1398"), province="ilam"),
    )


@pytest.mark.parametrize(
    ("username", "seen"),
    [
        ("staff", {"shared-1398", "ardabil-1398"}),
        ("evaluator", {"shared-1398", "ardabil-1398"}),
        ("agency", {"shared-1398", "ardabil-1398"}),
        ("council", {"shared-1398", "ardabil-1398"}),
        ("assessor", {"shared-1398"}),
        ("hq", {"shared-1398", "ardabil-1398", "ilam-1398"}),
        ("national", {"shared-1398", "ardabil-1398", "ilam-1398"}),
        ("admin", {"shared-1398", "ardabil-1398", "ilam-1398"}),
    ],
)
def test_each_role_lists_the_shared_catalogues_and_its_provinces(three, username, seen):
    # when
    page = client_for(username).get("/catalogues/").content.decode()
    # then
    for code in ("shared-1398", "ardabil-1398", "ilam-1398"):
        assert (f'data-code="{code}"' in page) == (code in seen), code


@pytest.mark.parametrize(
    "path",
    [
        "/catalogues/ilam-1398/",
        "/catalogues/ilam-1398/gauges/6.4.1/",
        "/catalogues/ilam-1398/gauges/6.4.1/try/?f_received=1",
        "/catalogues/ilam-1398/export.yaml",
        "/catalogues/ilam-1398/export.xlsx",
        "/catalogues/ilam-1398/copy/",
        "/catalogues/ilam-1398/freeze/",
        "/catalogues/ilam-1398/gauges/6.4.1/edit/",
        "/catalogues/no-such-catalogue/",
        "/catalogues/ardabil-1398/gauges/9.9.9/",
    ],
)
def test_another_provinces_catalogue_is_not_found_for_staff(three, path):
    # when
    response = client_for("staff").get(path)
    # then
    assert response.status_code == 404


def test_staff_of_another_province_cannot_change_it_and_nothing_changes(three):
    # given
    before = _state()
    client = client_for("staff")
    # when
    responses = [
        client.post("/catalogues/ilam-1398/freeze/", {"reason": "x"}),
        client.post("/catalogues/ilam-1398/delete/", {"reason": "x"}),
        client.post("/catalogues/ilam-1398/gauges/6.4.2/edit/", {"title": "x"}),
    ]
    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert _state() == before


def test_an_agency_user_views_a_catalogue_but_may_not_import_or_change_it(three, rich_text):
    # given
    client = client_for("agency")
    before = _state()
    upload = SimpleUploadedFile("rich.yaml", rich_text.encode(), "application/yaml")
    # when
    view = client.get("/catalogues/ardabil-1398/")
    refused = [
        client.get("/catalogues/import/"),
        client.post("/catalogues/import/", {"file": upload}),
        client.post("/catalogues/ardabil-1398/copy/", {"code": "x-1", "year": 1399, "title": "x"}),
        client.post("/catalogues/ardabil-1398/freeze/", {"reason": "x"}),
        client.get("/catalogues/ardabil-1398/gauges/6.4.2/edit/"),
    ]
    # then
    assert view.status_code == 200
    assert "رونوشت برای سال تازه" not in view.content.decode()
    assert "منجمد کردن" not in view.content.decode()
    assert [r.status_code for r in refused] == [403, 403, 403, 403, 403]
    assert _state() == before


def test_the_browse_page_shows_axes_indicators_gauges_and_their_rules(demo, rich_text):
    # given
    catalogue_import(actor=_user("admin"), text=rich_text, province=None)
    # when
    page = client_for("staff").get("/catalogues/national-1402-rich/").content.decode()
    # then
    assert "<details" in page and "<summary>" in page
    assert "تفاهم‌نامه" in page  # the "*" target of indicator 1.2
    assert "اداره کل امور اقتصادی و دارایی" in page  # assessor `finance` by its name
    assert "تحقق هدف" in page and "چک‌لیست" in page and "همگرایی" in page
    assert "مورد الف: ۲٫۵" in page
    assert "فهرست خدمات" in page and "موضوعیت ندارد" in page
    assert 'data-testid="total-max">۱۰۰' in page


def test_the_try_page_scores_the_complaint_bands_on_the_full_page(three):
    # when
    response = client_for("evaluator").get(
        "/catalogues/ardabil-1398/gauges/6.4.1/",
        {"try": "1", "f_received": "200", "f_handled": "119"},
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert '<span data-testid="try-score">۳٫۵</span>' in page
    assert '<span data-testid="try-max">۷</span>' in page
    assert "«از ۳۰ تا کمتر از ۶۰ درصد» → ۵۰٪ × ۷ = ۳٫۵" in page
    assert "مقدار ۵۹٫۵" in page


def test_the_try_partial_answers_htmx_with_the_result_alone(three):
    # when
    response = client_for("staff").get(
        "/catalogues/ardabil-1398/gauges/6.4.1/try/",
        {"try": "1", "f_received": "200", "f_handled": "119"},
        HTTP_HX_REQUEST="true",
    )
    # then
    page = response.content.decode()
    assert "<html" not in page
    assert '<span data-testid="try-score">۳٫۵</span>' in page
    assert "امتیازدهی‌شده" in page
    assert response["HX-Replace-Url"].startswith("/catalogues/ardabil-1398/gauges/6.4.1/?")


def test_the_try_form_accepts_persian_digits(three):
    # when
    response = client_for("staff").get(
        "/catalogues/ardabil-1398/gauges/6.4.1/try/",
        {"f_received": "۲۰۰", "f_handled": "۱۱۹"},
    )
    # then
    assert '<span data-testid="try-score">۳٫۵</span>' in response.content.decode()


def test_the_try_form_has_a_labelled_decimal_input_per_field(three):
    # when
    page = client_for("staff").get("/catalogues/ardabil-1398/gauges/6.4.1/").content.decode()
    # then
    assert 'hx-get="/catalogues/ardabil-1398/gauges/6.4.1/try/"' in page
    assert 'hx-trigger="input changed delay:300ms, change, submit"' in page
    for name in ("f_received", "f_handled"):
        assert f'<label class="form-label" for="id_{name}">' in page
        assert f'name="{name}"' in page
    assert page.count('inputmode="decimal"') == 2
    assert 'data-testid="try-outcome"' not in page


def test_an_answer_the_rule_cannot_score_is_shown_as_invalid(three):
    # when
    page = (
        client_for("staff")
        .get("/catalogues/ardabil-1398/gauges/6.4.1/try/", {"f_received": "دویست"})
        .content.decode()
    )
    # then
    assert 'data-status="invalid"' in page
    assert "نامعتبر" in page


def test_an_import_with_problems_lists_each_with_its_line_and_saves_nothing(demo, rich_text):
    # given
    broken = rich_text.replace("max_score: 5\n", "max_score: 6\n", 1).replace(
        "kind: checklist", "kind: checklst"
    )
    upload = SimpleUploadedFile("rich.yaml", broken.encode(), "application/yaml")
    before = _state()
    # when
    response = client_for("staff").post(
        "/catalogues/import/", {"file": upload, "province": _province("ardabil")}
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="catalogue-problems"' in page
    assert "checklst" in page
    assert "جمع سقف نماگرها" in page
    assert page.count("<tr>") >= 3  # header and a row per problem
    assert _state() == before


def test_staff_import_a_file_and_land_on_the_new_draft(demo, rich_text):
    # given
    upload = SimpleUploadedFile("rich.yml", rich_text.encode(), "application/yaml")
    # when
    response = client_for("staff").post(
        "/catalogues/import/", {"file": upload, "province": _province("ardabil")}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/catalogues/national-1402-rich/"
    catalogue = Catalogue.objects.get(code="national-1402-rich")
    assert (catalogue.status, catalogue.province.code) == (Status.DRAFT, "ardabil")


def test_pasted_text_imports_as_typed(demo, rich_text):
    # when
    response = client_for("admin").post("/catalogues/import/", {"text": rich_text, "province": ""})
    # then
    assert response.status_code == 302
    assert Catalogue.objects.get(code="national-1402-rich").province is None


def test_a_file_that_is_not_yaml_is_refused_by_name(demo):
    # given
    upload = SimpleUploadedFile("rich.txt", b"format: x", "text/plain")
    # when
    response = client_for("staff").post(
        "/catalogues/import/", {"file": upload, "province": _province("ardabil")}
    )
    # then
    assert "‎.yaml" in response.content.decode()
    assert not Catalogue.objects.filter(code="national-1402-rich").exists()


def test_staff_copy_last_years_catalogue_into_their_province(three):
    # when
    response = client_for("staff").post(
        "/catalogues/shared-1398/copy/",
        {
            "code": "ardabil-1399",
            "year": "۱۳۹۹",
            "title": "شاخص‌های ۱۳۹۹",
            "province": _province("ardabil"),
        },
    )
    # then
    assert response.status_code == 302
    copy = Catalogue.objects.get(code="ardabil-1399")
    assert (copy.year, copy.copied_from.code, copy.status) == (1399, "shared-1398", Status.DRAFT)


@pytest.mark.parametrize(
    ("code", "message"),
    [("ardabil-1398", "برای شاخص‌نامهٔ دیگری به کار رفته است"), ("diff", "نمی‌توان کد")],
    ids=["taken", "reserved"],
)
def test_a_copy_under_a_code_taken_or_reserved_is_refused_on_the_page(three, code, message):
    # given
    before = _state()
    # when
    response = client_for("staff").post(
        "/catalogues/shared-1398/copy/",
        {"code": code, "year": "1399", "title": "رونوشت", "province": _province("ardabil")},
    )
    # then
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _state() == before


def test_staff_freeze_their_draft_and_then_cannot_edit_its_gauges(three):
    # given
    client = client_for("staff")
    # when
    frozen = client.post("/catalogues/ardabil-1398/freeze/", {"reason": "دورهٔ ۱۳۹۸"})
    before = _state()
    edit_page = client.get("/catalogues/ardabil-1398/gauges/6.4.2/edit/").content.decode()
    edit = client.post(
        "/catalogues/ardabil-1398/gauges/6.4.2/edit/",
        {"title": "تازه", "max_score": "3", "definition": "rule: {kind: judgement}\n"},
    )
    # then
    assert frozen.status_code == 302
    assert Catalogue.objects.get(code="ardabil-1398").status == Status.FROZEN
    assert 'name="definition"' not in edit_page
    assert "منجمد است" in edit.content.decode()
    assert _state() == before


def _edit_form(**changes: str) -> dict[str, str]:
    data = {
        "title": "نماگر 6.4.2",
        "max_score": "3",
        "method": "نظر ارزیاب",
        "target": "",
        "assessor": "",
        "measure": "",
        "evidence": "",
        "note": "",
        "definition": "rule:\n  kind: judgement\n",
        "reason": "مصوبهٔ شورا",
    }
    return {**data, **changes}


def test_a_gauge_edit_that_breaks_the_sum_is_refused_on_the_page(three):
    # given
    before = _state()
    # when
    response = client_for("staff").post(
        "/catalogues/ardabil-1398/gauges/6.4.2/edit/", _edit_form(max_score="۴")
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "جمع سقف نماگرها (۱۱) با سقف ۱۰ برابر نیست" in page
    assert _state() == before


def test_a_gauge_edit_turns_a_judgement_into_a_checklist_and_is_audited(three):
    # given
    definition = (
        "rule:\n  kind: checklist\n  items:\n"
        "    - {code: a, title: 'بازدید', points: 1}\n"
        "    - {code: b, title: 'گزارش', points: 2}\n"
    )
    # when
    response = client_for("staff").post(
        "/catalogues/ardabil-1398/gauges/6.4.2/edit/", _edit_form(definition=definition)
    )
    # then
    assert response.status_code == 302
    gauge = Gauge.objects.get(indicator__axis__catalogue__code="ardabil-1398", code="6.4.2")
    assert gauge.rule == {"kind": "checklist"}
    assert list(gauge.checklist_items.values_list("code", flat=True)) == ["a", "b"]
    event = AuditEvent.objects.get(action="catalogue.gauge_update")
    assert event.reason == "مصوبهٔ شورا"


def test_the_diff_page_shows_what_changed(three):
    # given
    data = complaints_data("ardabil-1399", year=1399)
    data["axes"][0]["indicators"][0]["gauges"][0]["max_score"] = 6
    data["axes"][0]["indicators"][0]["gauges"][1]["max_score"] = 4
    make(data, province="ardabil")
    # when
    page = (
        client_for("staff")
        .get("/catalogues/diff/", {"old": "ardabil-1398", "new": "ardabil-1399"})
        .content.decode()
    )
    # then
    assert 'data-code="6.4.1" data-level="gauge" data-status="changed"' in page
    assert 'data-testid="max-changed"' in page
    assert "۷ ← ۶" in page


def test_the_yaml_download_is_the_catalogue_file(three):
    # when
    response = client_for("agency").get("/catalogues/ardabil-1398/export.yaml")
    # then
    assert response["Content-Type"].startswith("application/yaml")
    assert "ardabil-1398.yaml" in response["Content-Disposition"]
    assert response.content.decode() == export_yaml(Catalogue.objects.get(code="ardabil-1398"))


PAGES = [
    "/catalogues/",
    "/catalogues/national-1402-rich/",
    "/catalogues/national-1402-rich/gauges/2.2.1/",
    "/catalogues/national-1402-rich/gauges/2.1.2/?try=1&checked=a&checked=c",
    "/catalogues/national-1402-rich/gauges/1.2.1/?try=1&f_actual=12&target=15",
    "/catalogues/national-1402-rich/gauges/2.2.2/?try=1&self_total=80&others_total=75",
    "/catalogues/national-1402-rich/gauges/1.1.3/edit/",
    "/catalogues/national-1402-rich/copy/",
    "/catalogues/national-1402-rich/freeze/",
    "/catalogues/national-1402-rich/delete/",
    "/catalogues/national-1402-rich/import/",
    "/catalogues/import/",
    "/catalogues/diff/?old=national-1402-rich&new=national-1402-copy",
]


@pytest.mark.parametrize("path", PAGES)
def test_catalogue_pages_show_only_persian_digits(demo, rich_text, path):
    # given: a catalogue of staff's province with a copy that differs, and a change audited
    staff = _user("staff")
    ardabil = Province.objects.get(code="ardabil")
    rich = catalogue_import(actor=staff, text=rich_text, province=ardabil, reason="نامهٔ 12")
    copy = catalogue_copy(
        actor=staff,
        source=rich,
        code="national-1402-copy",
        year=1403,
        title="رونوشت 1403",
        province=ardabil,
    )
    gauge = Gauge.objects.get(indicator__axis__catalogue=copy, code="2.1.3")
    gauge_update(
        actor=staff,
        gauge=gauge,
        data={"title": "قضاوت 2", "max_score": 10, "method": "", "rule": {"kind": "judgement"}},
        reason="اصلاح 3",
    )
    # when
    response = client_for("staff").get(path)
    # then
    assert response.status_code == 200
    assert ascii_digits_shown(response.content.decode()) == []


def test_the_shipped_catalogue_pages_show_only_persian_digits(demo):
    assert Catalogue.objects.filter(code="provincial-1397-general").exists()
    client = client_for("staff")
    for path in (
        "/catalogues/provincial-1397-general/",
        "/catalogues/provincial-1397-general/gauges/6.4.1/?try=1&f_received=200&f_handled=119",
    ):
        # when
        response = client.get(path)
        # then
        assert response.status_code == 200
        assert ascii_digits_shown(response.content.decode()) == [], path


def test_the_list_says_so_when_there_is_no_catalogue(demo):
    # given
    Catalogue.objects.all().delete()
    # when
    page = client_for("assessor").get("/catalogues/").content.decode()
    # then
    assert "هنوز شاخص‌نامه‌ای نیست." in page
