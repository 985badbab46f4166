"""The demo's API clients: created once, given new secrets at each load, the printed secret works."""

import pytest

from motcua.accounts import clients
from motcua.accounts.models import ApiClient
from motcua.demo.clients import seed_api_clients

pytestmark = pytest.mark.django_db


def test_the_demo_clients_and_their_printed_secrets():
    first = dict((c.client_id, s) for c, s in seed_api_clients())
    again = dict((c.client_id, s) for c, s in seed_api_clients())

    assert set(first) == {"bao-cao-tinh", "cong-dvcqg"} and ApiClient.objects.count() == 2
    assert ApiClient.objects.get(client_id="bao-cao-tinh").scopes == ["catalogue.read", "reports.read"]
    for client_id, secret in again.items():
        assert clients.issue_token(client_id, secret)[0].startswith(clients.TOKEN_PREFIX)
        with pytest.raises(clients.ClientCredentialsError):
            clients.issue_token(client_id, first[client_id])  # the earlier run's secret ended
