"""`make bench`: throughput and latency of the intake through the real HTTP stack.

Not a Django app: ``views.bare`` is the baseline view (mounted only when ``TALANG_BENCH`` is on)
and ``run`` is the driver (``python -m talang.bench.run``).
"""
