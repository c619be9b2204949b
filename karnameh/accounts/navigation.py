"""The menu: one list, each entry shown only to those ``may()`` allows."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import may


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Any
    url_name: str
    action: str


MENU = (
    MenuItem("home", _("Home"), "home", "home.view"),
    MenuItem("mine", _("My self-assessment"), "assessments:mine", "assessment.mine"),
    MenuItem("cycles", _("Evaluation cycles"), "cycles:list", "cycle.list"),
    # An assessing body's inquiries, across the cycles they were sent in.
    MenuItem("inquiries", _("Inquiries"), "inquiries:inbox", "inquiry.inbox"),
    MenuItem("agencies", _("Agencies"), "agencies:list", "agency.list"),
    MenuItem("agency-import", _("Import agencies"), "agencies:import", "agency.import"),
    MenuItem("catalogues", _("Catalogues"), "catalogue:list", "catalogue.list"),
    MenuItem(
        "feedback", _("Surveys, complaints and suggestions"), "feedback:list", "feedback.list"
    ),
    MenuItem("audit", _("Audit log"), "audit:list", "audit.list"),
    MenuItem("api-docs", _("API"), "api:openapi-view", "api.docs"),
    MenuItem("tokens", _("API tokens"), "accounts:tokens", "token.list"),
    MenuItem("admin", _("Administration"), "admin:index", "admin.site"),
)


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    items = []
    for item in MENU:
        if may(user, item.action):
            url = reverse(item.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            items.append({"key": item.key, "label": item.label, "url": url, "active": active})
    return items
