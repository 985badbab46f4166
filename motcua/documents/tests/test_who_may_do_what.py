"""The rule table, asked for every person of two agencies on a document in each state: exactly the
expected people may take each action; the pages and the API show what the table says."""

import pytest

from motcua.documents import rules, services
from motcua.documents.constants import ActionType
from motcua.documents.tests.factories import approved, days, drafted, incoming_for, issued, signed

PEOPLE = ("clerk", "specialist", "reviewer", "leader")


def _in_review(bureau):
    document = drafted(bureau)
    services.submit_for_review(document, actor=bureau.specialist, reviewers=[bureau.reviewer])
    return document


def _registered(bureau):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    return document


def _assigned(bureau):
    document = _registered(bureau)
    services.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=days(3))
    return document


def _sent(bureau):
    from motcua.agencies.tests.factories import AgencyFactory

    document = issued(bureau, to=[AgencyFactory(name="Sở Nội vụ")])
    services.send(document, actor=bureau.clerk)
    return document


def _sent_on_paper(bureau):
    document = issued(bureau, to=[])
    services.send(document, actor=bureau.clerk)
    return document


def _update_asked(bureau):
    document = incoming_for(bureau)
    services.ask_amendment(document, kind="update", reason="Sửa trích yếu", changes={})
    return document


CASES = [
    (_sent, ActionType.RECALL_SENT, {"clerk", "leader"}),
    (_sent, ActionType.UPDATE_SENT, {"clerk", "leader"}),
    (_sent, ActionType.REPLACE_SENT, {"clerk", "leader"}),
    (issued, ActionType.RECALL_SENT, set()),
    (_sent_on_paper, ActionType.UPDATE_SENT, set()),
    (_update_asked, ActionType.ACCEPT_AMENDMENT, {"clerk", "leader"}),
    (_update_asked, ActionType.REFUSE_AMENDMENT, {"clerk", "leader"}),
    (incoming_for, ActionType.ACCEPT_AMENDMENT, set()),
    (drafted, ActionType.EDIT, {"clerk", "specialist", "reviewer", "leader"}),
    (drafted, ActionType.SUBMIT_REVIEW, {"clerk", "specialist", "reviewer", "leader"}),
    (_in_review, ActionType.APPROVE_REVIEW, {"reviewer"}),
    (_in_review, ActionType.RETURN_DRAFT, {"reviewer", "leader"}),
    (_in_review, ActionType.EDIT, set()),
    (approved, ActionType.SIGN, {"leader"}),
    (signed, ActionType.ISSUE, {"clerk"}),
    (issued, ActionType.SEND, {"clerk"}),
    (issued, ActionType.EDIT, set()),
    (incoming_for, ActionType.REGISTER, {"clerk"}),
    (incoming_for, ActionType.REFUSE, {"clerk", "leader"}),
    (incoming_for, ActionType.ASSIGN, set()),
    (_registered, ActionType.ASSIGN, {"leader"}),
    (_assigned, ActionType.START_PROCESSING, {"specialist"}),
    (_assigned, ActionType.ANSWER, {"specialist", "leader"}),
    (_assigned, ActionType.CLOSE, {"specialist", "leader"}),
    (_assigned, ActionType.SIGN, set()),
]


@pytest.mark.parametrize(
    "make, action, expected", CASES, ids=[f"{m.__name__}-{a.value}" for m, a, _e in CASES]
)
def test_exactly_the_expected_people_may_act(bureau, peer, make, action, expected):
    document = make(bureau)
    allowed = {name for name in PEOPLE if rules.may(getattr(bureau, name), action, document)}
    assert allowed == expected
    assert not any(rules.may(getattr(peer, name), action, document) for name in PEOPLE)
    for name in PEOPLE:
        person = getattr(bureau, name)
        assert person.has_perm(f"documents.{action.value}", document) == (name in expected)


def test_the_system_receives_recalls_and_records_statuses_but_no_person_does(bureau):
    document = incoming_for(bureau)
    assert rules.may(None, ActionType.RECALL, document)
    assert rules.may(None, ActionType.AMENDMENT_ASKED, document)
    assert not any(rules.may(getattr(bureau, name), ActionType.AMENDMENT_ASKED, document) for name in PEOPLE)
    assert not any(rules.may(getattr(bureau, name), ActionType.RECALL, document) for name in PEOPLE)
    assert rules.may_receive(None, bureau.agency) and rules.may_receive(bureau.clerk, bureau.agency)
    assert not rules.may_receive(bureau.specialist, bureau.agency)
