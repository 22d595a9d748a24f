"""A progress bar for long management commands: one line on stderr, rewritten in place."""

import time


class Progress:
    """Call with (done, total) as work advances; the line ends when done reaches total."""

    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1
        bar = "#" * int(share * 30)
        self.stream.write(
            f"\r  {self.label:<12} [{bar:<30}] {share:4.0%} {done:>9}/{total}"
            f" {time.perf_counter() - self.started:6.1f} s",
            ending="\n" if done >= total else "",
        )
        self.stream.flush()
