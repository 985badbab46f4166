"""Work the task worker (``manage.py db_worker``) does for the exchange (services has the logic)."""

from django.tasks import task

from motcua.exchange import services


# Before the PDFs a bulk load queued (the demo's): a package is small, and an officer waits for it.
@task(priority=10)
def deliver_package(package_id: int) -> str:
    """One attempt at sending an outgoing package; a failure schedules the next after a backoff."""
    return services.deliver(package_id)
