from django_tasks import task

from talang.lib.emails import make_message


@task()
def send_email(*, name: str, to: str, context: dict, language: str) -> None:
    make_message(name, to, context, language=language).send()


@task()
def sessions_clear() -> None:
    """Delete expired sessions (run daily by the scheduler)."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
