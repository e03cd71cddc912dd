"""What the engine answers: additive figures, and a KPI's result over a scope."""

from dataclasses import dataclass, field


@dataclass(slots=True)
class Figures:
    """The aggregates of a KPI over some records, as a daily snapshot stores them.

    Figures of disjoint records add up (`total`): counts, numerators, denominators and
    amounts exactly; medians weighted by the records they cover (an approximation of the
    median of the union, documented in USAGE.md). Treated as immutable (slots, not frozen:
    the dashboard makes thousands of them from the snapshots).
    """

    count: int = 0
    numerator: float = 0.0
    denominator: float = 0.0
    amount: float | None = None
    median: float | None = None


EMPTY = Figures()


def total(figures):
    """The sum of many Figures, in one pass."""
    if isinstance(figures, list) and len(figures) == 1:
        return figures[0]
    count, numerator, denominator, amount = 0, 0.0, 0.0, None
    weighted, weights = 0.0, 0
    for item in figures:
        count += item.count
        numerator += item.numerator
        denominator += item.denominator
        if item.amount is not None:
            amount = (amount or 0.0) + item.amount
        if item.median is not None and item.count:
            weighted += item.median * item.count
            weights += item.count
    return Figures(count, numerator, denominator, amount, weighted / weights if weights else None)


@dataclass(frozen=True)
class Grouped:
    """Figures of one KPI over a scope: in total and per group of the grouping asked.

    `groups` is keyed by tuples of the grouping's dimensions, e.g. (warehouse_id,) or
    (warehouse_id, day); a warehouse of None holds the records of no warehouse.
    """

    total: Figures
    groups: dict = field(default_factory=dict)

    def group(self, *key):
        return self.groups.get(key, EMPTY)


@dataclass(frozen=True)
class Breakdown:
    """A KPI over a period: in total, per warehouse reported and per local day (None: not
    computed, the days of a level cost one query each)."""

    total: Figures
    by_warehouse: dict = field(default_factory=dict)
    by_day: dict | None = None


@dataclass(frozen=True)
class KpiResult:
    """A KPI over a scope: its value, the figures behind it and the records it counted
    (`model` and `domain`: the drill-down lists exactly `count` records)."""

    key: str
    value: float | None
    figures: Figures
    model: str
    domain: list
    unit: str

    @property
    def count(self):
        return self.figures.count

    @property
    def numerator(self):
        return self.figures.numerator

    @property
    def denominator(self):
        return self.figures.denominator

    @property
    def amount(self):
        return self.figures.amount
