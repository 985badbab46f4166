"""The dossiers' test office, and the gateways' stand-ins run as their own processes."""

import pytest

from motcua.core.tests.processes import REPO, ManagedProcess, free_port  # noqa: F401  (REPO: re-exported)
from motcua.dossiers.tests.conftest import office  # noqa: F401  (re-exported fixture)


class Standin(ManagedProcess):
    """``manage.py payment_standin`` in a subprocess on a free port, stopped at the end of the test."""

    def __init__(self, gateway: str, site: str):
        self.gateway = gateway
        super().__init__("payment_standin", "--gateway", gateway, "--site", site, "--quiet", port=free_port())


@pytest.fixture
def standin(settings):
    """Start a gateway's stand-in: ``standin("vnpay", site)``; the site's settings point at it."""
    running: list[Standin] = []

    # By default the stand-in's confirmations go nowhere (a closed port: refused at once).
    def start(gateway: str, site: str = "http://127.0.0.1:9") -> Standin:
        process = Standin(gateway, site)
        running.append(process)
        if gateway == "vnpay":
            settings.MOTCUA_VNPAY_URL = process.url
        else:
            settings.MOTCUA_NATIONAL_PAYMENT_URL = process.url
        return process

    yield start
    for process in running:
        process.stop()
