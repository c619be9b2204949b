"""The stateful test of the workflow (issue 7, item 2; tests/test_workflow_invariants.py).

- ``base``: the one starting state every example begins from;
- ``model``: what the workflow allows, who, from which state, until when (written from the
  documentation, not from the code under test);
- ``rows``: the database's rows, snapshotted and read back as the model's facts;
- ``machine``: the rules of steps 6 to 9, each firing a real service as a random user;
- ``workflow``: the approvals and the release, the clock, the way forward, the invariants.
"""
