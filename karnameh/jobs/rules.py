"""Who may do what in jobs (merged into accounts.permissions.RULES)."""

from karnameh.accounts.permissions import Rule

RULES: dict[str, Rule] = {}
