"""The access matrix (issue 7, item 1): every route, every role, every relationship.

See docs/access.md for what each module does and how to add a route.
"""
