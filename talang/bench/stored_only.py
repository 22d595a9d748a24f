"""Talang's WSGI application with the registration's processing left out, for `make bench` only.

The API then validates and stores each registration and answers 202, as it does when
processing fails: the household, case and e-mail are never made (no worker runs in the
benchmark). The benchmark measures this to show the floor of the intake's cost, what it would
reach if every registration were left to the worker. Never served to anyone.
"""

from talang.wsgi import application

__all__ = ["application"]


def _not_processed(*, submission, form=None):
    return None


def _leave_processing_out() -> None:
    from talang.intake import services  # once talang.wsgi has set Django up

    services.submission_process = _not_processed


_leave_processing_out()
