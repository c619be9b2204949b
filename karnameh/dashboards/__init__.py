"""Dashboards: every step's progress for staff while a cycle runs, and an agency's own."""
