"""KPI days: the local days of a company's KPI time zone, and their bounds in UTC.

A KPI day of a company is [local 00:00, next local 00:00) in the company's KPI time zone
(`res.company.dg_kpi_tz`). Odoo stores datetimes as naive UTC, so the SQL reads a day as the
half-open range of its two UTC bounds. Every bound is computed here, in Python, so the card's
query, its drill-down domain, the snapshot of the day and the day a write forgets all agree.
"""

from datetime import datetime, time, timedelta

import pytz

UTC = "UTC"
# today's closed hours are snapshotted (distribution.kpi.snapshot.hour): hours counted from the
# local day's start, so a zone half an hour off UTC has its hours at :30
HOUR = timedelta(hours=1)


def zone(tz):
    """The pytz zone of `tz`; UTC for an empty or unknown name."""
    try:
        return pytz.timezone(tz or UTC)
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def day_start(day, tz):
    """Naive UTC datetime of the first instant of the local `day` in `tz`.

    Where a zone skips local midnight (a daylight-saving change at 00:00), the day starts at
    the first local time that exists, which is what is_dst=False gives.
    """
    local = zone(tz).localize(datetime.combine(day, time.min), is_dst=False)
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def local_date(moment, tz):
    """The local day in `tz` of the naive UTC datetime `moment` (a date is its own day)."""
    if not isinstance(moment, datetime):
        return moment
    return pytz.utc.localize(moment).astimezone(zone(tz)).date()


def local_today(tz, now=None):
    """Today in `tz` (`now`: naive UTC, default the current time)."""
    return local_date(now or datetime.utcnow(), tz)


def days_between(first, last):
    """The dates from `first` to `last`, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def runs(days):
    """[(first, last)] of the runs of consecutive days in the sorted `days`."""
    found = []
    for day in days:
        if found and found[-1][1] == day - timedelta(days=1):
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found


def hours_over(day, tz, now=None):
    """[(start, end)] in naive UTC of the hours of the local `day` over at `now` (naive UTC,
    default the current time): each hour counted from the day's first instant, the last one
    cut at the day's end (a day of 23 or 25 hours when the clocks change)."""
    now = now or datetime.utcnow()
    start, end = day_start(day, tz), day_start(day + timedelta(days=1), tz)
    found = []
    while start < end and min(start + HOUR, end) <= now:
        found.append((start, min(start + HOUR, end)))
        start += HOUR
    return found


def hour_start(moment, tz):
    """The first instant (naive UTC) of the hour of its local day that holds `moment`."""
    start = day_start(local_date(moment, tz), tz)
    return start + HOUR * ((moment - start) // HOUR)
