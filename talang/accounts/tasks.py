from django_tasks import task

from talang.lib.emails import make_message


@task()
def send_email(
    *, name: str, to: str, context: dict, language: str, reply_to: list[str] | None = None
) -> None:
    make_message(name, to, context, language=language, reply_to=reply_to).send()


@task()
def sessions_clear() -> None:
    """Delete expired sessions (run daily by the scheduler)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@task()
def task_results_prune() -> None:
    """Delete finished task results after a week: they hold e-mail recipients (run daily)."""
    from django.core.management import call_command

    call_command("prune_db_task_results", min_age_days=7, failed_min_age_days=30, verbosity=0)
