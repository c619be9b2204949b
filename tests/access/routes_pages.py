"""The expectation table of the pages: every URL pattern, asked with GET and with POST.

``page(path, get, post, **both)``: ``get`` and ``post`` are the two methods' specs (spec.py);
``both`` the fields they share (the target, fixed URL values). A page that only shows answers
POST with 405 (``SHOWS``), a page that only acts answers GET with 405 (``ACTS``); a page
without either decorator answers POST as it answers GET.
"""

from typing import Any

from .spec import Spec, conflict_of_demo_evaluator, queue_of_cycles_evaluator

ONLY = {"ok": 405}


def page(path: str, get: dict[str, Any], post: dict[str, Any], **both: Any) -> dict[str, Spec]:
    return {f"GET {path}": Spec(**both, **get), f"POST {path}": Spec(**both, **post)}


def same(path: str, **spec: Any) -> dict[str, Spec]:
    """A page that answers GET and POST alike (a function view without a method decorator)."""
    return page(path, {}, {}, **spec)


def shows(path: str, **spec: Any) -> dict[str, Spec]:
    """A page that only shows (``require_GET``): POST is 405."""
    target = {k: v for k, v in spec.items() if k in ("target", "extra", "public")}
    return page(path, spec, {**ONLY, **target})


def acts(path: str, ok: int | str | dict[str, Any] = 302, **spec: Any) -> dict[str, Spec]:
    """A page that only acts (``require_POST``): GET is 405."""
    target = {k: v for k, v in spec.items() if k in ("target", "extra")}
    return page(path, {**ONLY, **target}, {**spec, "ok": ok})


P = "participation"
CAT = "/catalogues/<slug:code>"
CYC = "/cycles/<int:pk>"
MOU = "/agreements/<int:cycle_pk>/<str:agency_code>"
FLOW = "/assessments/<int:cycle_pk>/<str:agency_code>"
WORK = "/assessments/<int:cycle>/<str:agency>"
GAUGE = {"part": "general", "gauge": "1.1.1"}
REVIEW = "/evaluations/<int:cycle>/review/<int:pk>"
OBJ = "/objections/<int:cycle>"
RES = "/results/<int:cycle>"
EXP = "/exports/<int:cycle>"
EXPORTS = "exports.results|exports.objections|exports.inquiries|exports.queues|exports.package"

PAGE_ROUTES: dict[str, Spec] = {
    **same("/", action="home.view"),
    # The health check: open to everyone (load balancers, monitoring), as the portal's index;
    # it only reads (require_safe), so a form sent to it is 405.
    **shows("/healthz", public=True),
    # Signing in and out: open to visitors; a signed-in person is sent on from the form.
    **page(
        "/accounts/login/",
        {"public": True, "ok": {"anonymous": 200, "*": 302}},
        {"public": True, "ok": 400},
    ),
    **same("/accounts/login/code/", public=True, ok="login"),
    **page("/accounts/logout/", {"public": True, "ok": 405}, {"public": True, "ok": "login"}),
    **page(
        "/accounts/password/",
        {"action": "password.change"},
        {"action": "password.change", "ok": 400},
    ),
    **same("/accounts/two-step/", action="two_step.manage"),
    **acts("/accounts/two-step/start/", action="two_step.enrol"),
    **acts("/accounts/two-step/confirm/", ok=400, action="two_step.enrol"),
    **acts("/accounts/two-step/disable/", ok=400, action="two_step.manage"),
    **page("/accounts/tokens/", {"action": "token.list"}, {"action": "token.create"}),
    **acts("/accounts/tokens/<int:pk>/revoke/", target="token", action="token.revoke"),
    # Agencies and the audit trail.
    **same("/agencies/", action="agency.list"),
    **same("/agencies/new/", action="agency.create"),
    **same("/agencies/import/", action="agency.import"),
    **shows("/agencies/import/template.xlsx", action="agency.import"),
    **shows("/agencies/export.xlsx", action="agency.export"),
    **same("/agencies/<str:code>/", target="agency", action="agency.view"),
    **same("/agencies/<str:code>/edit/", target="agency", action="agency.change"),
    **same("/audit/", action="audit.list"),
    # Catalogues.
    **shows("/catalogues/", action="catalogue.list"),
    **same("/catalogues/import/", action="catalogue.create"),
    **shows("/catalogues/diff/", action="catalogue.diff"),
    **shows(f"{CAT}/", target="catalogue", action="catalogue.view"),
    **shows(f"{CAT}/export.yaml", target="catalogue", action="catalogue.export"),
    **shows(f"{CAT}/export.xlsx", target="catalogue", action="catalogue.export"),
    **same(f"{CAT}/import/", target="catalogue", action="catalogue.change"),
    **same(f"{CAT}/copy/", target="catalogue", action="catalogue.copy"),
    **same(f"{CAT}/freeze/", target="catalogue", action="catalogue.freeze"),
    **same(f"{CAT}/delete/", target="catalogue", action="catalogue.delete"),
    **shows(f"{CAT}/gauges/<str:gauge>/", target="catalogue", action="catalogue.view"),
    **shows(f"{CAT}/gauges/<str:gauge>/try/", target="catalogue", action="catalogue.try"),
    **same(f"{CAT}/gauges/<str:gauge>/edit/", target="catalogue", action="catalogue.change"),
    # Cycles.
    **same("/cycles/", action="cycle.list"),
    **same("/cycles/new/", action="cycle.create"),
    **same(f"{CYC}/", target="cycle", action="cycle.view"),
    **same(f"{CYC}/circular/", target="cycle", action="cycle.view"),
    **{
        key: spec
        for name in ("edit", "calendar", "participants", "weights", "workshops/new")
        for key, spec in same(f"{CYC}/{name}/", target="cycle", action="cycle.change").items()
    },
    **same(
        f"{CYC}/weights/<str:type_code>/",
        target="cycle",
        action="cycle.change",
        extra={"type_code": "social"},
    ),
    **acts(f"{CYC}/publish/", target="cycle", action="cycle.publish"),
    **acts(f"{CYC}/circular/upload/", target="cycle", action="cycle.change"),
    **acts(
        f"{CYC}/steps/<int:number>/<str:what>/",
        target="cycle",
        action="cycle.change",
        extra={"number": "9", "what": "start"},
    ),
    **same(f"{CYC}/workshops/<int:workshop>/", target="workshop", action="cycle.change"),
    **same(f"{CYC}/workshops/<int:workshop>/edit/", target="workshop", action="cycle.change"),
    **same(
        f"{CYC}/workshops/<int:workshop>/files/<int:file>/", target="workshop", action="cycle.view"
    ),
    # MoUs.
    **shows("/agreements/<int:cycle_pk>/", target="cycle", action="agreement.list"),
    **acts("/agreements/<int:cycle_pk>/import/", ok=200, target="cycle", action="agreement.import"),
    **shows(
        "/agreements/<int:cycle_pk>/import/template.xlsx", target="cycle", action="agreement.import"
    ),
    **shows(f"{MOU}/", target=P, action="agreement.view"),
    **acts(f"{MOU}/assign/", ok=400, target=P, action="specific.assign"),
    **acts(f"{MOU}/slice/", ok=400, target=P, action="specific.assign"),
    **acts(f"{MOU}/start/", target=P, action="agreement.change"),
    **acts(f"{MOU}/impose/", ok=400, target=P, action="agreement.impose"),
    **acts(f"{MOU}/<int:pk>/targets/", target="agreement", action="agreement.change"),
    **acts(
        f"{MOU}/<int:pk>/approve/<str:side>/",
        target="agreement",
        action="agreement.approve_agency",
        extra={"side": "agency"},
    ),
    # Self-assessment.
    **same("/assessments/<int:cycle_pk>/", target="cycle", action="cycle.change"),
    **same(f"{FLOW}/submit/", target=P, action="assessment.view"),
    # Nothing submitted or approved yet: no receipt, no minutes, for anyone.
    **same(f"{FLOW}/receipt/", target=P, action="assessment.view", ok=404),
    **same(f"{FLOW}/minutes/", target=P, action="assessment.view", ok=404),
    **page(f"{FLOW}/extend/", {}, {"ok": 400}, target=P, action="assessment.extend"),
    **page(
        f"{FLOW}/act/<str:name>/",
        {},
        {"ok": 400},
        target=P,
        action="assessment.return_transfer",
        extra={"name": "return_transfer"},
    ),
    **shows("/assessments/mine/", action="assessment.mine"),
    **shows(f"{WORK}/", target=P, action="assessment.view"),
    **page(
        f"{WORK}/<part:part>/<str:gauge>/",
        {"action": "assessment.view"},
        {"action": "assessment.edit", "ok": 400},
        target=P,
        extra=GAUGE,
    ),
    **acts(
        f"{WORK}/<part:part>/<str:gauge>/score/",
        ok=200,
        target=P,
        action="assessment.view",
        extra=GAUGE,
    ),
    **acts(
        f"{WORK}/<part:part>/<str:gauge>/save/",
        ok=200,
        target=P,
        action="assessment.edit",
        extra=GAUGE,
    ),
    **acts(
        f"{WORK}/<part:part>/<str:gauge>/evidence/", target=P, action="assessment.edit", extra=GAUGE
    ),
    **shows(f"{WORK}/evidence/<int:pk>/", target="evidence", action="evidence.download"),
    **acts(f"{WORK}/evidence/<int:pk>/remove/", target="evidence", action="assessment.edit"),
    # Notifications: one's own only (the selector keeps the others out of sight).
    **shows("/notifications/", action="notification.list"),
    **acts("/notifications/read-all/", action="notification.list"),
    **acts("/notifications/<int:pk>/read/", target="notification", action="self"),
    **page(
        "/notifications/<int:pk>/open/", {"action": "self", "ok": 302}, ONLY, target="notification"
    ),
    # Feedback.
    **same("/feedback/", action="feedback.list"),
    **same("/feedback/new/<str:kind>/", action="feedback.create", extra={"kind": "complaint"}),
    **same("/feedback/track/", action="feedback.list"),
    **same("/feedback/<str:number>/", target="feedback", action="feedback.view"),
    **acts("/feedback/<str:number>/answer/", ok=400, target="feedback", action="feedback.answer"),
    **acts("/feedback/<str:number>/close/", target="feedback", action="feedback.close"),
    # Evaluation.
    **same("/evaluations/<int:cycle>/", target="cycle", action="evaluation.assign"),
    **acts("/evaluations/<int:cycle>/add/", ok=400, target="cycle", action="evaluation.assign"),
    **acts(
        "/evaluations/<int:cycle>/remove/<int:pk>/",
        target="assignment",
        action="evaluation.assign",
        sees="cycle.view",
    ),
    **same("/evaluations/<int:cycle>/suggest/", target="cycle", action="evaluation.assign"),
    **acts("/evaluations/<int:cycle>/suggest/apply/", target="cycle", action="evaluation.assign"),
    **acts(
        "/evaluations/<int:cycle>/conflict/",
        target="cycle",
        action="evaluation.conflict",
        about=conflict_of_demo_evaluator,
        data={"evaluator": "evaluator", "agency": "{agency}", "reason": "خویشاوندی"},
    ),
    **acts(
        "/evaluations/<int:cycle>/conflict/<int:pk>/withdraw/",
        target="conflict",
        action="evaluation.conflict_withdraw",
        sees="evaluation.conflict_withdraw",
    ),
    **same(
        "/evaluations/<int:cycle>/queue/",
        target="cycle",
        action="evaluation.queue",
        about=queue_of_cycles_evaluator,
        query="?evaluator={evaluator}",
    ),
    **same(f"{REVIEW}/", target="assignment", action="evaluation.reviews"),
    **acts(f"{REVIEW}/approve/", target="assignment", action="evaluation.review"),
    **acts(f"{REVIEW}/return/", target="assignment", action="evaluation.return"),
    **page(
        f"{REVIEW}/<str:gauge>/",
        {"action": "evaluation.reviews"},
        {"action": "evaluation.review", "ok": 400},
        target="assignment",
    ),
    **acts(f"{REVIEW}/<str:gauge>/score/", ok=200, target="assignment", action="evaluation.review"),
    **acts(f"{REVIEW}/<str:gauge>/consensus/", target="assignment", action="evaluation.consensus"),
    **same("/evaluations/<int:cycle>/<str:agency>/scores/", target=P, action="scores.view"),
    # Inquiries.
    **same("/inquiries/", action="inquiry.inbox"),
    **same("/inquiries/cycle/<int:cycle>/", target="cycle", action="inquiry.manage"),
    **acts("/inquiries/cycle/<int:cycle>/send/", target="cycle", action="inquiry.manage"),
    **same(
        "/inquiries/cycle/<int:cycle>/<str:agency>/",
        target=P,
        action="inquiry.agency",
        sees="cycle.view",
    ),
    **same("/inquiries/<int:pk>/", target="inquiry", action="inquiry.view"),
    **acts("/inquiries/<int:pk>/answer/", ok=400, target="inquiry", action="inquiry.respond"),
    **acts("/inquiries/<int:pk>/letter/", ok=400, target="inquiry", action="inquiry.record"),
    # No answer came by letter: no letter to download, for anyone.
    **same("/inquiries/<int:pk>/letter/file/", target="inquiry", action="inquiry.view", ok=404),
    # Objections.
    **same(f"{OBJ}/", target="cycle", action="objection.cycle"),
    **page(f"{OBJ}/record/", {}, {"ok": 400}, target="cycle", action="objection.group"),
    **page(
        f"{OBJ}/groups/",
        {"action": "objection.group|objection.queue"},
        {"action": "objection.group", "ok": 400},
        target="cycle",
    ),
    **same(f"{OBJ}/groups/<int:pk>/", target="group", action="objection.group_view"),
    **acts(f"{OBJ}/groups/<int:pk>/members/", ok=400, target="group", action="objection.group"),
    **acts(f"{OBJ}/groups/<int:pk>/meetings/", ok=400, target="group", action="objection.meeting"),
    **same(f"{OBJ}/minutes/<int:pk>/", target="meeting", action="objection.group_view"),
    **same(f"{OBJ}/queue/", target="cycle", action="objection.queue"),
    **same(f"{OBJ}/agency/<str:agency>/", target=P, action="objection.list"),
    **page(
        f"{OBJ}/agency/<str:agency>/<str:part>/<str:gauge>/file/",
        {},
        {"ok": 400},
        target=P,
        action="objection.file",
        extra={"part": "general", "gauge": "2.10.1"},
    ),
    **same(f"{OBJ}/<int:pk>/", target="objection", action="objection.view"),
    **acts(f"{OBJ}/<int:pk>/withdraw/", target="objection", action="objection.withdraw"),
    **acts(f"{OBJ}/<int:pk>/route/", target="objection", action="objection.route"),
    **acts(f"{OBJ}/<int:pk>/decide/", ok=400, target="objection", action="objection.decide"),
    **acts(f"{OBJ}/<int:pk>/preview/", ok=200, target="objection", action="objection.decide"),
    **same(f"{OBJ}/<int:pk>/evidence/<int:file>/", target="objection", action="objection.view"),
    # Approvals, publication, awards.
    **same(f"{RES}/", target="cycle", action="results.view"),
    **acts(f"{RES}/approve/", target="cycle", action="results.approve"),
    **acts(f"{RES}/council/", target="cycle", action="results.council"),
    **acts(f"{RES}/reopen/", target="cycle", action="results.reopen"),
    **acts(f"{RES}/publish/", target="cycle", action="results.publish"),
    **same(f"{RES}/minutes/<int:pk>/", target="minutes", action="results.view"),
    **same(f"{RES}/public/", target="released_cycle", action="results.public", public=True),
    **same(f"{RES}/ranking/", target="cycle", action="results.view"),
    **same(f"{RES}/awards/", target="cycle", action="results.view"),
    **acts(f"{RES}/awards/festival/", target="cycle", action="results.settings"),
    **acts(f"{RES}/awards/bonus/", target="cycle", action="results.settings"),
    **acts(f"{RES}/awards/nominate/", target="cycle", action="results.settings"),
    **acts(
        f"{RES}/awards/nominations/<int:pk>/remove/", target="nomination", action="results.settings"
    ),
    # Jobs: starting one asks the kind's own action (report cards: reports.cards_all).
    **same("/jobs/", action="job.list"),
    **acts(
        "/jobs/start/",
        target="cycle",
        action="reports.cards_all",
        data={"kind": "reports.cards", "cycle": "{cycle}"},
    ),
    **same("/jobs/<int:pk>/", target="job", action="job.view", sees=None),
    **same("/jobs/<int:pk>/download/", target="job", action="job.download", sees=None),
    # Reports: the card exists once the results are (the released cycle).
    **same("/reports/<int:cycle>/card/<str:agency>/", target="released", action="reports.card"),
    **same("/reports/<int:cycle>/card/<str:agency>/pdf/", target="released", action="reports.card"),
    **page(
        "/reports/<int:cycle>/card/<str:agency>/plan/",
        {},
        {"ok": 400},
        target="released",
        action="reports.plan",
    ),
    **same("/reports/<int:cycle>/province/", target="cycle", action="reports.province"),
    **same("/reports/<int:cycle>/province/pdf/", target="cycle", action="reports.province", ok=302),
    # Exports.
    **shows("/exports/schema/national-package-1.json", public=True),
    **page(
        "/exports/national/<int:cycle>/",
        {"action": "exports.national"},
        {"action": "exports.import", "ok": 400},
        target="national_cycle",
    ),
    **shows(f"{EXP}/", target="cycle", action=EXPORTS),
    **shows(f"{EXP}/ranking.xlsx", target="cycle", action="exports.results"),
    **shows(f"{EXP}/bonus.xlsx", target="cycle", action="exports.results"),
    **shows(f"{EXP}/bonus.csv", target="cycle", action="exports.results"),
    **shows(f"{EXP}/festival.xlsx", target="cycle", action="exports.results"),
    **shows(f"{EXP}/objections.xlsx", target="cycle", action="exports.objections"),
    **shows(f"{EXP}/inquiries.xlsx", target="cycle", action="exports.inquiries"),
    **shows(f"{EXP}/queues.xlsx", target="cycle", action="exports.queues"),
    **shows(f"{EXP}/package.json", target="released_cycle", action="exports.package"),
    **shows(f"{EXP}/package.xlsx", target="released_cycle", action="exports.package"),
    # Dashboards.
    **same("/dashboards/<int:cycle>/", target="cycle", action="dashboard.cycle"),
    **same("/dashboards/<int:cycle>/agency/<str:agency>/", target=P, action="dashboard.agency"),
    # The public portal and the API's own description: open to everyone by design
    # (api.docs only decides who gets the menu entry).
    **same("/public/", public=True),
    **same("/public/<int:cycle>/", target="released_cycle", action="portal.view", public=True),
    **same(
        "/public/<int:cycle>/<str:agency>/", target="released", action="portal.view", public=True
    ),
    **same("/api/v1/openapi.json", public=True),
    **same("/api/v1/docs", public=True),
    **same("/api/v1/", public=True, ok=404),
}
