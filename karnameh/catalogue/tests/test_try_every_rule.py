"""Staff can try every rule of the shipped 1397 catalogue on its gauge page."""

import random
import re
from decimal import Decimal

from karnameh.catalogue.models import Catalogue
from karnameh.catalogue.store import engine_catalogue
from karnameh.catalogue.templatetags.catalogue import score
from karnameh.scoring import SCORED, Env, score_gauge
from karnameh.scoring.model import STAR, effective_target
from karnameh.scoring.sample import random_answer

from .builders import client_for

OTHERS_TOTAL = Decimal(800)


def _query(gauge, answer: dict) -> dict[str, str]:
    """The try form's parameters for an answer, as a person would fill the form."""
    params = {"try": "1"}
    for code, value in answer.get("fields", {}).items():
        params[f"f_{code}"] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    for key in ("target", "choice", "score", "self_total"):
        if key in answer:
            params[key] = str(answer[key])
    if gauge.rule.kind == "convergence":
        params["others_total"] = str(OTHERS_TOTAL)
    return params


def test_staff_can_try_every_rule_of_the_shipped_catalogue(demo):
    # given the demo's 1397 catalogue and believable figures for each gauge
    catalogue = Catalogue.objects.get(code="provincial-1397-general")
    engine = engine_catalogue(catalogue)
    client = client_for("staff")
    rng = random.Random(1397)
    tried = 0
    for indicator, gauge in engine.gauges():
        answer = None
        while answer is None or answer.get("not_applicable") or "tables" in answer:
            answer = random_answer(rng, indicator, gauge)
            # The form takes a list table's aggregated figure directly, as an answer may.
            if answer and "tables" in answer:
                answer.pop("tables")
                answer.setdefault("fields", {}).update(
                    {f.code: 60 for f in gauge.fields if f.source is not None}
                )
        if effective_target(indicator, gauge) == STAR:
            answer["target"] = 80
        expected = score_gauge(indicator, gauge, answer, Env(engine.max_score, OTHERS_TOTAL))
        assert expected.status == SCORED, (gauge.code, expected.explanation)
        # when
        path = f"/catalogues/{catalogue.code}/gauges/{gauge.code}/"
        response = client.get(path, _query(gauge, answer))
        # then: the page shows the engine's score for those figures
        assert response.status_code == 200, gauge.code
        page = response.content.decode()
        assert 'data-status="scored"' in page, gauge.code
        shown = re.search(r'data-testid="try-score">([^<]*)<', page)
        assert shown is not None, gauge.code
        assert shown.group(1) == score(expected.score), (gauge.code, expected.score)
        tried += 1
    assert tried == 100
