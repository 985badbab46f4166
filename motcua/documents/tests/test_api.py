"""GET /api/documents and /api/documents/{id}: the officers of the agency only."""

from django.test import Client

from motcua.accounts.services import issue_token
from motcua.accounts.tests.factories import UserFactory
from motcua.documents import services
from motcua.documents.tests.factories import approved, days, drafted, incoming_for, issued


def as_user(user) -> Client:
    raw, _token = issue_token(user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_list_filters_by_direction_status_and_words(bureau, peer):
    draft = drafted(bureau)
    done = issued(bureau, summary="Về việc ban hành kế hoạch cải cách hành chính")
    arrived = incoming_for(bureau)
    drafted(peer)
    api = as_user(bureau.specialist)

    everything = api.get("/api/documents").json()
    assert everything["count"] == 3
    assert [r["id"] for r in api.get("/api/documents?direction=in").json()["results"]] == [arrived.pk]
    assert [r["id"] for r in api.get("/api/documents?direction=out&status=draft").json()["results"]] == [
        draft.pk
    ]
    found = api.get("/api/documents", {"q": "01/QĐ"}).json()["results"]
    assert [(r["id"], r["notation"]) for r in found] == [(done.pk, "01/QĐ-UBND")]
    assert api.get("/api/documents?status=nonsense").status_code == 422
    assert api.get("/api/documents?direction=sideways").status_code == 422


def test_one_document_with_its_history_and_what_the_caller_may_do(bureau):
    document = approved(bureau)
    body = as_user(bureau.leader).get(f"/api/documents/{document.pk}").json()
    assert body["status"] == "approved" and body["number"] is None
    assert [h["type"] for h in body["history"]] == ["create", "submit_review", "approve_review"]
    assert "sign" in body["allowed_actions"]
    assert "sign" not in as_user(bureau.clerk).get(f"/api/documents/{document.pk}").json()["allowed_actions"]


def test_others_get_a_404(bureau, peer):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    services.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=days(2))
    assert as_user(peer.leader).get(f"/api/documents/{document.pk}").status_code == 404
    assert as_user(UserFactory()).get(f"/api/documents/{document.pk}").status_code == 404
    assert as_user(UserFactory()).get("/api/documents").json()["count"] == 0
    assert Client().get("/api/documents").status_code == 401
    assert as_user(bureau.specialist).get("/api/documents/99999999999999999999").status_code in (404, 422)
