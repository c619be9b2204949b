"""Who may do what with notifications (merged into accounts.permissions.RULES)."""

from karnameh.accounts.permissions import Rule, grants

RULES: dict[str, Rule] = {
    # Everyone with a role reads their own notifications; services address them.
    "notification.list": lambda u, _o: bool(grants(u)),
}
