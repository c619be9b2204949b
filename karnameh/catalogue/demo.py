"""The shipped catalogue in the demo: the 1397 general indicators, shared by every province."""

import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction

from karnameh.scoring import Catalogue as EngineCatalogue
from karnameh.scoring import CatalogueError, load_catalogue

from .models import Catalogue
from .store import save_new

logger = logging.getLogger(__name__)

DEMO_CATALOGUE = Path(settings.BASE_DIR) / "catalogues" / "provincial-1397-general.yaml"

# The file is read once per process and change of file: the demo (and every test that loads
# it) then only writes rows.
_parsed: dict[tuple[str, int, int], EngineCatalogue] = {}


def _read(path: Path) -> EngineCatalogue:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _parsed:
        _parsed.clear()
        _parsed[key] = load_catalogue(path)
    return _parsed[key]


def load_demo_catalogues(path: Path = DEMO_CATALOGUE) -> int:
    """Load the shipped catalogue as a shared draft; the number of catalogues added (0 or 1).

    Nothing happens when the file is absent or a catalogue with its code exists, so running
    the demo again changes nothing. A file the engine refuses is reported in the log and
    skipped: the demo's province and accounts are still worth loading.
    """
    if not path.is_file():
        return 0
    try:
        engine = _read(path)
    except CatalogueError as error:
        logger.warning("The demo catalogue was not loaded:\n%s", error)
        return 0
    if Catalogue.objects.filter(code=engine.code).exists():
        return 0
    with transaction.atomic():
        save_new(engine, province=None)
    return 1
