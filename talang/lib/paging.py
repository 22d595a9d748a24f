"""Pages over long lists that never count more rows than anyone reads.

Counting every open case of a national register to print "1 000 000 households" costs more than
the page itself; above ``cap`` rows the count stops and the page says "more than 10 000".
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *, cap: int | None = None, **options):
        super().__init__(object_list, per_page, **options)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap`` + 1 when there are more than ``cap``."""
        rows = self.object_list.order_by().values("pk")[: self.cap + 1]
        return rows.count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
