"""Who may do what with inquiries (merged into accounts.permissions.RULES).

Staff of the cycle's province send a cycle's inquiries and enter answers from the bodies'
letters. An assessing body's users (role ``assessor``, scoped to the body) see and answer their
body's inquiries, in every province that sends them one.

The answers are scores, under the embargo (``results.rules``): before the release only the
organization's side of the province, the body's own users (their own answers) and the
evaluators assigned to that agency see them. The agency itself, its HQ, the national
organization, other bodies and other agencies see none; the agency sees their effect only in
its provisional scorecard (``evaluations.final``).
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import PROVINCE_WIDE, Rule, grants, has_role
from karnameh.cycles.rules import manages_cycle
from karnameh.results.rules import assigned_evaluator, organization_side


def body_ids(user: Any) -> set[int]:
    """The assessing bodies the user answers for."""
    return {
        g.assessing_body_id
        for g in grants(user)
        if g.role == Role.ASSESSOR and g.assessing_body_id is not None
    }


def own_body(user: Any, inquiry: Any) -> bool:
    return inquiry.topic.body_id in body_ids(user)


def sees_agency_answers(user: Any, participation: Any) -> bool:
    """One agency's inquiries and answers: the organization's side, its assigned evaluators."""
    return organization_side(user, participation.cycle) or assigned_evaluator(user, participation)


def sees_answer(user: Any, inquiry: Any) -> bool:
    return own_body(user, inquiry) or sees_agency_answers(user, inquiry.participation)


def lists_inquiries(user: Any, _obj: Any) -> bool:
    return bool(body_ids(user)) or has_role(user, Role.ADMIN, Role.EVALUATOR, *PROVINCE_WIDE)


RULES: dict[str, Rule] = {
    # The assessing body's inbox (and its menu entry).
    "inquiry.inbox": lambda u, _o: bool(body_ids(u)),
    # The API's list: each caller gets only the rows ``selectors.visible_inquiries`` allows.
    "inquiry.list": lists_inquiries,
    # obj: a cycle. The staff's page of a cycle's inquiries, and sending them.
    "inquiry.manage": manages_cycle,
    # obj: an inquiry. The inquiry itself and its answer (the same people: see above).
    "inquiry.view": sees_answer,
    "inquiry.answers": sees_answer,
    # obj: a participation. One agency's inquiries with their answers.
    "inquiry.agency": sees_agency_answers,
    # obj: an inquiry. Answering in the system or by the API: the body's own users.
    "inquiry.respond": own_body,
    # obj: an inquiry. Entering the body's answer from its letter: staff of the province.
    "inquiry.record": lambda u, o: manages_cycle(u, o.cycle),
}
