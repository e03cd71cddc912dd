"""What a KPI computation covers (typed, immutable, hashable: a memo key as it is).

A `Scope` is a set of `Window`s — companies sharing a KPI time zone and the local days they are
measured over — and an optional warehouse filter. Companies in different zones are each
measured over their own local days: the dates of a period are the same for all, the instants
they stand for are not.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property

from .days import day_start, days_between


@dataclass(frozen=True)
class Window:
    """The local days `first`..`last` (both included) of the companies `company_ids`, whose
    KPI time zone is `tz`; `since` / `until` (naive UTC) cut it to the instants from / before
    them (today's hours not snapshotted yet, an hour snapshotted): only for the KPIs whose
    records have an instant (a Datetime), not a local date."""

    company_ids: tuple
    tz: str
    first: object  # date
    last: object  # date
    since: object = None  # datetime
    until: object = None  # datetime

    @cached_property
    def start(self):
        """Naive UTC datetime of the window's first instant."""
        start = _bound(self.first, self.tz)
        return max(start, self.since) if self.since else start

    @cached_property
    def end(self):
        """Naive UTC datetime just after the window (the next day's first instant)."""
        end = _bound(self.last + timedelta(days=1), self.tz)
        return min(end, self.until) if self.until else end

    @property
    def cut(self):
        """Whether the window covers only part of its days' instants."""
        return bool(self.since or self.until)

    @property
    def days(self):
        return (self.last - self.first).days + 1

    def clip(self, first, last):
        """The part of the window between `first` and `last`, or None."""
        first, last = max(first, self.first), min(last, self.last)
        return replace(self, first=first, last=last) if first <= last else None


def _bound(day, tz):
    try:
        return day_start(day, tz)
    except OverflowError:  # the first or last days Python counts: no record is that far
        return datetime.min if day.year == 1 else datetime.max


@dataclass(frozen=True)
class Scope:
    """Windows of companies and days, and the warehouses asked (None: every warehouse,
    and the records of no warehouse)."""

    windows: tuple
    warehouse_ids: tuple | None = None

    @classmethod
    def of(cls, zones, first, last, warehouse_ids=None):
        """`zones`: {tz: company ids}; every company over the local days first..last."""
        return cls(
            tuple(
                Window(tuple(sorted(ids)), tz, first, last)
                for tz, ids in sorted(zones.items())
                if ids
            ),
            tuple(warehouse_ids) if warehouse_ids else None,
        )

    @property
    def company_ids(self):
        return tuple(sorted({cid for window in self.windows for cid in window.company_ids}))

    @property
    def first(self):
        return min(window.first for window in self.windows)

    @property
    def last(self):
        return max(window.last for window in self.windows)

    @property
    def days(self):
        """How many days the scope spans (the divisor of a rate per day)."""
        return (self.last - self.first).days + 1 if self.windows else 0

    def dates(self):
        return list(days_between(self.first, self.last)) if self.windows else []

    def with_warehouses(self, warehouse_ids):
        return replace(self, warehouse_ids=tuple(warehouse_ids) if warehouse_ids else None)

    def clip(self, first, last):
        """The scope over the days `first`..`last` only."""
        windows = (window.clip(first, last) for window in self.windows)
        return replace(self, windows=tuple(window for window in windows if window))

    def ends(self):
        """The scope over the last day of each window only (a level counted at its end)."""
        return replace(self, windows=tuple(replace(w, first=w.last) for w in self.windows))

    def zones(self):
        """{tz: company ids} of the scope's windows."""
        zones = {}
        for window in self.windows:
            zones.setdefault(window.tz, set()).update(window.company_ids)
        return {tz: tuple(sorted(ids)) for tz, ids in zones.items()}
