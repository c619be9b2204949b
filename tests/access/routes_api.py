"""The expectation table of the API: every operation, with the method it declares.

A visitor without a session or token gets 401 (``expected``); the public operations answer
everyone. ``data`` gives a body where the smallest one the schema accepts would be refused
before the permission is asked (an unknown evaluator, a side that does not exist).
"""

from .spec import Spec, conflict_of_demo_evaluator, queue_of_cycles_evaluator

P = "participation"
V = "/api/v1"
GAUGE = {"part": "general", "gauge": "1.1.1"}
SCORED = {"part": "general", "gauge": "2.10.1"}
SHARED = "provincial-1397-general"

API_ROUTES: dict[str, Spec] = {
    f"GET {V}/accounts/me": Spec(),
    # Agencies.
    f"GET {V}/agencies/": Spec(action="agency.list"),
    f"GET {V}/agencies/{{code}}": Spec(target="agency", action="agency.view"),
    f"PATCH {V}/agencies/{{code}}": Spec(target="agency", action="agency.change"),
    # Catalogues.
    f"GET {V}/catalogues/": Spec(action="catalogue.list"),
    f"GET {V}/catalogues/{{code}}": Spec(target="catalogue", action="catalogue.view"),
    f"GET {V}/catalogues/{{code}}/gauges/{{gauge}}/try": Spec(
        target="catalogue", action="catalogue.try"
    ),
    f"POST {V}/catalogues/{{code}}/gauges/{{gauge}}/try": Spec(
        target="catalogue", action="catalogue.try"
    ),
    # Cycles.
    f"GET {V}/cycles/": Spec(action="cycle.list"),
    f"POST {V}/cycles/": Spec(
        action="cycle.create",
        ok=201,
        data={
            "year": 1405,
            "level": "provincial",
            "province": "ardabil",
            "title": "ارزیابی ۱۴۰۵",
            "general_catalogue": SHARED,
            "start": "2026-03-21",
        },
    ),
    f"GET {V}/cycles/{{pk}}": Spec(target="cycle", action="cycle.view"),
    f"PATCH {V}/cycles/{{pk}}": Spec(target="cycle", action="cycle.change"),
    f"PUT {V}/cycles/{{pk}}/steps": Spec(target="cycle", action="cycle.change"),
    f"PUT {V}/cycles/{{pk}}/participants": Spec(target="cycle", action="cycle.change", ok=400),
    f"PUT {V}/cycles/{{pk}}/weights/{{type_code}}": Spec(
        target="cycle", action="cycle.change", extra={"type_code": "social"}
    ),
    f"POST {V}/cycles/{{pk}}/circular": Spec(target="cycle", action="cycle.change", ok=400),
    f"POST {V}/cycles/{{pk}}/publish": Spec(target="cycle", action="cycle.publish", ok=400),
    f"GET {V}/cycles/{{pk}}/workshops": Spec(target="cycle", action="cycle.view"),
    f"POST {V}/cycles/{{pk}}/workshops": Spec(target="cycle", action="cycle.change", ok=400),
    f"PUT {V}/cycles/{{pk}}/workshops/{{workshop_id}}": Spec(
        target="workshop", action="cycle.change", ok=400
    ),
    f"PUT {V}/cycles/{{pk}}/workshops/{{workshop_id}}/attendance": Spec(
        target="workshop", action="cycle.change"
    ),
    # MoUs.
    f"GET {V}/agreements/{{cycle}}/": Spec(target="cycle", action="agreement.list"),
    f"POST {V}/agreements/{{cycle}}/import": Spec(
        target="cycle", action="agreement.import", ok=400
    ),
    f"GET {V}/agreements/{{cycle}}/{{agency}}": Spec(target=P, action="agreement.view"),
    # AR-ED-01 has no draft yet: starting one is allowed; the others have theirs open.
    f"POST {V}/agreements/{{cycle}}/{{agency}}/start": Spec(
        target=P, action="agreement.change", ok={"AR-ED-01": 200, "*": 400}
    ),
    f"POST {V}/agreements/{{cycle}}/{{agency}}/targets": Spec(
        target=P, action="agreement.change", ok={"AR-ED-01": 400, "*": 200}
    ),
    f"POST {V}/agreements/{{cycle}}/{{agency}}/approve": Spec(
        target=P,
        action="agreement.approve_agency",
        ok={"AR-ED-01": 404, "*": 400},
        data={"side": "agency"},
    ),
    f"POST {V}/agreements/{{cycle}}/{{agency}}/impose": Spec(
        target=P, action="agreement.impose", ok=400
    ),
    f"POST {V}/agreements/{{cycle}}/{{agency}}/specific": Spec(
        target=P, action="specific.assign", ok=400, data={"catalogue": SHARED}
    ),
    f"POST {V}/agreements/{{cycle}}/{{agency}}/slice": Spec(
        target=P,
        action="specific.assign",
        ok=400,
        data={"source": SHARED, "code": "slice-x", "title": "برش"},
    ),
    # Self-assessment.
    f"POST {V}/assessments/{{cycle}}/{{agency}}/transitions/{{name}}": Spec(
        target=P, action="assessment.return_transfer", ok=400, extra={"name": "return_transfer"}
    ),
    f"POST {V}/assessments/{{cycle}}/{{agency}}/extension": Spec(
        target=P, action="assessment.extend", ok=400
    ),
    f"GET {V}/assessments/{{cycle}}/": Spec(target="cycle", action="cycle.change"),
    f"GET {V}/assessments/{{cycle}}/{{agency}}/": Spec(target=P, action="assessment.view"),
    f"GET {V}/assessments/{{cycle}}/{{agency}}/evidence/{{id}}": Spec(
        target="evidence", action="evidence.download"
    ),
    f"DELETE {V}/assessments/{{cycle}}/{{agency}}/evidence/{{id}}": Spec(
        target="evidence", action="assessment.edit", ok=400
    ),
    f"GET {V}/assessments/{{cycle}}/{{agency}}/{{part}}/{{gauge}}": Spec(
        target=P, action="assessment.view", extra=GAUGE
    ),
    f"PUT {V}/assessments/{{cycle}}/{{agency}}/{{part}}/{{gauge}}": Spec(
        target=P, action="assessment.edit", ok=400, extra=GAUGE
    ),
    f"POST {V}/assessments/{{cycle}}/{{agency}}/{{part}}/{{gauge}}/evidence": Spec(
        target=P, action="assessment.edit", ok=400, extra=GAUGE
    ),
    # Notifications: one's own.
    f"GET {V}/notifications/": Spec(action="notification.list"),
    f"POST {V}/notifications/{{notification_id}}/read": Spec(target="notification", action="self"),
    # Feedback.
    f"GET {V}/feedback/questions": Spec(),
    f"GET {V}/feedback/": Spec(action="feedback.list"),
    f"POST {V}/feedback/": Spec(action="feedback.create", ok=400),
    f"GET {V}/feedback/{{number}}": Spec(target="feedback", action="feedback.view"),
    f"POST {V}/feedback/{{number}}/answer": Spec(target="feedback", action="feedback.answer"),
    f"POST {V}/feedback/{{number}}/close": Spec(target="feedback", action="feedback.close"),
    # Evaluation.
    f"GET {V}/evaluations/{{cycle}}/assignments": Spec(target="cycle", action="evaluation.assign"),
    f"POST {V}/evaluations/{{cycle}}/assignments": Spec(
        target="cycle", action="evaluation.assign", ok=400
    ),
    f"DELETE {V}/evaluations/{{cycle}}/assignments/{{pk}}": Spec(
        target="assignment", action="evaluation.assign", sees="cycle.view"
    ),
    f"GET {V}/evaluations/{{cycle}}/suggestion": Spec(target="cycle", action="evaluation.assign"),
    f"POST {V}/evaluations/{{cycle}}/suggestion/apply": Spec(
        target="cycle", action="evaluation.assign", ok=400
    ),
    f"GET {V}/evaluations/{{cycle}}/queue": Spec(
        target="cycle",
        action="evaluation.queue",
        about=queue_of_cycles_evaluator,
        query="?evaluator={evaluator}",
    ),
    f"GET {V}/evaluations/{{cycle}}/conflicts": Spec(target="cycle", action="cycle.view"),
    f"POST {V}/evaluations/{{cycle}}/conflicts": Spec(
        target="cycle",
        action="evaluation.conflict",
        ok=201,
        about=conflict_of_demo_evaluator,
        data={"evaluator": "evaluator", "agency": "{agency}", "reason": "خویشاوندی"},
    ),
    f"POST {V}/evaluations/{{cycle}}/conflicts/{{pk}}/withdraw": Spec(
        target="conflict",
        action="evaluation.conflict_withdraw",
        sees="evaluation.conflict_withdraw",
    ),
    f"GET {V}/evaluations/{{cycle}}/{{agency}}/reviews": Spec(
        target=P, action="evaluation.reviews"
    ),
    f"PUT {V}/evaluations/{{cycle}}/{{agency}}/reviews/{{part}}/{{gauge}}": Spec(
        target=P, action="evaluation.review", ok=400, extra=SCORED
    ),
    f"POST {V}/evaluations/{{cycle}}/{{agency}}/reviews/{{part}}/{{gauge}}/preview": Spec(
        target=P, action="evaluation.review", extra=SCORED
    ),
    f"PUT {V}/evaluations/{{cycle}}/{{agency}}/consensus/{{part}}/{{gauge}}": Spec(
        target=P, action="evaluation.consensus", ok=400, extra=SCORED
    ),
    f"POST {V}/evaluations/{{cycle}}/assignments/{{id}}/approve": Spec(
        target="assignment", action="evaluation.review", ok=400
    ),
    f"POST {V}/evaluations/{{cycle}}/assignments/{{id}}/return": Spec(
        target="assignment", action="evaluation.return"
    ),
    f"GET {V}/evaluations/{{cycle}}/{{agency}}/scorecard": Spec(target=P, action="scores.view"),
    # Inquiries.
    f"GET {V}/inquiries/": Spec(action="inquiry.list"),
    f"GET {V}/inquiries/{{pk}}": Spec(target="inquiry", action="inquiry.view"),
    f"POST {V}/inquiries/{{pk}}/answer": Spec(target="inquiry", action="inquiry.respond", ok=400),
    f"PUT {V}/inquiries/{{pk}}/answer": Spec(target="inquiry", action="inquiry.respond", ok=400),
    f"POST {V}/inquiries/cycles/{{cycle}}/send": Spec(
        target="cycle", action="inquiry.manage", ok=201
    ),
    # Objections.
    f"GET {V}/objections/{{cycle}}": Spec(target="cycle", action="objection.cycle"),
    f"GET {V}/objections/{{cycle}}/agency/{{agency}}": Spec(target=P, action="objection.list"),
    f"POST {V}/objections/{{cycle}}/agency/{{agency}}/{{part}}/{{gauge}}": Spec(
        target=P, action="objection.file", ok=400, extra=SCORED
    ),
    f"POST {V}/objections/{{cycle}}/in-person": Spec(
        target="cycle",
        action="objection.group",
        ok=400,
        data={"agency": "{agency}", "part": "general", "gauge": "2.10.1"},
    ),
    f"GET {V}/objections/{{cycle}}/objections/{{pk}}": Spec(
        target="objection", action="objection.view"
    ),
    f"GET {V}/objections/{{cycle}}/objections/{{pk}}/evidence/{{file}}": Spec(
        target="objection", action="objection.view"
    ),
    f"POST {V}/objections/{{cycle}}/objections/{{pk}}/withdraw": Spec(
        target="objection", action="objection.withdraw"
    ),
    f"POST {V}/objections/{{cycle}}/objections/{{pk}}/route": Spec(
        target="objection",
        action="objection.route",
        ok={"AR-EF": 400, "*": 200},
        data={"group": "{group}"},
    ),
    f"POST {V}/objections/{{cycle}}/objections/{{pk}}/decide": Spec(
        target="objection", action="objection.decide", ok=400
    ),
    f"POST {V}/objections/{{cycle}}/objections/{{pk}}/preview": Spec(
        target="objection", action="objection.decide"
    ),
    f"GET {V}/objections/{{cycle}}/queue": Spec(target="cycle", action="objection.queue"),
    f"GET {V}/objections/{{cycle}}/groups": Spec(
        target="cycle", action="objection.group|objection.queue"
    ),
    f"POST {V}/objections/{{cycle}}/groups": Spec(target="cycle", action="objection.group", ok=400),
    f"PUT {V}/objections/{{cycle}}/groups/{{pk}}/members": Spec(
        target="group", action="objection.group", ok=400
    ),
    f"GET {V}/objections/{{cycle}}/groups/{{pk}}/meetings": Spec(
        target="group", action="objection.group_view"
    ),
    f"POST {V}/objections/{{cycle}}/groups/{{pk}}/meetings": Spec(
        target="group",
        action="objection.meeting",
        ok=400,
        data={"held_on": "2024-09-03", "present": ["nobody"]},
    ),
    f"GET {V}/objections/{{cycle}}/minutes/{{pk}}": Spec(
        target="meeting", action="objection.group_view"
    ),
    # Approvals, publication, awards.
    f"GET {V}/results/{{cycle}}": Spec(target="cycle", action="results.view"),
    f"POST {V}/results/{{cycle}}/approve": Spec(target="cycle", action="results.approve", ok=400),
    f"POST {V}/results/{{cycle}}/council": Spec(target="cycle", action="results.council", ok=400),
    f"POST {V}/results/{{cycle}}/reopen": Spec(target="cycle", action="results.reopen", ok=400),
    f"POST {V}/results/{{cycle}}/publish": Spec(target="cycle", action="results.publish", ok=400),
    f"GET {V}/results/{{cycle}}/public": Spec(
        target="released_cycle", action="results.public", public=True
    ),
    f"GET {V}/results/{{cycle}}/ranking": Spec(target="cycle", action="results.view"),
    f"GET {V}/results/{{cycle}}/awards": Spec(target="cycle", action="results.view"),
    f"PUT {V}/results/{{cycle}}/awards/festival": Spec(target="cycle", action="results.settings"),
    f"PUT {V}/results/{{cycle}}/awards/bonus": Spec(target="cycle", action="results.settings"),
    f"POST {V}/results/{{cycle}}/awards/nominations": Spec(
        target="cycle",
        action="results.settings",
        data={"agency": "{agency}", "kind": "manager", "full_name": "مریم احمدی"},
    ),
    f"DELETE {V}/results/{{cycle}}/awards/nominations/{{pk}}": Spec(
        target="nomination", action="results.settings"
    ),
    # Jobs.
    f"GET {V}/jobs": Spec(action="job.list"),
    f"POST {V}/jobs": Spec(
        target="cycle",
        action="reports.cards_all",
        ok=202,
        data={"kind": "reports.cards", "cycle": "{cycle}"},
    ),
    f"GET {V}/jobs/{{id}}": Spec(target="job", action="job.view", sees=None),
    f"GET {V}/jobs/{{id}}/download": Spec(target="job", action="job.download", sees=None),
    # Reports.
    f"GET {V}/reports/{{cycle}}/cards/{{agency}}": Spec(target="released", action="reports.card"),
    f"PUT {V}/reports/{{cycle}}/cards/{{agency}}/plan": Spec(
        target="released", action="reports.plan", ok=400
    ),
    f"GET {V}/reports/{{cycle}}/province": Spec(target="cycle", action="reports.province", ok=409),
    # Exports.
    f"GET {V}/exports/{{cycle}}/package": Spec(target="released_cycle", action="exports.package"),
    f"POST {V}/exports/national/{{cycle}}/packages": Spec(
        target="national_cycle", action="exports.import", ok=400
    ),
    f"GET {V}/exports/national/{{cycle}}": Spec(target="national_cycle", action="exports.national"),
    # Dashboards.
    f"GET {V}/dashboards/{{cycle}}": Spec(target="cycle", action="dashboard.cycle"),
    f"GET {V}/dashboards/{{cycle}}/agency/{{agency}}": Spec(target=P, action="dashboard.agency"),
    # The public portal.
    f"GET {V}/public/cycles": Spec(public=True),
    f"GET {V}/public/{{cycle}}": Spec(target="released_cycle", action="portal.view", public=True),
    f"GET {V}/public/{{cycle}}/{{agency}}": Spec(
        target="released", action="portal.view", public=True
    ),
}
