"""How the report writes numbers, the same in the terminal, the page's tables and its chart axes."""

from __future__ import annotations

from datetime import datetime

BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def human_bytes(n: int) -> str:
    """1536 -> '1.5 KiB': binary units, one decimal (whole bytes below 1 KiB)."""
    value, unit = float(n), BYTE_UNITS[0]
    for unit in BYTE_UNITS:
        if value < 1024 or unit == BYTE_UNITS[-1]:
            break
        value /= 1024
    return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"


def byte_axis_unit(largest: int) -> tuple[str, int]:
    """The unit (and its divisor) in which the largest value of a chart reads best: at least 1 of it."""
    divisor, unit = 1, BYTE_UNITS[0]
    for unit in BYTE_UNITS:
        if largest < divisor * 1024 or unit == BYTE_UNITS[-1]:
            break
        divisor *= 1024
    return unit, divisor


def percent(share: float | None) -> str:
    """0.636 -> '63.6%'; None (nothing to divide) -> 'n/a'."""
    return "n/a" if share is None else f"{share:.1%}"


def count(n: int) -> str:
    return f"{n:,}"


def instant(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"


def integer_step(largest: int, ticks: int = 5) -> int:
    """A tick step of 1, 2 or 5 times a power of ten that shows whole counts in about `ticks` steps."""
    step = 1
    while largest / step > ticks:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if largest / step <= ticks:
                break
    return step
