from django_tasks import task

from talang.intake import services


@task()
def submissions_retry() -> None:
    """Process again every stored submission that failed (run every few minutes)."""
    services.submissions_replay(automatic=True)
