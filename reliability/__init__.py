"""The long runs of issue 7 (``make reliability``, PostgreSQL only): the deadline race, killed
workers, the workflow's invariants and the load run. Not part of ``make test``."""
