"""Time arithmetic without a tz database: epoch milliseconds, ISO texts and the UTC offsets
of the few time zones the stores use (US / EU daylight-saving rules)."""
from __future__ import annotations

import datetime as dt
import functools

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000
EPOCH = dt.date(1970, 1, 1)

TZ_RULES = {  # standard offset (minutes), DST rule
    "America/New_York": (-300, "us"), "America/Chicago": (-360, "us"),
    "America/Denver": (-420, "us"), "America/Los_Angeles": (-480, "us"),
    "America/Toronto": (-300, "us"), "Europe/London": (0, "eu"),
    "Europe/Paris": (60, "eu"), "Europe/Berlin": (60, "eu"),
}


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    """n-th Sunday of a month (n=-1: the last one)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 6) % 7)


@functools.lru_cache(maxsize=None)
def utc_offset_minutes(tz: str, day: dt.date) -> int:
    """UTC offset of a time zone on a local date (US / EU DST rules; no tz database needed)."""
    std, rule = TZ_RULES[tz]
    y = day.year
    if rule == "us":
        start, end = _nth_sunday(y, 3, 2), _nth_sunday(y, 11, 1)
    else:
        start, end = _nth_sunday(y, 3, -1), _nth_sunday(y, 10, -1)
    return std + 60 if start <= day < end else std


def fmt_offset(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    m = abs(minutes)
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def iso_from_ms(ms: int, suffix: str = "") -> str:
    """Epoch ms -> 'YYYY-MM-DDTHH:MM:SS' (+ suffix, e.g. 'Z')."""
    days, rem = divmod(ms, DAY_MS)
    s = rem // 1000
    d = EPOCH + dt.timedelta(days=days)
    return f"{d.isoformat()}T{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}{suffix}"
