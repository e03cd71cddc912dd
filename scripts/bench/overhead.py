"""What the addon adds to Odoo's hot paths (issue 17): sale order confirmation, delivery
validation and stock move writes, timed on two databases made from the same template, one with
distribution_governance installed and its credit hold on, one without.

Both registries live in this one process and the runs are interleaved in small chunks (A then B,
then B then A), so a change of the machine's load falls on both alike. Each operation is timed
with what its commit would run (the flush of the SQL it defers, the precommit hooks: tracking
messages), not the COMMIT itself; every round runs in one transaction per database, rolled
back at its end, so the databases stay as they were and rounds are alike. The credit limit is
far above the orders: the engine checks every order and holds none (the cost of the check, not
of a hold).

Run by scripts/bench/overhead.ts (`npm run bench:overhead`), which makes the databases:
    python3 overhead.py --with DB --without DB [--orders 500] [--writes 5000] [--rounds 2]
        [--chunk 25] [--bypass module:Class.method,...] ODOO_OPTIONS...
--bypass runs the addon's side with those overrides reduced to their super() call (module under
the addon's models/, e.g. kpi_facts:StockPickingKpiFacts.write): what an override costs, as a
measurement only (the rules they enforce are off on that side).
Prints one JSON object on its last line.
"""

import argparse
import cProfile
import importlib
import io
import json
import os
import pstats
import sys
import time

sys.path.insert(0, os.environ["ODOO_SRC"])

import odoo  # noqa: E402
from odoo import Command, api  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402

QTY = 2.0


class Side:
    """One database: its cursor for the round, an env as the admin user (not superuser: the
    access checks and record rules run as for a user), and the round's records."""

    def __init__(self, name, db):
        self.name = name
        self.registry = Registry(db)
        self.times = {"confirm": [], "validate": [], "move_write": []}
        # per operation: this process's CPU time (Python, psycopg2's share included) and the
        # queries it sent; the rest of the time is waiting on PostgreSQL
        self.cpu = {path: [] for path in self.times}
        self.queries = {path: [] for path in self.times}
        self.profile = None
        self.profile_paths = None

    def begin(self, orders):
        self.cr = self.registry.cursor()
        root = api.Environment(self.cr, odoo.SUPERUSER_ID, {})
        admin = root.ref("base.user_admin")
        company = admin.company_id
        company.account_use_credit_limit = True
        if "dg_credit_hold_active" in company._fields:
            company.dg_credit_hold_active = True
        self.env = env = api.Environment(self.cr, admin.id, {"tracking_disable": False})
        partner = env["res.partner"].create({"name": "Overhead Bench Customer"})
        partner.with_company(company).write(
            {"credit_limit": 1e12, "use_partner_credit_limit": True}
        )
        product = env["product.product"].create(
            {"name": "Overhead Bench Carton", "is_storable": True, "list_price": 10.0}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        root["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, QTY * orders * 2
        )
        self.orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": QTY})],
                }
                for _ in range(orders)
            ]
        )
        self.cr.flush()

    def end(self):
        self.cr.rollback()
        self.cr.close()

    def timed(self, path, function):
        profiling = self.profile is not None and (
            not self.profile_paths or path in self.profile_paths
        )
        if profiling:
            self.profile.enable()
        start, cpu, queries = time.perf_counter(), time.process_time(), self.cr.sql_log_count
        function()
        # what the request's commit does before COMMIT: the flush and the precommit hooks (the
        # tracking messages); they also release what the operation kept for them, which
        # would otherwise pile up over the round's operations in its one transaction
        self.cr.flush()
        self.times[path].append(time.perf_counter() - start)
        self.cpu[path].append(time.process_time() - cpu)
        self.queries[path].append(self.cr.sql_log_count - queries)
        if profiling:
            self.profile.disable()


def bypass(spec):
    """The addon's override `module:Class.method` reduced to its super() call."""
    module_name, qualified = spec.split(":")
    class_name, method = qualified.split(".")
    module = importlib.import_module(f"odoo.addons.distribution_governance.models.{module_name}")
    cls = getattr(module, class_name)
    original = cls.__dict__[method]

    def call_super(self, *args, **kwargs):
        return getattr(super(cls, self), method)(*args, **kwargs)

    call_super.__dict__.update(getattr(original, "__dict__", {}))
    setattr(cls, method, call_super)


def interleave(sides, count, chunk, step):
    """step(side, i) for i in range(count) on each side, chunk by chunk, the side that goes
    first alternating."""
    for number, first in enumerate(range(0, count, chunk)):
        order = sides if number % 2 == 0 else sides[::-1]
        for side in order:
            for i in range(first, min(first + chunk, count)):
                step(side, i)


def confirm(side, i):
    order = side.orders[i]
    side.timed("confirm", order.action_confirm)
    assert order.state == "sale", (side.name, order.name, order.state)


def move_write(side, i):
    moves = side.moves
    move = moves[i % len(moves)]
    # a picker's edit: the quantity picked, down one then back
    quantity = QTY - 1 if (i // len(moves)) % 2 == 0 else QTY
    side.timed("move_write", lambda: move.write({"quantity": quantity}))


def validate(side, i):
    picking = side.pickings[i]
    picking.move_ids.write({"quantity": QTY, "picked": True})
    side.cr.flush()
    side.timed("validate", lambda: picking.with_context(skip_sms=True).button_validate())
    assert picking.state == "done", (side.name, picking.name, picking.state)


def stats(side, path):
    values = sorted(side.times[path])
    n = len(values)
    return {
        "n": n,
        "mean_ms": 1000 * sum(values) / n,
        "p50_ms": 1000 * values[n // 2],
        "p95_ms": 1000 * values[min(n - 1, int(n * 0.95))],
        "cpu_ms": 1000 * sum(side.cpu[path]) / n,
        "queries": sum(side.queries[path]) / n,
    }


def top_functions(profile, limit=25):
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(
        r"distribution_governance", limit
    )
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--with", dest="with_addon", required=True)
    parser.add_argument("--without", required=True)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--writes", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=25)
    parser.add_argument("--profile", action="store_true", help="cProfile the addon's side")
    parser.add_argument("--profile-out", help="also dump the addon side's cProfile there (pstats)")
    parser.add_argument(
        "--profile-path", help="profile these paths only (comma-separated: confirm,validate,move_write)"
    )
    parser.add_argument(
        "--bypass", default="", help="module:Class.method,... of the addon reduced to super()"
    )
    args, odoo_args = parser.parse_known_args()
    config.parse_config(odoo_args)

    addon = Side("with", args.with_addon)
    plain = Side("without", args.without)
    assert "distribution.approval.request" in addon.registry, "the addon is not installed"
    assert "distribution.approval.request" not in plain.registry, "the addon is installed"
    for spec in filter(None, args.bypass.split(",")):
        bypass(spec)
    if args.profile:
        addon.profile = cProfile.Profile()
        addon.profile_paths = set(filter(None, (args.profile_path or "").split(",")))
    sides = [addon, plain]
    rounds = []
    for number in range(args.rounds):
        start = time.monotonic()
        for side in sides:
            side.begin(args.orders)
        interleave(sides, args.orders, args.chunk, confirm)
        for side in sides:
            side.pickings = side.orders.picking_ids.sorted("id")
            side.moves = side.pickings.move_ids.sorted("id")
            assert len(side.pickings) == args.orders, (side.name, len(side.pickings))
        interleave(sides, args.writes, args.chunk * 10, move_write)
        interleave(sides, args.orders, args.chunk, validate)
        for side in sides:
            side.end()
        rounds.append(
            {
                "round": number + 1,
                "seconds": round(time.monotonic() - start, 1),
                "load": os.getloadavg(),
                **{
                    f"{side.name}_{path}_ms": 1000 * sum(values[-count:]) / count
                    for side in sides
                    for path, count in (
                        ("confirm", args.orders),
                        ("validate", args.orders),
                        ("move_write", args.writes),
                    )
                    for values in [side.times[path]]
                },
            }
        )
        print(json.dumps(rounds[-1]), file=sys.stderr, flush=True)
    result = {
        "bypassed": list(filter(None, args.bypass.split(","))),
        "orders": args.orders,
        "writes": args.writes,
        "rounds": rounds,
        "paths": {
            path: {"with": stats(addon, path), "without": stats(plain, path)}
            for path in addon.times
        },
    }
    if args.profile:
        result["profile"] = top_functions(addon.profile)
        if args.profile_out:
            addon.profile.dump_stats(args.profile_out)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
