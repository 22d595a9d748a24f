"""Charts drawn on the server as SVG: no JavaScript, a title for screen readers, and every bar
labelled with its number so that nothing depends on colour (the table beside each chart holds
the same numbers)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from talang.reporting.statistics import SUPPRESSED

BAR, GAP, LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 18, 6, 230, 300, 70
LABEL_CHARS = 34  # what fits in LABEL_WIDTH at the chart's font size


def _number(value) -> str:
    if value is None:
        return "–"
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def bar_chart(*, key: str, title: str, rows: list[tuple[str, int | str | None]]) -> SafeString:
    """Horizontal bars, one per (label, value). A hidden value ("<5") gets a hatched stub and
    its "<5" label instead of a bar that would give the number away."""
    numbers = [value for _label, value in rows if isinstance(value, int)]
    top = max([*numbers, 1])
    height = max(len(rows), 1) * (BAR + GAP) + GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        if value == SUPPRESSED:
            length, fill = 8, f"url(#hidden-{key})"
        else:
            length, fill = round(PLOT_WIDTH * max(value or 0, 0) / top), "currentColor"
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" class="bar"></rect>'
                '<text x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 6,
                y + BAR - 5,
                label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
                LABEL_WIDTH,
                y,
                length,
                BAR,
                fill,
                LABEL_WIDTH + length + 6,
                y + BAR - 5,
                _number(value),
            )
        )
    return format_html(
        '<svg role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' class="chart" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}{}</svg>',
        title,
        width,
        height,
        width,
        height,
        title,
        _pattern(key),
        SafeString("".join(bars)),
    )


def progress_bar(*, title: str, achieved: int, target: int) -> SafeString:
    """A goal as a bar of the target's length, filled to what was achieved, and labelled
    "123 of 400"."""
    width, height, bar = 560, 28, 420
    share = min(max(achieved, 0) / target, 1) if target else 0
    label = gettext("%(achieved)s of %(target)s") % {
        "achieved": _number(achieved),
        "target": _number(target),
    }
    return format_html(
        '<svg role="img" aria-label="{}: {}" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' class="chart progress" xmlns="http://www.w3.org/2000/svg"><title>{}: {}</title>'
        '<rect x="1" y="4" width="{}" height="20" fill="none" stroke="currentColor"'
        ' stroke-dasharray="4 3"></rect>'
        '<rect x="1" y="4" width="{}" height="20" fill="currentColor" class="bar"></rect>'
        '<text x="{}" y="19">{}</text>'
        "</svg>",
        title,
        label,
        width,
        height,
        width,
        height,
        title,
        label,
        bar,
        round(bar * share),
        bar + 8,
        label,
    )


def _pattern(key: str) -> SafeString:
    return format_html(
        '<defs><pattern id="hidden-{}" width="4" height="4" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="2" height="4" fill="currentColor"></rect>'
        "</pattern></defs>",
        key,
    )
