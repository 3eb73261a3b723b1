"""Date ranges of reports (the till's and head office's): buckets by day, ISO week or month, and the previous period beside a range.

A range is two business dates, both included. Buckets are clipped to the range (a range that starts on a
Wednesday has a first "week" of Wednesday–Sunday). The previous period is the range moved back so that its
buckets line up with this one's, bucket i beside bucket i:
- by day: the same number of days just before (30 days → the 30 days before);
- by week: moved back by whole weeks (the number of days rounded up to 7s), so weekdays line up;
- by month: moved back by the number of calendar months the range touches (November → October; the last day
  of a month maps to the last day of the earlier month).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import InvalidInput
from .i18n import _

BY_TIME = ("day", "week", "month")
MAX_DAYS = 3660


@dataclass(frozen=True)
class Bucket:
    label: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def check_range(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise InvalidInput(_("The report's end {to} is before its start {start}").format(
            to=date_to.isoformat(), start=date_from.isoformat()), code="bad_range")
    if (date_to - date_from).days >= MAX_DAYS:
        raise InvalidInput(_("A report covers at most {n} days").format(n=MAX_DAYS), code="bad_range")


def check_by(by: str, allowed: tuple[str, ...]) -> str:
    if by not in allowed:
        raise InvalidInput(_("--by must be one of {choices}, not {by}").format(
            choices=", ".join(allowed), by=by), code="bad_option")
    return by


def buckets(date_from: date, date_to: date, by: str) -> list[Bucket]:
    """The range cut into days, ISO weeks (Monday–Sunday) or calendar months, clipped to the range."""
    check_range(date_from, date_to)
    check_by(by, BY_TIME)
    out: list[Bucket] = []
    day = date_from
    while day <= date_to:
        if by == "day":
            end, label = day, day.isoformat()
        elif by == "week":
            end = min(day + timedelta(days=6 - day.weekday()), date_to)
            year, week, _wd = day.isocalendar()
            label = f"{year}-W{week:02d}"
        else:
            end = min(date(day.year, day.month, calendar.monthrange(day.year, day.month)[1]), date_to)
            label = f"{day.year}-{day.month:02d}"
        out.append(Bucket(label, day, end))
        day = end + timedelta(days=1)
    return out


def previous_range(date_from: date, date_to: date, by: str) -> tuple[date, date]:
    """The period beside this one (see the module's words)."""
    check_range(date_from, date_to)
    days = (date_to - date_from).days + 1
    if by == "day":
        shift = timedelta(days=days)
        return date_from - shift, date_to - shift
    if by == "week":
        shift = timedelta(days=7 * -(-days // 7))
        return date_from - shift, date_to - shift
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
    return months_back(date_from, months), months_back(date_to, months, keep_month_end=True)


def months_back(day: date, months: int, keep_month_end: bool = False) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if (keep_month_end and at_end) else min(day.day, last))


def days_in(date_from: date, date_to: date) -> list[date]:
    return [date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1)]
