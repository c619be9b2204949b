"""Who may do what in reports (merged into accounts.permissions.RULES)."""

from karnameh.accounts.permissions import Rule

RULES: dict[str, Rule] = {}
