"""How the access matrix reads its expectation table (routes_pages.py, routes_api.py).

Each route (``"METHOD /path"``, exactly as ``matrix.site_routes()`` lists it) has a ``Spec``:
the kind of object it addresses (targets.py), the policy action(s) that must allow the request
(karnameh.accounts.policy), the action that decides whether a refusal is 404 (out of sight)
or 403 (seen, not allowed), and what an allowed request answers here. The answer each role
gets is derived from those and the policy table (``expected``); nothing is written per role.

Allowed requests are sent with no form data (pages) or the smallest body the schema accepts
(the API), unless ``data`` gives one, so "allowed" is often a form's own refusal (200 with
the form, 400) or a domain refusal (400, 409): anything but the 401/403/404 of a refusal.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from karnameh.accounts.models import User
from karnameh.accounts.policy import TABLE, allows
from karnameh.evaluations.rules import ConflictOf, QueueOf

from .matrix import fill
from .targets import Target, subject

# Where a refusal of an object of this kind is a 403 (this action allows) rather than a 404.
SEES = {
    "cycle": "cycle.view",
    "released_cycle": "cycle.view",
    "national_cycle": "cycle.view",
    "workshop": "cycle.view",
    "nomination": "cycle.view",
    "minutes": "cycle.view",
    "participation": "participation.view",
    "released": "participation.view",
    "evidence": "participation.view",
    "agreement": "participation.view",
    "assignment": "participation.view",
    "objection": "participation.view",
    "agency": "agency.view",
    "catalogue": "catalogue.view",
    "inquiry": "inquiry.view",
    "feedback": "feedback.view",
    "group": "objection.group_view",
    "meeting": "objection.group_view",
}
DEFAULT = "default"


@dataclass(frozen=True)
class Spec:
    target: str = "none"
    # "a.b": that action; "a.b|c.d": either; "a.b&c.d": both; "self": the person's own object
    # (their notifications: a selector, not an action); None: anyone (signed in, or anyone
    # at all when public).
    action: str | None = None
    sees: str | None = DEFAULT
    # The answer when allowed: a status, "login" (sent to sign in), or per target name.
    ok: int | str | dict[str, int | str] = 200
    public: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    # Added to the URL; "{name}" is filled from the target's values.
    query: str = ""
    # Form data (pages) or JSON body (the API); "{name}" is filled from the target's values.
    data: dict[str, Any] | None = None
    # What the action is asked about, when it is not the target itself.
    about: Callable[[Target, Any], Any] | None = None


def queue_of_cycles_evaluator(target: Target, _user: Any) -> Any:
    """The queue of the cycle's evaluator (the demo evaluator's, in Ardabil)."""
    return QueueOf(target.obj, User.objects.get(username=target.values["evaluator"]))


def conflict_of_demo_evaluator(target: Target, _user: Any) -> Any:
    cycle = target.obj
    first = cycle.participations.select_related("agency").order_by("agency__code").first()
    return ConflictOf(User.objects.get(username="evaluator"), first.agency)


def url_for(spec: Spec, path: str, target: Target) -> str:
    """The route's URL for this target: its values, the spec's fixed ones, the query."""
    values = {**target.values, **spec.extra}
    return fill(path, values) + spec.query.format_map(values)


def data_for(spec: Spec, target: Target) -> dict[str, Any] | None:
    """The spec's data with "{name}" filled from the target (numbers stay numbers)."""
    if spec.data is None:
        return None
    filled: dict[str, Any] = {}
    for name, value in spec.data.items():
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            value = target.values[value[1:-1]]
            value = int(value) if value.isdigit() else value
        filled[name] = value
    return filled


def _holds(action: str, user: Any, target: Target, about: Any = None) -> bool:
    if "|" in action:
        return any(_holds(a, user, target, about) for a in action.split("|"))
    if "&" in action:
        return all(_holds(a, user, target, about) for a in action.split("&"))
    if action == "self":
        return target.name == "mine"
    # Many routes ask the same action about the same object: the state does not change.
    key = (action, user.pk, id(target), about)
    if key not in _ASKED:
        obj = about(target, user) if about else target.obj
        _ASKED[key] = allows(action, user, subject(obj, TABLE[action].subject, user))
    return _ASKED[key]


_ASKED: dict[tuple[Any, ...], bool] = {}


def expected(spec: Spec, api: bool, role: str, user: Any, target: Target) -> tuple[str, bool]:
    """The answer the policy table makes of this route for this person and object, and
    whether it is a refusal."""
    ok = spec.ok
    if isinstance(ok, dict):
        ok = ok.get(f"{role}@{target.name}", ok.get(role, ok.get(target.name, ok["*"])))
    if role == "anonymous" and not spec.public:
        return ("401" if api else "login"), True
    if spec.action is None or _holds(spec.action, user, target, spec.about):
        return str(ok), False
    sees = SEES.get(spec.target) if spec.sees == DEFAULT else spec.sees
    if sees is None:
        return ("403" if spec.target == "none" else "404"), True
    return ("403" if _holds(sees, user, target) else "404"), True
