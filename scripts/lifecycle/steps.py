# The steps of scripts/lifecycle.mjs, run inside `odoo-bin shell` (read from stdin, with `env`
# as superuser); the driver prepends `STEP = "<name>"`. Each step prints `DG-CHECK ok|FAIL name
# -- detail` lines and/or one `DG-SNAPSHOT {json}` line (seed ends with the snapshot before the
# upgrade), and commits what must persist.
# The ids of the records made by `seed` travel between the steps in an ir.config_parameter,
# which outlives the addon.
import json
import traceback
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import mute_logger

IDS_KEY = "dg_lifecycle.ids"
ADDON = "distribution_governance"


def check(name, ok, detail=""):
    print(f"DG-CHECK {'ok' if ok else 'FAIL'} {name}" + (f" -- {detail}" if detail else ""), flush=True)
    return ok


def guarded(name, fn):
    """Runs one check that works on the database; an error is its failure, not the step's."""
    try:
        with env.cr.savepoint():
            return fn()
    except Exception as error:  # noqa: BLE001 - reported as the check's failure
        detail = f"{type(error).__name__}: {error}".replace("\n", " ")[:400]
        print(traceback.format_exc(), flush=True)
        return check(name, False, detail)


def new_user(login, groups):
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": login,
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set([env.ref(g).id for g in groups])],
            }
        )
    )


def addon_models():
    """The stored models the addon defines or extends (sale.order, stock.picking, ...): found
    through its xmlids, so new ones are covered too."""
    defined = env["ir.model.data"].search([("module", "=", ADDON), ("model", "=", "ir.model")])
    names = env["ir.model"].browse(defined.mapped("res_id")).mapped("model")
    return sorted(n for n in names if not env[n]._abstract and not env[n]._transient)


def ids():
    return json.loads(env["ir.config_parameter"].sudo().get_param(IDS_KEY))


def ship(picking, qty=None, backorder=True):
    """Validates `picking` with `qty` picked (all by default), answering the backorder wizard."""
    picking.action_assign()
    for move in picking.move_ids:
        move.write({"quantity": move.product_uom_qty if qty is None else qty, "picked": True})
    result = picking.button_validate()
    if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
        wizard = env[result["res_model"]].with_context(result["context"]).create({})
        wizard.process() if backorder else wizard.process_cancel_backorder()
    return picking


def invoice_and_pay(order, pay=True):
    move = order._create_invoices()
    move.action_post()
    if pay:
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})._create_payments()
    return move


# ---------------------------------------------------------------------------------- seed


def seed():
    company = env.company
    company.write(
        {
            "account_use_credit_limit": True,
            "dg_credit_hold_active": True,
            "dg_credit_hold_point": "confirmation",
            "dg_approval_validity_hours": 48,
        }
    )
    # An administrator's changes to the addon's noupdate data, which an upgrade must keep.
    env.ref(f"{ADDON}.exception_type_stockout").sla_hours_high = 6
    env.ref(f"{ADDON}.cron_exception_escalation").interval_number = 30
    env.ref(f"{ADDON}.policy_credit_override_standard").name = "Credit override (edited)"

    rep = new_user("life_rep", ["sales_team.group_sale_salesman"])
    approver = new_user("life_approver", ["stock.group_stock_manager", "sales_team.group_sale_salesman"])
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    item = env["product.product"].create(
        {
            "name": "Lifecycle Carton",
            "type": "consu",
            "list_price": 500.0,
            "taxes_id": [Command.set([])],
            "invoice_policy": "order",
        }
    )
    storable = env["product.product"].create(
        {
            "name": "Lifecycle Pallet",
            "is_storable": True,
            "list_price": 50.0,
            "taxes_id": [Command.set([])],
            "invoice_policy": "order",
        }
    )
    scarce = env["product.product"].create(
        {"name": "Lifecycle Scarce Item", "is_storable": True, "list_price": 10.0}
    )
    env["stock.quant"]._update_available_quantity(storable, warehouse.lot_stock_id, 10)

    def order(name, limit, product, qty, user=rep):
        partner = env["res.partner"].create({"name": name, "is_company": True})
        partner.with_company(company).credit_limit = limit
        return (
            env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                }
            )
            .sudo()
        )

    held = order("Lifecycle Held Customer", 100, item, 1)
    held.with_user(rep).action_confirm()
    approved = order("Lifecycle Approved Customer", 100, item, 1)
    approved.with_user(rep).action_confirm()
    approved.dg_approval_request_ids.with_user(approver).action_approve("known customer")
    rejected = order("Lifecycle Rejected Customer", 100, item, 1)
    rejected.with_user(rep).action_confirm()
    rejected.dg_approval_request_ids.with_user(approver).action_reject("too risky")

    # stockouts: one resolved, one taken and left open
    stockout = order("Lifecycle Stockout Customer", 0, scarce, 5)
    stockout.action_confirm()
    stockout_open = order("Lifecycle Stockout Customer 2", 0, scarce, 3)
    stockout_open.action_confirm()
    exceptions = env["distribution.exception"].search([("product_id", "=", scarce.id)])
    found = env.ref(f"{ADDON}.resolution_stockout_stock_found")
    exceptions.filtered(lambda e: e.sale_order_id == stockout).with_user(approver).action_resolve(
        found.id, "found on the mezzanine"
    )
    exceptions.filtered(lambda e: e.sale_order_id == stockout_open).with_user(
        approver
    ).action_take_ownership()

    # a short pick: 4 ordered, 3 shipped, the rest in a backorder
    short = order("Lifecycle Short Customer", 0, storable, 4)
    short.action_confirm()
    ship(short.picking_ids, qty=3)

    # confirmed, delivered in full, invoiced and paid
    done = order("Lifecycle Done Customer", 0, storable, 3)
    done.action_confirm()
    ship(done.picking_ids.filtered(lambda p: p.state != "done"))
    done_invoice = invoice_and_pay(done)

    # a breached exception, escalated by the cron (activities for the escalation group)
    breached = env["distribution.exception"].create(
        {
            "type_id": env.ref(f"{ADDON}.exception_type_master_data").id,
            "description": "Lifecycle: product without weight",
            "product_id": storable.id,
            "detected_at": fields.Datetime.now() - timedelta(days=10),
        }
    )
    env["distribution.exception"]._cron_escalate()

    seeded = {
        "held": held.id,
        "approved": approved.id,
        "rejected": rejected.id,
        "stockout": stockout.id,
        "stockout_open": stockout_open.id,
        "short": short.id,
        "done": done.id,
        "done_invoice": done_invoice.id,
        "breached": breached.id,
    }
    env["ir.config_parameter"].sudo().set_param(IDS_KEY, json.dumps(seeded))
    env.flush_all()
    env.cr.commit()

    check("seed: order held", held.dg_credit_hold == "on_hold" and held.state == "draft", held.dg_credit_hold)
    check(
        "seed: order approved and confirmed",
        approved.dg_credit_hold == "released" and approved.state == "sale",
        f"{approved.dg_credit_hold}/{approved.state}",
    )
    check("seed: order rejected", rejected.dg_credit_hold == "rejected", rejected.dg_credit_hold)
    states = sorted(exceptions.mapped("state"))
    check("seed: stockouts resolved and open", states == ["in_progress", "resolved"], str(states))
    check(
        "seed: short pick detected",
        bool(
            env["distribution.exception"].search_count(
                [("sale_order_id", "=", short.id), ("type_code", "=", "short_pick")]
            )
        ),
    )
    check(
        "seed: delivered order invoiced and paid",
        done.picking_ids.mapped("state") == ["done"]
        and done_invoice.payment_state in ("paid", "in_payment"),
        f"{done.picking_ids.mapped('state')} {done_invoice.payment_state}",
    )
    check(
        "seed: breached exception escalated",
        breached.escalation_level >= 1 and bool(breached.activity_ids),
        f"level {breached.escalation_level}, {len(breached.activity_ids)} activities",
    )
    snapshot()


# ---------------------------------------------------------------------------------- snapshot


def snapshot():
    """Every record of the models the addon defines or extends, its crons, the company settings
    and the chatter of its models."""
    data = {}
    for model in addon_models():
        Model = env[model].sudo().with_context(active_test=False)
        names = sorted(n for n, f in Model._fields.items() if f.store and f.type != "one2many")
        rows = Model.search([], order="id").read(names)
        data[model] = {str(r["id"]): r for r in rows}
    data["account.move"] = {
        str(m["id"]): m
        for m in env["account.move"].search([]).read(
            ["name", "state", "payment_state", "amount_total", "amount_residual", "invoice_origin"]
        )
    }
    company = env.company
    data["res.company"] = company.read(
        ["dg_credit_hold_active", "dg_credit_hold_point", "dg_overdue_days", "dg_approval_validity_hours"]
    )
    crons = env["ir.model.data"].search([("module", "=", ADDON), ("model", "=", "ir.cron")])
    data["ir.cron"] = {
        c.name: c.read(["interval_number", "interval_type", "active", "code"])[0]
        for c in env["ir.cron"].browse(crons.mapped("res_id"))
    }
    for model in ("mail.activity", "mail.message"):
        field = "res_model" if model == "mail.activity" else "model"
        data[f"{model} count"] = {
            m: env[model].sudo().search_count([(field, "=", m)]) for m in addon_models()
        }
    print("DG-SNAPSHOT " + json.dumps(data, default=str, sort_keys=True), flush=True)


def after_upgrade():
    snapshot()
    env.cr.execute(
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'distribution_audit_log_append_only'"
    )
    check("upgrade: the audit log's append-only trigger is in place", env.cr.fetchone()[0] == 1)

    def raw_update_refused():
        try:
            with env.cr.savepoint(), mute_logger("odoo.sql_db"):
                env.cr.execute("UPDATE distribution_audit_log SET reason = 'tampered'")
        except Exception as error:  # noqa: BLE001 - the refusal is what we expect
            refused = "append-only" in str(error)
            return check("upgrade: raw SQL cannot change the audit log", refused, str(error)[:120])
        return check("upgrade: raw SQL cannot change the audit log", False, "UPDATE went through")

    guarded("upgrade: raw SQL cannot change the audit log", raw_update_refused)

    def still_works():
        # the upgraded addon still decides: a new held order, released by the approver
        rep = env["res.users"].search([("login", "=", "life_rep")])
        approver = env["res.users"].search([("login", "=", "life_approver")])
        partner = env["res.partner"].create({"name": "Lifecycle After Upgrade"})
        partner.credit_limit = 10
        item = env["product.product"].search([("name", "=", "Lifecycle Carton")])
        order = env["sale.order"].with_user(rep).create(
            {"partner_id": partner.id, "order_line": [Command.create({"product_id": item.id})]}
        )
        order.action_confirm()
        held = order.dg_credit_hold == "on_hold"
        order.sudo().dg_approval_request_ids.with_user(approver).action_approve("after upgrade")
        return check(
            "upgrade: hold and release still work",
            held and order.dg_credit_hold == "released" and order.state == "sale",
            f"{order.dg_credit_hold}/{order.state}",
        )

    guarded("upgrade: hold and release still work", still_works)  # rolled back below
    env.cr.rollback()


def uninstall():
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    module.button_immediate_uninstall()
    check("uninstall: button_immediate_uninstall returned", True)


# ---------------------------------------------------------------------------------- after


def after_uninstall():
    seeded = ids()
    cr = env.cr
    module = env["ir.module.module"].search([("name", "=", ADDON)])
    check("uninstalled: module state", module.state == "uninstalled", module.state)

    cr.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'distribution\\_%%'"
    )
    tables = [r[0] for r in cr.fetchall()]
    check("uninstalled: the addon's tables are gone", not tables, ", ".join(tables))
    cr.execute(
        """SELECT proname FROM pg_proc
            WHERE proname = 'distribution_audit_log_append_only' OR proname LIKE 'dg\\_%%'"""
    )
    functions = [r[0] for r in cr.fetchall()]
    check(
        "uninstalled: the addon's functions are gone (audit trigger, credit exposure)",
        not functions,
        ", ".join(functions),
    )
    cr.execute(
        """SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE column_name LIKE 'dg\\_%%' AND table_schema = 'public'"""
    )
    columns = [r[0] for r in cr.fetchall()]
    check("uninstalled: the addon's columns are gone", not columns, ", ".join(columns))
    cr.execute(
        """SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE '%%dg\\_%%'
            UNION ALL
           SELECT conname FROM pg_constraint WHERE conname LIKE '%%dg\\_%%'"""
    )
    leftover = [r[0] for r in cr.fetchall()]
    check("uninstalled: the addon's indexes and constraints are gone", not leftover, ", ".join(leftover))
    leftovers = {
        "ir.model": env["ir.model"].search_count([("model", "=like", "distribution.%")]),
        "ir.model.fields": env["ir.model.fields"].search_count([("name", "=like", "dg\\_%")]),
        "ir.model.data": env["ir.model.data"].search_count([("module", "=", ADDON)]),
        "mail.message": env["mail.message"].search_count([("model", "=like", "distribution.%")]),
        "mail.activity": env["mail.activity"].search_count([("res_model", "=like", "distribution.%")]),
        "ir.asset": env["ir.asset"].search_count([("path", "=like", f"{ADDON}/%")]),
        "ir.cron": env["ir.cron"].with_context(active_test=False).search_count(
            [("name", "=like", "Distribution Governance:%")]
        ),
    }
    left = {k: v for k, v in leftovers.items() if v}
    check(
        "uninstalled: no records of the addon left (models, fields, xmlids, chatter, crons)",
        not left,
        str(left),
    )

    kinds = ("held", "approved", "rejected", "stockout", "short", "done")
    orders = env["sale.order"].browse([seeded[k] for k in kinds])
    check("uninstalled: the orders are all there", len(orders.exists()) == 6, str(orders.exists().ids))
    check(
        "uninstalled: order states kept",
        orders.mapped("state") == ["draft", "sale", "draft", "sale", "sale", "sale"],
        str(orders.mapped("state")),
    )
    done_invoice = env["account.move"].browse(seeded["done_invoice"])
    check(
        "uninstalled: the paid invoice is intact",
        done_invoice.state == "posted" and done_invoice.payment_state in ("paid", "in_payment"),
        f"{done_invoice.state}/{done_invoice.payment_state}",
    )

    def held_quotation_flows():
        held = env["sale.order"].browse(seeded["held"])
        held.action_confirm()
        check("uninstalled: the formerly held quotation confirms", held.state == "sale", held.state)
        ship(held.picking_ids)
        check(
            "uninstalled: its delivery validates",
            held.picking_ids.mapped("state") == ["done"],
            str(held.picking_ids.mapped("state")),
        )
        move = invoice_and_pay(held)
        return check(
            "uninstalled: its invoice posts and is paid",
            move.state == "posted" and move.payment_state in ("paid", "in_payment"),
            f"{move.state}/{move.payment_state}",
        )

    guarded("uninstalled: the formerly held quotation confirms, ships, invoices", held_quotation_flows)

    def backorder_ships():
        short = env["sale.order"].browse(seeded["short"])
        backorder = short.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        ship(backorder)
        return check(
            "uninstalled: the short pick's backorder validates",
            bool(backorder) and backorder.state == "done",
            f"{len(backorder)} backorder(s), {backorder.mapped('state')}",
        )

    guarded("uninstalled: the short pick's backorder validates", backorder_ships)

    def released_order_ships():
        approved = env["sale.order"].browse(seeded["approved"])
        ship(approved.picking_ids)
        move = invoice_and_pay(approved, pay=False)
        return check(
            "uninstalled: the released order ships and invoices",
            approved.picking_ids.mapped("state") == ["done"] and move.state == "posted",
            f"{approved.picking_ids.mapped('state')} {move.state}",
        )

    guarded("uninstalled: the released order ships and invoices", released_order_ships)

    def new_order_confirms():
        rep = env["res.users"].search([("login", "=", "life_rep")])
        partner = env["res.partner"].browse(env["sale.order"].browse(seeded["rejected"]).partner_id.id)
        item = env["product.product"].search([("name", "=", "Lifecycle Carton")])
        order = env["sale.order"].with_user(rep).create(
            {"partner_id": partner.id, "order_line": [Command.create({"product_id": item.id})]}
        )
        order.action_confirm()
        return check(
            "uninstalled: a new order over the credit limit confirms (no hold any more)",
            order.state == "sale",
            order.state,
        )

    guarded("uninstalled: a new order over the credit limit confirms", new_order_confirms)
    env.cr.rollback()


{
    "seed": seed,
    "after_upgrade": after_upgrade,
    "uninstall": uninstall,
    "after_uninstall": after_uninstall,
}[STEP]()  # noqa: F821 - prepended by scripts/lifecycle.mjs
