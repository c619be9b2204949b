"""Who may do what with surveys, complaints and suggestions (merged into RULES)."""

from karnameh.accounts.permissions import Rule

RULES: dict[str, Rule] = {}
