"""The suite's order: the files that take a minute or more first.

Under pytest-xdist (``--dist loadfile``) each file goes whole to one worker, in the order collected.
A heavy file collected last keeps one worker busy for minutes while the other has nothing left; run
first, the heavy files overlap and the light ones fill the gaps. Measured with ``--durations`` (docs/
performance.md, "Test suite"); a file missing here still runs, only later.
"""

import pytest

HEAVY = (
    "tests/e2e/",  # browser journeys: a live server, Chromium, the demo province per test
    "motcua/exchange/tests/test_two_deployments.py",  # two sites in their own processes
    "motcua/reports/tests/test_indicators_match_direct_counts.py",  # a demo history counted twice
    "tests/test_who_may_do_what.py",  # the whole rule table through every face
    "motcua/documents/tests/test_who_may_do_what.py",
    "motcua/api/tests/test_openapi_fuzz.py",  # schemathesis over every operation
    "motcua/demo/tests/",  # the demo's loaders
)


def _rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    for rank, prefix in enumerate(HEAVY):
        if path.startswith(prefix):
            return rank
    return len(HEAVY)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Heavy files first (a stable sort: within a file, and among the rest, the order is kept)."""
    items.sort(key=_rank)
