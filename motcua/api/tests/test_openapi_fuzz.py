"""Schemathesis over /api/openapi.json, in-process (WSGI), as a citizen and as a reception officer:
every operation, requests generated to fit the schema and to break it, all of Schemathesis' checks
(no server error, status codes, content types, headers and bodies as declared, invalid input refused
with a 4xx, valid input not refused as invalid...).

``MOTCUA_FUZZ_EXAMPLES`` examples per operation, mode and role: a few in ``make test`` (default 5), a
few hundred in CI (.ci/run). Half the generated dossier references are replaced by a real dossier's code,
so that the actions reach the services and not only the 404.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from motcua.accounts.services import issue_token
from motcua.dossiers.tests.factories import received, submitted

EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "5"))


def valid_data_is_not_refused_as_unreadable(ctx, response, case):
    """Schemathesis' positive_data_acceptance, except that a 422 naming a field is allowed: the services'
    rules go beyond what a schema can say (a document must be a PDF, a note is required to refuse...).
    A request that fits the schema is never a 400 (unreadable) nor a 422 without a field."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return None
    assert response.status_code != 400, f"schema-valid request refused as unreadable: {response.text[:300]}"
    if response.status_code == 422:
        assert response.json().get("errors"), f"422 without a field: {response.text[:300]}"
    return None


pytestmark = pytest.mark.django_db


@pytest.fixture
def connections_kept():
    """The WSGI handler closes the database connection after each request (close_old_connections);
    inside the test's transaction that would close it under the test, on PostgreSQL. Django's own
    test client disconnects it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(office, settings, connections_kept):
    from motcua.wsgi import application

    settings.MOTCUA_LOOKUP_RATE = ""  # the fuzzer asks far more than a person would
    callers = [
        {"Authorization": f"Bearer {issue_token(user)[0]}"} for user in (office.citizen, office.reception)
    ]
    codes = [submitted(office).code, received(office).code]
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 25

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
            )
            def check(case):
                ref = str((case.path_parameters or {}).get("ref", "x"))
                if len(ref) % 2 == 0:
                    case.path_parameters["ref"] = codes[len(ref) % 4 // 2]
                for caller in callers:  # as the citizen, then as the reception officer
                    case.call_and_validate(
                        headers=caller,
                        excluded_checks=[positive_data_acceptance],
                        additional_checks=[valid_data_is_not_refused_as_unreadable],
                    )

            try:
                check()
            except Unsatisfiable:
                pass  # nothing breaks this operation's schema (a path taking any string)
            except Exception as exc:  # every operation is tried; the failures are listed together
                failures.append(f"{operation.label} ({mode}): {exc}"[:3000])

    assert not failures, "\n\n".join(failures)
