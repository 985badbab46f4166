"""Work the task worker (``manage.py db_worker``) does for the exchange (services has the logic)."""

from django.tasks import task

from motcua.exchange import services


@task
def deliver_package(package_id: int) -> str:
    """One attempt at sending an outgoing package; a failure schedules the next after a backoff."""
    return services.deliver(package_id)
