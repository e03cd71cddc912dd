"""The KPI engine: figures of the registry's KPIs over a scope, live or from daily snapshots.

Live: for each family, the population's domain becomes a `Query` through the ORM's `_search`
— as the user when their record rules narrow the population's model (see access.py), else as
superuser, the domain itself holding the companies — and one SQL statement aggregates over
exactly the rows of that query, grouped as asked (in total, per warehouse, per local day).

From snapshots (`period`): the closed local days of the KPIs marked `snapshot` are read from
distribution.kpi.snapshot, the other days (today, and closed days lacking a snapshot) computed
live, so a long period costs about what a day costs. Only for users whose rules do not narrow
those KPIs: the snapshots are company-wide. The operator and supplier KPIs also keep a snapshot
row per operator or vendor and warehouse (`subjects`: the per-operator table, the vendor
scorecard).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from odoo import fields
from odoo.osv import expression
from odoo.tools import SQL

from .days import day_start, days_between, hours_over, local_today, runs
from .registry import HOUR_SNAPSHOT_KEYS, KPIS
from .results import EMPTY, Breakdown, Figures, Grouped, KpiResult, total
from .scope import Scope, Window

TOTAL = "total"
WAREHOUSE = "warehouse"
SUBJECT = "subject"
DAY = "day"
# a condition through a many2one to one of these small models (`picking_type_id.code`) is
# read as the list of their ids it holds for: the planner then knows how many rows each id
# has, where a subquery's rows it must guess, and a bad guess turns a day's few hundred moves
# into nested loops over the products
RESOLVED_MODELS = frozenset({"stock.picking.type"})


def path_sql(model, query, path):
    """SQL of the field at the end of a path of stored many2ones (`a.b.c`) from the query's
    main table, joining (LEFT: one row per record stays one row) what the path crosses."""
    alias = query.table
    names = path.split(".")
    for name in names[:-1]:
        field = model._fields[name]
        assert field.type == "many2one" and field.store, path
        comodel = model.env[field.comodel_name]
        alias = query.left_join(alias, name, comodel._table, "id", name)
        model = comodel
    assert model._fields[names[-1]].store, path
    return SQL.identifier(alias, names[-1])


class KpiEngine:
    """Computes KPIs for `env`'s user (the cron passes a superuser env).

    One engine per request: it remembers what it computed (the cards, the table and the
    series ask for the same figures) and which models the user's rules narrow.
    """

    def __init__(self, env, now=None):
        self.env = env
        self.now = now or fields.Datetime.now()
        self._rows = {}
        self._narrowed = {}
        self._readable = {}
        self._resolved = {}
        self._preloaded = None
        self._hours_read = {}
        self._hours_done = {}
        self._tails_found = {}

    # ------------------------------------------------------------------ access

    def readable(self, key, model_names=None):
        names = KPIS[key].models if model_names is None else model_names
        return all(self._model_readable(name) for name in names)

    def _model_readable(self, name):
        if name not in self._readable:
            self._readable[name] = name in self.env and self.env[name].has_access("read")
        return self._readable[name]

    def readable_keys(self):
        """Keys of the KPIs over models the user may read, in display order."""
        return [key for key in KPIS if self.readable(key)]

    def narrowed(self, key, company_ids):
        """Whether the user's record rules hide some of the KPI's records of these companies:
        then its figures are computed live through the ORM with the user's rules, never
        read from the company-wide snapshots."""
        model = KPIS[key].model
        cache_key = (model, tuple(sorted(company_ids)))
        if cache_key not in self._narrowed:
            self._narrowed[cache_key] = self._rules_narrow(model, cache_key[1])
        return self._narrowed[cache_key]

    def _rules_narrow(self, model, company_ids):
        # distribution.kpi caches access.rules_narrow per user (cleared when rules or groups
        # change)
        return self.env["distribution.kpi"]._kpi_rules_narrow(model, company_ids)

    # ------------------------------------------------------------------ scopes

    def zones(self, company_ids):
        """{tz: company ids}: the companies grouped by KPI time zone."""
        zones = defaultdict(list)
        for company in self.env["res.company"].sudo().browse(company_ids):
            zones[company.dg_kpi_tz or "UTC"].append(company.id)
        return dict(zones)

    def scope(self, first, last, company_ids, warehouse_ids=None):
        return Scope.of(self.zones(company_ids), first, last, warehouse_ids)

    def today(self, tz):
        return local_today(tz, self.now)

    # ------------------------------------------------------------------ live

    def live(self, scope, keys, by=(), split_ids=None):
        """{key: Grouped} of the KPIs computed live over `scope`, grouped by `by` — a tuple of
        WAREHOUSE (then `split_ids`: the warehouses reported), SUBJECT (the population's
        subject: an operator, a vendor) and/or DAY, in that order."""
        results = {}
        for key in keys:
            kpi = KPIS[key]
            rows = self._family_rows(kpi, scope, tuple(by), tuple(split_ids or ()))
            amount = self.readable(key, kpi.amount_reads)
            results[key] = Grouped(
                total=kpi.figures(rows.total, amount),
                groups={group: kpi.figures(row, amount) for group, row in rows.groups.items()},
            )
        return results

    def breakdown(self, scope, keys, split_ids=None, days=True):
        """{key: Breakdown} of the KPIs computed live over `scope`: in total, per warehouse of
        `split_ids` (when given) and per local day (when `days`, except for levels), with as
        few queries as their kinds allow: one grouped by warehouse and day when the figures
        add up."""
        split = split_ids is not None
        found = {}
        for key in keys:
            kpi = KPIS[key]
            by_days = days and kpi.kind != "level"
            if kpi.family.additive:
                # one query: the warehouses' and the days' figures add up to the total
                by = ((WAREHOUSE,) if split else ()) + ((DAY,) if by_days else ())
                grouped = self.live(scope, [key], by, split_ids)[key]
                total = grouped.total
                by_day = _sum_by(grouped.groups, -1) if by_days else None
                if split and by_days:
                    by_warehouse = _sum_by(grouped.groups, 0)
                else:
                    by_warehouse = {w: grouped.group(w) for w in split_ids or ()}
            else:
                # a median of parts is not the median of their union: one query per grouping
                # (each also gives the total: asked last, it is remembered)
                by_day = None
                if by_days:
                    day_groups = self.live(scope, [key], (DAY,))[key].groups
                    by_day = {group[0]: figures for group, figures in day_groups.items()}
                by_warehouse = {}
                if split:
                    by_warehouse = self.live(scope, [key], (WAREHOUSE,), split_ids)[key].groups
                    by_warehouse = {group[0]: figures for group, figures in by_warehouse.items()}
                total = self.live(scope, [key])[key].total
            if split:
                by_warehouse = {w: by_warehouse.get(w, EMPTY) for w in split_ids}
            found[key] = Breakdown(total, by_warehouse if split else {}, by_day)
        return found

    def results(self, scope, keys):
        """{key: KpiResult} of the KPIs computed live over `scope`."""
        return {
            key: self.result(key, grouped.total, scope)
            for key, grouped in self.live(scope, keys).items()
        }

    def result(self, key, figures, scope, days=None):
        kpi = KPIS[key]
        if kpi.amount and figures.amount is None and self.readable(key, kpi.amount_reads):
            figures = Figures(
                figures.count, figures.numerator, figures.denominator, 0.0, figures.median
            )
        return KpiResult(
            key=key,
            value=kpi.value(figures, scope.days if days is None else days),
            figures=figures,
            model=kpi.model,
            domain=kpi.population.domain(scope),
            unit=kpi.unit,
        )

    def _family_rows(self, kpi, scope, by, split_ids):
        """_Rows of the KPI's family over the scope (memoised: the KPIs of a family share them).

        The groups of an additive family add up: a grouping is also read off a finer one of
        the same scope (the total off any). A family with a subject is grouped by its subject
        too, so the per-operator and per-vendor tables read off the rows of the cards.
        """
        family = kpi.family
        population = family.population
        if population.at_end and DAY not in by:
            # a level depends only on the instants its windows end at
            scope = scope.ends()
        narrowed = self.narrowed(kpi.key, scope.company_ids) if scope.windows else False
        memo_key = (family.key, scope, by, split_ids if WAREHOUSE in by else (), narrowed)
        if memo_key in self._rows:
            return self._rows[memo_key]
        sharable = (
            family.additive
            and not (population.at_end and DAY in by)
            and (WAREHOUSE not in by or self.groupable(population))
        )
        found = None
        if sharable:
            found = self._finer_rows(family, scope, by, narrowed)
            if found is None and by and population.subject and SUBJECT not in by:
                finer = tuple(d for d in (WAREHOUSE, SUBJECT, DAY) if d in by or d == SUBJECT)
                found = (finer, self._family_rows(kpi, scope, finer, split_ids))
        if found:
            self._rows[memo_key] = _project(*found, by)
        else:
            self._rows[memo_key] = self._compute_rows(kpi, scope, by, split_ids, narrowed)
        return self._rows[memo_key]

    def _finer_rows(self, family, scope, by, narrowed):
        """(grouping, _Rows) of the family over the scope already computed, grouped by at
        least `by` (by the warehouse only when the population can be grouped by it; a level's
        days, each counted at its end, never add up)."""
        population = family.population
        for (key, other, other_by, __, other_narrowed), rows in self._rows.items():
            if (key, other, other_narrowed) != (family.key, scope, narrowed):
                continue
            if not set(by) <= set(other_by):
                continue
            if WAREHOUSE in other_by and not self.groupable(population):
                continue
            if population.at_end and DAY in other_by and DAY not in by:
                continue
            return other_by, rows
        return None

    def _compute_rows(self, kpi, scope, by, split_ids, narrowed):
        family = kpi.family
        population = family.population
        rest = tuple(dimension for dimension in by if dimension != DAY)
        if DAY in by and population.at_end:
            if not rest and len(scope.dates()) == 1:
                # one day: its count at its end is the scope's (a dashboard's today)
                found = self._family_rows(kpi, scope, (), split_ids).total
                return _Rows(found, {(scope.first,): found})
            # a level is counted at an instant: each day at its end, in one statement when it
            # can be, else one query per day
            groups = self._level_days(kpi, scope, narrowed) if not rest else None
            if groups is not None:
                return _Rows(self._family_rows(kpi, scope, (), split_ids).total, groups)
            groups = {}
            for day in scope.dates():
                day_rows = self._family_rows(kpi, scope.clip(day, day), rest, split_ids)
                items = day_rows.groups.items() if rest else [((), day_rows.total)]
                for group, row in items:
                    groups[(*group, day)] = row
            return _Rows(self._family_rows(kpi, scope, (), split_ids).total, groups)
        if WAREHOUSE in by and not self.groupable(population):
            # several paths lead to a warehouse (or one through x2many): one query each
            rest = tuple(dimension for dimension in by if dimension != WAREHOUSE)
            groups = {}
            for warehouse_id in split_ids:
                one = self._family_rows(kpi, scope.with_warehouses([warehouse_id]), rest, ())
                items = one.groups.items() if rest else [((), one.total)]
                for group, row in items:
                    groups[(warehouse_id, *group)] = row
            return _Rows(self._family_rows(kpi, scope, rest, ()).total, groups)
        if not by:
            return _Rows(self._query(kpi, scope, by, narrowed).get((), {}), {})
        if family.additive:
            rows = self._query(kpi, scope, by, narrowed)
            return _Rows(_sum_rows(rows.values()), rows)
        # a median of the groups is not the total's: the same statement computes both
        rows = self._query(kpi, scope, by, narrowed, with_total=True)
        total = rows.pop(None, {})
        self._rows.setdefault((family.key, scope, (), (), narrowed), _Rows(total, {}))
        return _Rows(total, rows)

    def _level_days(self, kpi, scope, narrowed):
        """{(day,): aggregates} of a counted level at the end of each day of `scope`, in one
        statement: the records any day's end holds, each day's count a FILTER of that day's
        conditions. None when the family is more than a count or a day's conditions need a
        join (the caller then queries day by day)."""
        family = kpi.family
        if set(family.aggregates) != {"records"} or family.children or family.columns or family.places:
            return None
        Model = self.env[family.population.model]
        if not narrowed:
            Model = Model.sudo()
        # a day no window covers counts nothing, as a query over no window does
        days = [day for day in scope.dates() if scope.clip(day, day).windows]
        found = {(day,): {} for day in scope.dates()}
        domains = [self._resolve(Model, family.population.domain(scope.clip(day, day))) for day in days]
        conditions = []
        for domain in domains:
            day_query = Model._where_calc(domain)
            if day_query._joins:
                return None
            conditions.append(SQL("FALSE") if day_query.is_empty() else day_query.where_clause)
        if not days:
            return found
        query = Model._search(expression.OR(domains))
        if query.is_empty():
            counts = [0] * len(days)
        else:
            counts = self.env.execute_query(query.select(SQL(", ").join(
                SQL("COUNT(*) FILTER (WHERE %s)", condition) for condition in conditions
            )))[0]
        found.update({(day,): {"records": count} for day, count in zip(days, counts)})
        return found

    def groupable(self, population):
        """Whether the engine can group by the population's warehouse: one path of stored
        many2ones (a path through an x2many, or several paths, can count a record twice)."""
        path = population.split_path
        if not path:
            return False
        model = self.env[population.model]
        for name in path.split("."):
            field = model._fields.get(name)
            if not field or not field.store or field.type != "many2one":
                return False
            model = self.env[field.comodel_name]
        return True

    def _query(self, kpi, scope, by, narrowed, with_total=False):
        """{group key: {aggregate: value}} of one SQL statement over the population's rows
        (`with_total`: also the aggregates over all of them, under the key None)."""
        family = kpi.family
        population = family.population
        if not scope.windows:
            return {}
        Model = self.env[population.model]
        if not narrowed:
            # the domain holds the companies; the user's rules would add only them
            Model = Model.sudo()
        query = Model._search(self._resolve(Model, population.domain(scope)))
        if query.is_empty():
            return {}
        keys = []
        if WAREHOUSE in by:
            keys.append(path_sql(Model, query, population.split_path))
        if SUBJECT in by:
            keys.append(path_sql(Model, query, population.subject))
        if DAY in by:
            keys.append(self._day_key(Model, query, population, scope))
        columns = family.columns(query, self.env) if family.columns else {}
        if family.places:
            columns.update(self._place_columns(Model, query, population, scope))
        selected = [SQL("%s AS id", SQL.identifier(query.table, "id"))]
        selected += [SQL("%s AS %s", key, SQL.identifier(f"k{index}")) for index, key in enumerate(keys)]
        selected += [SQL("%s AS %s", sql, SQL.identifier(name)) for name, sql in columns.items()]
        key_names = [SQL.identifier(f"k{index}") for index in range(len(keys))]
        names = list(family.aggregates)
        # per-record sums over child rows (a delivery's moves): one grouped pass each, joined
        children = [
            (SQL.identifier(f"child_{name}"), SQL.identifier(name), child(SQL("kpi_rows")))
            for name, child in family.children.items()
        ]
        rows = SQL("kpi_rows")
        if children:
            rows = SQL(
                "(SELECT kpi_rows.*, %s FROM kpi_rows %s) AS kpi_rows",
                SQL(", ").join(
                    SQL("COALESCE(%s.value, 0) AS %s", alias, name) for alias, name, __ in children
                ),
                SQL(" ").join(
                    SQL("LEFT JOIN %s ON %s.id = kpi_rows.id", alias, alias)
                    for alias, __, __ in children
                ),
            )
        sql = SQL(
            # the population's rows first (a range scan of its date index), then the per-record
            # sums over their children and the aggregates; without children, one pass (the
            # rows are aggregated as they are read, not stored first)
            "WITH kpi_rows AS %s(%s)%s SELECT %s FROM %s%s",
            SQL("MATERIALIZED ") if children else SQL(),
            query.select(*selected),
            SQL("").join(SQL(", %s AS (%s)", alias, child) for alias, __, child in children),
            SQL(", ").join(
                key_names
                + ([SQL("GROUPING(%s)", SQL(", ").join(key_names))] if with_total and keys else [])
                + [SQL("%s AS %s", family.aggregates[name], SQL.identifier(name)) for name in names]
            ),
            rows,
            self._group_by(key_names, with_total),
        )
        found = {}
        width = len(keys) + (1 if with_total and keys else 0)
        for row in self.env.execute_query(sql):
            group = None if width > len(keys) and row[len(keys)] else tuple(row[:len(keys)])
            found[group] = dict(zip(names, row[width:]))
        return found

    @staticmethod
    def _group_by(key_names, with_total):
        if not key_names:
            return SQL()
        keys = SQL(", ").join(key_names)
        if not with_total:
            return SQL(" GROUP BY %s", keys)
        # the groups and the whole (GROUPING: 1 on the row of the whole)
        return SQL(" GROUP BY GROUPING SETS ((%s), ())", keys)

    def _resolve(self, Model, domain):
        """The domain with its conditions through a many2one to a model of RESOLVED_MODELS
        replaced by the ids they hold for, searched as the ORM searches such a path (archived
        records too, with the rules of `Model`'s user): the same records."""
        resolved = []
        for leaf in domain:
            if isinstance(leaf, (list, tuple)) and isinstance(leaf[0], str) and leaf[0].count(".") == 1:
                name, rest = leaf[0].split(".")
                field = Model._fields.get(name)
                if field and field.type == "many2one" and field.comodel_name in RESOLVED_MODELS:
                    key = (field.comodel_name, rest, leaf[1], repr(leaf[2]), Model.env.su)
                    if key not in self._resolved:
                        comodel = Model.env[field.comodel_name].with_context(active_test=False)
                        self._resolved[key] = comodel.search([(rest, leaf[1], leaf[2])]).ids
                    resolved.append((name, "in", self._resolved[key]))
                    continue
            resolved.append(leaf)
        return resolved

    def _place_columns(self, Model, query, population, scope):
        """What places a record, for the aggregates that count distinct places (an operator's
        warehouse-days): its company, its warehouse (0: none) and its local day."""
        return {
            "company": path_sql(Model, query, population.company_field),
            "warehouse": SQL("COALESCE(%s, 0)", path_sql(Model, query, population.split_path)),
            "day": self._day_key(Model, query, population, scope),
        }

    def _day_key(self, Model, query, population, scope):
        """SQL of the local day of a record: a Date is its own day; a Datetime falls in a bucket
        of its company's day bounds (computed here, the same bounds as the domain's)."""
        column = path_sql(Model, query, population.date_field)
        if population.date_type == "date":
            return column
        branches = []
        for tz, company_ids in sorted(scope.zones().items()):
            windows = [window for window in scope.windows if window.tz == tz]
            first = min(window.first for window in windows)
            last = max(window.last for window in windows)
            bounds = [day_start(day, tz) for day in days_between(first, last + timedelta(days=1))]
            branches.append(
                (
                    company_ids,
                    SQL(
                        "(%s::date + (width_bucket(%s, %s::timestamp[]) - 1))",
                        first,
                        column,
                        bounds,
                    ),
                )
            )
        if len(branches) == 1:
            return branches[0][1]
        company = path_sql(Model, query, population.company_field)
        return SQL(
            "(CASE %s END)",
            SQL(" ").join(
                SQL("WHEN %s IN %s THEN %s", company, company_ids, expression)
                for company_ids, expression in branches
            ),
        )

    # ------------------------------------------------------------------ snapshots

    def preload(self, company_ids, first, last, warehouses_from=None):
        """Reads once the snapshot rows of these companies and days (every KPI, the companies'
        rows and, from `warehouses_from` on, the warehouses'): the period, the previous
        period, the baseline and the tables of a dashboard then take theirs from memory rather
        than a query each."""
        warehouses_from = max(first, warehouses_from or first)
        cells = defaultdict(list)
        if company_ids and first <= last:
            condition = SQL(
                "company_id IN %s AND date BETWEEN %s AND %s AND (warehouse_id IS NULL OR date >= %s)",
                tuple(company_ids),
                first,
                last,
                warehouses_from,
            )
            for key, day, company_id, warehouse_id, figures in self._read_cells(condition):
                cells[key, warehouse_id].append((day, company_id, figures))
        self._preloaded = (frozenset(company_ids), first, last, warehouses_from, cells)

    def snapshot_cells(self, company_ids, first, last, keys, warehouse_ids=None, company_rows=True):
        """[(key, day, company_id, warehouse_id, Figures)] stored for these companies and days:
        the company-wide rows (`company_rows`) and those of `warehouse_ids`."""
        if not keys or not company_ids or first > last:
            return []
        which = [None] if company_rows else []
        which += list(warehouse_ids or ())
        if not which:
            return []
        if self._preloaded:
            companies, loaded_first, loaded_last, warehouses_from, cells = self._preloaded
            if (
                companies.issuperset(company_ids)
                and (warehouses_from if warehouse_ids else loaded_first) <= first
                and last <= loaded_last
            ):
                company_ids = set(company_ids)
                return [
                    (key, day, company_id, warehouse_id, figures)
                    for key in keys
                    for warehouse_id in which
                    for day, company_id, figures in cells.get((key, warehouse_id), ())
                    if first <= day <= last and company_id in company_ids
                ]
        conditions = []
        if company_rows:
            conditions.append(SQL("warehouse_id IS NULL"))
        if warehouse_ids:
            conditions.append(SQL("warehouse_id IN %s", tuple(warehouse_ids)))
        return self._read_cells(
            SQL(
                "company_id IN %s AND date BETWEEN %s AND %s AND kpi_key IN %s AND (%s)",
                tuple(company_ids),
                first,
                last,
                tuple(keys),
                SQL(" OR ").join(conditions),
            )
        )

    def _read_cells(self, condition):
        rows = self.env.execute_query(
            SQL(
                """SELECT kpi_key, date, company_id, warehouse_id, value, numerator, denominator,
                          record_count, amount
                     FROM distribution_kpi_snapshot
                    WHERE operator_id IS NULL AND vendor_id IS NULL AND %s""",
                condition,
            )
        )
        return [
            (key, day, company_id, warehouse_id or None, _stored_figures(KPIS[key], values))
            for key, day, company_id, warehouse_id, *values in rows
            if key in KPIS
        ]

    def period(self, scope, keys, split_ids=None):
        """{key: Breakdown} of snapshot KPIs over `scope`: each company's closed local days from
        its snapshots, its other days live. With `split_ids`, also per warehouse (the table),
        in one pass whose groups add up to the total.

        A closed day lacking a snapshot of a KPI (forgotten by a write, or not yet made) is
        computed live for every KPI and group, so cards and table are one computation. Today
        (of the KPIs of HOUR_SNAPSHOT_KEYS): its hours over from their snapshots, as far as
        they follow each other from the day's start, the rest of the day live.
        """
        rows = _SnapshotRows.of(scope, split_ids)
        closed = self._closed_ranges(scope)
        stored = self._stored_cells(closed, keys, rows)
        missing = self._missing_days(closed, stored, keys, rows)
        window_of = {cid: window for window in closed for cid in window.company_ids}
        cells = {key: defaultdict(list) for key in keys}
        for key, day, company_id, warehouse_id, figures in stored:
            window = window_of[company_id]
            first, last = closed[window]
            if first <= day <= last and day not in missing[window]:
                for group in rows.groups_of(warehouse_id):
                    cells[key][group, day].append(figures)
        hourly = [key for key in keys if key in HOUR_SNAPSHOT_KEYS]
        today = self._today_hours(scope) if hourly else {}
        # an operator's day counts once however many hours he worked: the operator KPIs' today
        # adds up by operator and warehouse (_today_pairs)
        places = [key for key in hourly if KPIS[key].family.places]
        plain = [key for key in hourly if key not in places]
        for key, company_id, warehouse_id, subject_id, figures in self._hour_cells(today):
            if key in plain and not subject_id:
                for group in rows.groups_of(warehouse_id):
                    cells[key][group, today[company_id].day].append(figures)
        others = [key for key in keys if key not in hourly]
        # the rest of today live, of the KPIs that have a record there
        busy = self._busy(scope, hourly, today)
        quiet = [key for key in plain if key not in busy] + places
        self._add_live_cells(cells, self._live_scope(scope, missing, today), sorted(busy & set(plain)), rows)
        self._add_live_cells(cells, self._live_scope(scope, missing), others, rows)
        self._add_live_cells(cells, self._live_scope(scope, missing, today, tails=False), quiet, rows)
        for key, pairs in self._today_pairs(scope, places, today, busy).items():
            for (company_id, warehouse_id, __), figures in pairs.items():
                day = today[company_id].day
                if rows.split and warehouse_id in rows.split_ids:
                    cells[key][warehouse_id, day].append(figures)
                cells[key][TOTAL, day].append(figures)
        return {key: _breakdown_of(KPIS[key], cells[key], rows) for key in keys}

    def _closed_ranges(self, scope):
        """{window: (first, last)} of the closed local days of each window (those over)."""
        closed = {}
        for window in scope.windows:
            last_closed = min(window.last, self.today(window.tz) - timedelta(days=1))
            if window.first <= last_closed:
                closed[window] = (window.first, last_closed)
        return closed

    def _stored_cells(self, closed, keys, rows):
        if not closed:
            return []
        return self.snapshot_cells(
            [cid for window in closed for cid in window.company_ids],
            min(first for first, __ in closed.values()),
            max(last for __, last in closed.values()),
            keys,
            sorted(rows.wanted),
            rows.company_rows,
        )

    def _missing_days(self, closed, stored, keys, rows):
        """{window: {day}} of the closed days lacking a snapshot row the period reads (of any
        of the KPIs, for the company or a warehouse asked)."""
        warehouse_company = {
            warehouse.id: warehouse.company_id.id
            for warehouse in self.env["stock.warehouse"].sudo().browse(sorted(rows.wanted))
        }
        present = defaultdict(set)
        for key, day, company_id, warehouse_id, __ in stored:
            present[key, day, company_id].add(warehouse_id or 0)
        missing = defaultdict(set)
        for window, (first, last) in closed.items():
            for company_id in window.company_ids:
                expected = {0} if rows.company_rows else set()
                expected |= {wid for wid in rows.wanted if warehouse_company.get(wid) == company_id}
                if not expected:
                    continue
                missing[window].update(
                    day
                    for day in days_between(first, last)
                    if any(not expected <= present[key, day, company_id] for key in keys)
                )
        return missing

    # ------------------------------------------------------------------ today's hours

    def _today_hours(self, scope):
        """{company_id: _Today} of the companies whose today the scope covers: since when
        their today is computed live — the end of the hours over snapshotted one after the
        other from the day's start (the day's start when there is none)."""
        found = {}
        days = {}
        for window in scope.windows:
            today = self.today(window.tz)
            if window.first <= today <= window.last:
                for company_id in window.company_ids:
                    found[company_id] = (window.tz, today)
                    days.setdefault(today, []).append(company_id)
        if not found:
            return {}
        done = set()
        Hour = self.env["distribution.kpi.snapshot.hour"]
        for day, company_ids in days.items():
            memo = (day, tuple(sorted(company_ids)))
            if memo not in self._hours_done:
                self._hours_done[memo] = Hour._complete_hours(company_ids, day)
            done |= self._hours_done[memo]
        today = {}
        for company_id, (tz, day) in found.items():
            since = day_start(day, tz)
            for start, end in hours_over(day, tz, self.now):
                if (company_id, start) not in done:
                    break
                since = end
            today[company_id] = _Today(tz, day, since)
        return today

    def _hour_cells(self, today):
        """[(key, company_id, warehouse_id, subject_id, Figures)] of the hours snapshotted
        before each company's `since`, summed over those hours (rows of the company: warehouse
        and subject None; of a warehouse: subject None; of an operator or vendor)."""
        cut = tuple(sorted((cid, t.day, t.since) for cid, t in today.items() if t.hours))
        if not cut:
            return []
        if cut in self._hours_read:
            return self._hours_read[cut]
        rows = self.env.execute_query(
            SQL(
                """SELECT kpi_key, company_id, warehouse_id, COALESCE(operator_id, vendor_id),
                          SUM(numerator), SUM(denominator), SUM(record_count), SUM(amount)
                     FROM distribution_kpi_snapshot_hour
                    WHERE %s
                    GROUP BY kpi_key, company_id, warehouse_id, COALESCE(operator_id, vendor_id)""",
                SQL(" OR ").join(
                    SQL("(company_id = %s AND date = %s AND start < %s)", company_id, day, since)
                    for company_id, day, since in cut
                ),
            )
        )
        found = [
            (
                key,
                company_id,
                warehouse_id or None,
                subject_id or None,
                Figures(
                    int(count or 0),
                    float(numerator or 0.0),
                    float(denominator or 0.0),
                    float(amount) if amount is not None else None,
                ),
            )
            for key, company_id, warehouse_id, subject_id, numerator, denominator, count, amount in rows
            if key in KPIS
        ]
        self._hours_read[cut] = found
        return found

    def _tails(self, scope, today):
        """The scope of the rest of today of the companies of `today`: from their `since` on."""
        return Scope(
            tuple(
                Window((cid,), t.tz, t.day, t.day, since=t.since if t.hours else None)
                for cid, t in sorted(today.items())
            ),
            scope.warehouse_ids,
        )

    def _busy(self, scope, keys, today):
        """The KPIs of `keys` that count a record in the rest of today (`today`'s companies
        after their `since`): one statement asking of each population of the hour snapshot
        KPIs whether it has a record there, rather than a statement per family computing
        nothing (an hour with no activity yet, a night). Those the user's rules narrow are
        always busy (a period does not read them)."""
        if not keys or not today:
            return set()
        tails = self._tails(scope, today)
        if tails not in self._tails_found:
            families = {KPIS[key].family.key: KPIS[key] for key in HOUR_SNAPSHOT_KEYS}
            busy, probes = set(), {}
            for family, kpi in families.items():
                if self.narrowed(kpi.key, tails.company_ids):
                    busy.add(family)
                    continue
                Model = self.env[kpi.population.model].sudo()
                query = Model._search(self._resolve(Model, kpi.population.domain(tails)))
                if not query.is_empty():
                    probes[family] = SQL("EXISTS (%s)", query.select(SQL("1")))
            if probes:
                found = self.env.execute_query(SQL("SELECT %s", SQL(", ").join(probes.values())))
                busy.update(family for family, exists in zip(probes, found[0]) if exists)
            self._tails_found[tails] = busy
        busy = self._tails_found[tails]
        return {key for key in keys if KPIS[key].family.key in busy or key not in HOUR_SNAPSHOT_KEYS}

    def _today_pairs(self, scope, keys, today, busy):
        """{key: {(company_id, warehouse_id, subject_id): Figures}} of today, of KPIs with a
        subject (an operator, a vendor), over the scope's warehouses: the hours snapshotted
        before `since` and the rest of the day live. A pair is one place of the day: the
        operator KPIs count it as one operator-day however many hours it was worked. (`busy`:
        the KPIs with a record in the rest of the day, see _busy.)"""
        found = {key: defaultdict(list) for key in keys}
        if not keys or not today:
            return found
        filtered = set(scope.warehouse_ids or ())
        for key, company_id, warehouse_id, subject_id, figures in self._hour_cells(today):
            if key in found and subject_id and (not filtered or warehouse_id in filtered):
                found[key][company_id, warehouse_id, subject_id].append(figures)
        tail_keys = [key for key in keys if key in busy]
        for company_id, t in today.items() if tail_keys else ():
            # one company at a time: a pair is of a company (the records of no warehouse)
            tail = Scope(
                (Window((company_id,), t.tz, t.day, t.day, since=t.since if t.hours else None),),
                scope.warehouse_ids,
            )
            for key, grouped in self.live(tail, tail_keys, (WAREHOUSE, SUBJECT)).items():
                for (warehouse_id, subject_id), figures in grouped.groups.items():
                    if subject_id:
                        found[key][company_id, warehouse_id, subject_id].append(figures)
        result = {}
        for key, pairs in found.items():
            places = KPIS[key].family.places
            result[key] = {}
            for pair, items in pairs.items():
                figures = total(items)
                if places:
                    figures = Figures(figures.count, figures.numerator, 1.0, figures.amount)
                result[key][pair] = figures
        return result

    def _live_scope(self, scope, missing, today=None, tails=True):
        """The part of `scope` computed live: the closed days lacking a snapshot (`missing`:
        {window: {day}}), any day not begun, and today — of the companies of `today`, from
        their `since` on (none of it when not `tails`), of the others the whole day; None when
        there is nothing."""
        today = today or {}
        live_windows = []
        for window in scope.windows:
            days = set(missing[window])
            days.update(days_between(max(window.first, self.today(window.tz)), window.last))
            cut = [cid for cid in window.company_ids if cid in today]
            day = today[cut[0]].day if cut else None
            whole = tuple(cid for cid in window.company_ids if cid not in today)
            if whole:
                for first, last in runs(sorted(days)):
                    live_windows.append(Window(whole, window.tz, first, last))
            if cut:
                for first, last in runs(sorted(days - {day})):
                    live_windows.append(Window(tuple(cut), window.tz, first, last))
                if tails and day in days:
                    for cid in cut:
                        since = today[cid].since if today[cid].hours else None
                        live_windows.append(Window((cid,), window.tz, day, day, since=since))
        return Scope(tuple(live_windows), scope.warehouse_ids) if live_windows else None

    def _add_live_cells(self, cells, live_scope, keys, rows):
        """Adds to `cells` the days computed live (`live_scope`)."""
        if not live_scope or not keys:
            return
        by = (WAREHOUSE, DAY) if rows.split else (DAY,)
        for key, grouped in self.live(live_scope, keys, by, rows.split_ids).items():
            for group, figures in grouped.groups.items():
                day = group[-1]
                if rows.split and group[0] in rows.split_ids:
                    cells[key][group[0], day].append(figures)
                cells[key][TOTAL, day].append(figures)

    def subjects(self, scope, keys):
        """{key: {subject id: Figures}} of snapshot KPIs that keep per-subject rows — operators,
        vendors (registry.SUBJECT_SNAPSHOT_KEYS) — over `scope`: each company's closed days
        from those rows (of the warehouses filtered, else all: an operator-day, a receipt, a
        purchase line belongs to one warehouse, so they add up), its other days — today (its
        hours over from their snapshots), a closed day lacking its snapshot — live."""
        rows = _SnapshotRows.of(scope, None)
        closed = self._closed_ranges(scope)
        missing = self._missing_days(closed, self._stored_cells(closed, keys, rows), keys, rows)
        found = {key: defaultdict(list) for key in keys}
        for key, subject_id, figures in self._subject_cells(closed, missing, keys, rows.filtered):
            found[key][subject_id].append(figures)
        hourly = [key for key in keys if key in HOUR_SNAPSHOT_KEYS]
        today = self._today_hours(scope) if hourly else {}
        for live_keys, live_scope in (
            (hourly, self._live_scope(scope, missing, today, tails=False)),
            ([key for key in keys if key not in hourly], self._live_scope(scope, missing)),
        ):
            if live_scope and live_keys:
                for key, grouped in self.live(live_scope, live_keys, (SUBJECT,)).items():
                    for (subject_id,), figures in grouped.groups.items():
                        found[key][subject_id].append(figures)
        busy = self._busy(scope, hourly, today)
        for key, pairs in self._today_pairs(scope, hourly, today, busy).items():
            for (__, __, subject_id), figures in pairs.items():
                found[key][subject_id].append(figures)
        return {
            key: {subject_id: total(items) for subject_id, items in by_subject.items()}
            for key, by_subject in found.items()
        }

    def _subject_cells(self, closed, missing, keys, warehouse_ids):
        """[(key, subject id, Figures)] of the per-operator and per-vendor snapshot rows of the
        closed days that have their snapshot, summed over those days and the warehouses (those
        asked, else all) in the database."""
        days = []
        for window, (first, last) in closed.items():
            skipped = tuple(missing[window])
            days.append(
                SQL(
                    "(company_id IN %s AND date BETWEEN %s AND %s%s)",
                    window.company_ids,
                    first,
                    last,
                    SQL(" AND date NOT IN %s", skipped) if skipped else SQL(),
                )
            )
        if not days or not keys:
            return []
        rows = self.env.execute_query(
            SQL(
                """SELECT kpi_key, COALESCE(operator_id, vendor_id), NULL, SUM(numerator),
                          SUM(denominator), SUM(record_count), NULL
                     FROM distribution_kpi_snapshot
                    WHERE kpi_key IN %s AND (operator_id IS NOT NULL OR vendor_id IS NOT NULL)
                      AND (%s)%s
                    GROUP BY kpi_key, COALESCE(operator_id, vendor_id)""",
                tuple(keys),
                SQL(" OR ").join(days),
                SQL(" AND warehouse_id IN %s", tuple(warehouse_ids)) if warehouse_ids else SQL(),
            )
        )
        return [
            (key, subject_id, _stored_figures(KPIS[key], values))
            for key, subject_id, *values in rows
        ]


@dataclass(frozen=True)
class _Today:
    """A company's today in a period: its KPI time zone, its local day, and since when it is
    computed live (the hours before come from their snapshots)."""

    tz: str
    day: object  # date
    since: object  # naive UTC datetime

    @property
    def hours(self):
        """Whether some hours of the day come from their snapshots."""
        return self.since > day_start(self.day, self.tz)


@dataclass(frozen=True)
class _SnapshotRows:
    """Which snapshot rows a period reads: the company-wide rows (no warehouse filter) or
    those of the warehouses filtered, and those of the warehouses of the table (`split`)."""

    split: bool
    split_ids: tuple
    filtered: frozenset

    @classmethod
    def of(cls, scope, split_ids):
        return cls(
            split_ids is not None, tuple(split_ids or ()), frozenset(scope.warehouse_ids or ())
        )

    @property
    def wanted(self):
        return set(self.split_ids) | self.filtered

    @property
    def company_rows(self):
        return not self.filtered

    def groups_of(self, warehouse_id):
        """The cells a stored row of `warehouse_id` (None: the company's) adds to."""
        groups = []
        if self.split and warehouse_id in self.split_ids:
            groups.append(warehouse_id)
        if (warehouse_id in self.filtered) if self.filtered else warehouse_id is None:
            groups.append(TOTAL)
        return groups


def _breakdown_of(kpi, cells, rows):
    """The Breakdown of a KPI from its cells {(group, day): [Figures]}."""
    by_group = defaultdict(list)
    by_day = {}
    for (group, day), items in cells.items():
        figures = total(items)
        by_group[group].append((day, figures))
        if group == TOTAL:
            by_day[day] = figures
    return Breakdown(
        kpi.combine(by_group[TOTAL]),
        {w: kpi.combine(by_group[w]) for w in rows.split_ids} if rows.split else {},
        by_day,
    )


@dataclass(frozen=True)
class _Rows:
    """Aggregates of a family: the whole scope's, and per group."""

    total: dict
    groups: dict


def _project(grouping, rows, by):
    """_Rows grouped by `by` from additive _Rows grouped by the finer `grouping`."""
    positions = [grouping.index(dimension) for dimension in by]
    found = defaultdict(list)
    for group, row in rows.groups.items():
        found[tuple(group[position] for position in positions)].append(row)
    return _Rows(rows.total, {group: _sum_rows(items) for group, items in found.items()} if by else {})


def _sum_by(groups, position):
    """{group[position]: total Figures} of {group tuple: Figures}."""
    found = defaultdict(list)
    for group, figures in groups.items():
        found[group[position]].append(figures)
    return {key: total(items) for key, items in found.items()}


def _sum_rows(rows):
    total = {}
    for row in rows:
        for name, value in row.items():
            if value is not None:
                total[name] = (total.get(name) or 0) + value
            else:
                total.setdefault(name, None)
    return total


def _stored_figures(kpi, values):
    value, numerator, denominator, count, amount = values
    return Figures(
        count=int(count or 0),
        numerator=float(numerator or 0.0),
        denominator=float(denominator or 0.0),
        amount=float(amount) if amount is not None else None,
        median=float(value) if kpi.kind == "median" and value is not None else None,
    )
