"""The demo's API clients (ứng dụng kết nối): a provincial reporting tool and the national portal's
adapter. Their secrets exist only in the output of ``load_demo``: each run gives them new ones (the
previous ones end at once), since only the secrets' digests are stored."""

from dataclasses import dataclass

from motcua.accounts import clients
from motcua.accounts.constants import ClientScope
from motcua.accounts.models import ApiClient


@dataclass(frozen=True)
class ClientSeed:
    client_id: str
    name: str
    scopes: tuple[str, ...]


CLIENTS = [
    ClientSeed(
        "bao-cao-tinh",
        "Công cụ báo cáo của tỉnh",
        (ClientScope.CATALOGUE_READ, ClientScope.REPORTS_READ),
    ),
    ClientSeed(
        "cong-dvcqg",
        "Bộ kết nối Cổng Dịch vụ công quốc gia",
        (ClientScope.CATALOGUE_READ, ClientScope.DOSSIERS_READ, ClientScope.NATIONAL_SYNC),
    ),
]


def seed_api_clients() -> list[tuple[ApiClient, str]]:
    """Create the demo clients (province-wide) or give the existing ones new secrets: (client, secret)."""
    issued = []
    for seed in CLIENTS:
        existing = ApiClient.objects.filter(client_id=seed.client_id).first()
        if existing is None:
            new = clients.create_client(
                name=seed.name, client_id=seed.client_id, scopes=seed.scopes, province_wide=True
            )
            issued.append((new.client, new.secret))
        else:
            issued.append((existing, clients.rotate_secret(existing, grace=clients.NO_GRACE)))
    return issued
