"""Periodic jobs, enqueued by the scheduler loop that runs inside every worker process.

Each job runs at most once per period: a worker claims the period's slot in the
cache (shared through Redis when several workers run), then enqueues the task.
"""

import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    task: str  # dotted path of a django-tasks task
    every: int  # seconds


JOBS = [
    Job("talang.accounts.tasks.sessions_clear", every=24 * 3600),
    Job("talang.accounts.tasks.task_results_prune", every=24 * 3600),
    Job("talang.intake.tasks.submissions_retry", every=120),
    Job("talang.guidance.tasks.digest_send_daily", every=3600),
    Job("talang.guidance.tasks.mailbox_poll", every=60),
    Job("talang.privacy.tasks.retention_reviews_yearly", every=24 * 3600),
]


def due_jobs(now: float, jobs: list[Job] = JOBS) -> list[Job]:
    """The jobs whose current period no worker has claimed yet (and claim them)."""
    due = []
    for job in jobs:
        slot = int(now // job.every)
        if cache.add(f"talang:schedule:{job.task}:{slot}", 1, timeout=job.every + 60):
            due.append(job)
    return due


def run_forever(stop: threading.Event, *, tick: float = 30.0) -> None:
    while not stop.is_set():
        for job in due_jobs(time.time()):
            try:
                import_string(job.task).enqueue()
            except Exception:
                logger.exception("could not enqueue %s", job.task)
        stop.wait(tick)
