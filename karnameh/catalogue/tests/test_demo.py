"""The demo loads the shipped catalogue as a shared draft, once."""

from pathlib import Path

from karnameh.accounts.management.commands.demo import load_demo
from karnameh.catalogue.demo import load_demo_catalogues
from karnameh.catalogue.models import Catalogue, Gauge, Status

from .builders import RICH


def test_the_demo_catalogue_is_loaded_once_as_a_shared_draft(db):
    # when
    added = load_demo_catalogues(RICH)
    again = load_demo_catalogues(RICH)
    # then
    assert (added, again) == (1, 0)
    catalogue = Catalogue.objects.get()
    assert (catalogue.code, catalogue.province, catalogue.status) == (
        "national-1402-rich",
        None,
        Status.DRAFT,
    )
    assert Gauge.objects.count() == 10


def test_running_the_demo_again_changes_no_catalogue(db):
    # given
    load_demo()
    before = list(Catalogue.objects.values_list("code", "version", "updated_at"))
    # when
    load_demo()
    # then
    assert list(Catalogue.objects.values_list("code", "version", "updated_at")) == before
    assert [code for code, *_ in before] == ["provincial-1397-general"]


def test_a_missing_or_broken_file_loads_nothing_and_the_demo_goes_on(db, tmp_path: Path, caplog):
    # given
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: karnameh-catalogue/1\ncode: x\n", encoding="utf-8")
    # when
    missing = load_demo_catalogues(tmp_path / "absent.yaml")
    refused = load_demo_catalogues(broken)
    # then
    assert (missing, refused) == (0, 0)
    assert not Catalogue.objects.exists()
    assert "was not loaded" in caplog.text
