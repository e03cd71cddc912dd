"""Who may do what: every role of a distributor against every model and public method of the
addon, as one table.

Each row of MATRIX is an action, each column a role (real users in Odoo's own groups, which
bring the governance roles, see security/distribution_governance_security.xml). A cell says:

    Y  allowed: the call succeeds and the database shows its effect;
    N  refused: AccessError / UserError / ValidationError / MissingError, the database unchanged;
    E  allowed but empty: the call answers without any of the addon's data.

Calls go through the RPC path (odoo.api.call_kw after Odoo's check of public methods), with the
context a client sends, so a cell says what a user can do from a browser or a script.
Each cell starts from the same data (a savepoint rolled back after it).
"""

import itertools
import logging
import uuid
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..kpi.results import Figures
from .common import CreditCase, call_rpc

_logger = logging.getLogger(__name__)

ROLE_GROUPS = {
    "sales": "sales_team.group_sale_salesman",
    "warehouse": "stock.group_stock_user",
    "manager": "stock.group_stock_manager",  # warehouse manager, override approver
    "finance": "account.group_account_manager",  # credit approver
    "admin": "base.group_system",  # governance administrator
    "portal": "base.group_portal",  # a customer on the portal
}

MATRIX = """
action                          sales  warehouse  manager  finance  admin  portal
exception_read                    Y        Y         Y        Y       Y      N
exception_create                  Y        Y         Y        Y       Y      N
exception_write                   Y        Y         Y        Y       Y      N
exception_write_state             N        N         N        N       N      N
exception_change_type             N        N         N        N       N      N
exception_unlink                  N        N         Y        N       Y      N
exception_take_ownership          Y        Y         Y        Y       Y      N
exception_assign                  N        N         Y        N       Y      N
exception_reassign_by_write       N        N         Y        N       Y      N
exception_resolve                 Y        Y         Y        Y       Y      N
exception_resolve_wizard          Y        Y         Y        Y       Y      N
exception_cancel                  N        N         Y        N       Y      N
exception_reopen                  N        N         Y        N       Y      N
exception_escalate_private        N        N         N        N       N      N
exception_escalate_cron_trigger   N        N         N        N       Y      N
exception_run_checks_action       N        N         Y        N       Y      N
exception_run_checks              N        N         Y        N       Y      N
exception_move_to_in_progress     Y        Y         Y        Y       Y      N
exception_move_to_resolved        Y        Y         Y        Y       Y      N
exception_move_to_cancelled       N        N         Y        N       Y      N
exception_move_back_to_new        N        N         N        N       N      N
exception_move_credit_hold        N        N         N        N       N      N
exception_assign_wizard           N        N         Y        N       Y      N
exception_get_panel_data          Y        Y         Y        Y       N      E
exception_list_names_links        E        Y         Y        Y       Y      N
exception_get_triage_counts       Y        Y         Y        Y       Y      E
exception_get_systray_data        Y        Y         Y        Y       Y      E
order_exception_count             Y        Y         Y        Y       N      N
order_write_hold_fields           N        N         N        N       N      N
order_create_with_hold_default    N        N         N        N       N      N
order_read_hold_reason            Y        N         Y        Y       N      N
picking_detach_held_order         N        N         N        N       N      N
order_write_price_hold            N        N         N        N       N      N
order_create_with_price_default   N        N         N        N       N      N
order_confirm_below_price_policy  Y        Y         Y        Y       N      N
order_write_state_below_policy    N        N         N        N       N      N
price_request_approve_deep        N        N         Y        Y       Y      N
price_request_reject_deep         N        N         Y        Y       Y      N
price_panel                       Y        Y         Y        Y       N      E
line_read_margin                  N        N         Y        Y       N      N
type_read                         Y        Y         Y        Y       Y      N
type_create                       N        N         N        N       Y      N
type_write                        N        N         N        N       Y      N
type_unlink                       N        N         N        N       Y      N
resolution_read                   Y        Y         Y        Y       Y      N
resolution_create                 N        N         N        N       Y      N
resolution_write                  N        N         N        N       Y      N
resolution_unlink                 N        N         N        N       Y      N
policy_read                       Y        Y         Y        Y       Y      N
policy_create                     N        N         N        N       Y      N
policy_write                      N        N         N        N       Y      N
policy_unlink                     N        N         N        N       Y      N
request_read                      N        N         Y        Y       Y      N
request_read_own                  Y        Y         Y        Y       Y      N
request_justify                   Y        Y         Y        Y       Y      N
request_justify_others            N        N         N        N       N      N
request_create                    N        N         N        N       N      N
request_write                     N        N         N        N       N      N
request_unlink                    N        N         N        N       N      N
request_by_confirming_order       Y        Y         Y        Y       N      N
request_approve                   N        N         Y        Y       Y      N
request_reject                    N        N         Y        Y       Y      N
request_get_pending_count         E        E         Y        Y       Y      E
request_get_panel_data            Y        Y         Y        Y       N      E
request_get_panel_data_on_request N        N         Y        Y       Y      E
overview_open_figure              E        Y         Y        Y       Y      N
decision_read                     N        N         Y        Y       Y      N
decision_create                   N        N         N        N       N      N
decision_write                    N        N         N        N       N      N
decision_unlink                   N        N         N        N       N      N
audit_read                        N        N         Y        Y       Y      N
audit_create                      N        N         N        N       N      N
audit_write                       N        N         N        N       N      N
audit_unlink                      N        N         N        N       N      N
wizard_read                       Y        Y         Y        Y       Y      N
wizard_create                     Y        Y         Y        Y       Y      N
wizard_write                      Y        Y         Y        Y       Y      N
wizard_unlink                     N        N         N        N       N      N
settings_credit_hold              N        N         N        N       Y      N
company_credit_hold_fields        N        N         N        N       Y      N
kpi_dashboard                     Y        Y         Y        Y       Y      N
kpi_snapshot_cron_private         N        N         N        N       N      N
kpi_target_read                   Y        Y         Y        Y       Y      N
kpi_target_create                 N        N         N        N       Y      N
kpi_target_write                  N        N         N        N       Y      N
kpi_target_unlink                 N        N         N        N       Y      N
kpi_snapshot_read                 Y        Y         Y        Y       Y      N
kpi_snapshot_create               N        N         N        N       N      N
kpi_snapshot_write                N        N         N        N       N      N
kpi_snapshot_unlink               N        N         N        N       N      N
readiness_read                    Y        Y         Y        Y       Y      N
readiness_create                  N        N         N        N       Y      N
readiness_write                   N        N         N        N       Y      N
readiness_unlink                  N        N         N        N       Y      N
company_go_live_date              N        N         N        N       Y      N
company_kpi_tz                    N        N         N        N       Y      N
urgent_request                    Y        Y         Y        Y       N      N
urgent_approve                    N        N         Y        N       N      N
urgent_reject                     N        N         Y        N       N      N
urgent_panel                      Y        Y         Y        Y       N      E
picking_star_urgent               N        N         N        N       N      N
order_write_urgent_state          N        N         N        N       N      N
kpi_snapshot_hour_cron_private    N        N         N        N       N      N
kpi_snapshot_hour_read            Y        Y         Y        Y       Y      N
kpi_snapshot_hour_create          N        N         N        N       N      N
kpi_snapshot_hour_write           N        N         N        N       N      N
kpi_snapshot_hour_unlink          N        N         N        N       N      N
delegation_create_own             N        N         Y        Y       Y      N
delegation_create_for_other       N        N         N        N       Y      N
delegation_write_others           N        N         N        N       Y      N
delegation_write_held             N        N         N        N       Y      N
delegation_read_others            N        N         N        N       Y      N
delegation_read_held              Y        Y         Y        Y       Y      N
delegation_unlink_others          N        N         N        N       Y      N
delegate_decide_on_behalf         Y        Y         Y        Y       Y      N
delegate_decide_after_end         N        N         Y        Y       Y      N
delegate_decide_before_start      N        N         Y        Y       Y      N
escalate_now                      N        N         N        N       Y      N
escalate_cron_private             N        N         N        N       N      N
inventory_apply_over_threshold    N        Y         Y        N       N      N
inventory_approve                 N        N         Y        N       N      N
inventory_reject                  N        N         Y        N       N      N
delegate_decide_inventory         N        N         Y        N       N      N
quant_write_engine_fields         N        N         N        N       N      N
warehouse_inventory_thresholds    N        N         N        N       N      N
partial_validate_short            Y        Y         Y        Y       N      N
partial_approve                   N        N         Y        N       N      N
partial_reject                    N        N         Y        N       N      N
picking_write_partial_state       N        N         N        N       N      N
partner_complete_delivery         N        N         N        N       N      N
order_picking_policy_direct       N        N         N        N       N      N
picking_move_type_direct          N        N         N        N       N      N
floor_capture                     N        Y         Y        N       N      N
floor_reason_read                 Y        Y         Y        Y       Y      N
floor_reason_create               N        N         N        N       Y      N
floor_reason_write                N        N         N        N       Y      N
floor_resolve_wizard              N        Y         Y        N       N      N
exception_get_triage_suggestion   Y        Y         Y        Y       Y      E
exception_apply_triage_owner      N        N         Y        N       Y      N
exception_apply_triage_resolution Y        Y         Y        Y       Y      N
triage_weight_read                Y        Y         Y        Y       Y      N
triage_weight_write               N        N         N        N       N      N
company_triage_auto_assign        N        N         N        N       Y      N
exception_set_promise             Y        Y         Y        Y       Y      N
exception_notify_customer         Y        Y         Y        Y       N      N
order_write_revised_promise       N        N         N        N       N      N
"""
# Notes on cells that follow Odoo's own rights rather than the addon's:
# - requests and decisions carry credit figures and reasons: a user reads those of the orders
#   they asked for or sell (request_read_own), credit roles read all (request_read).
# - admin (Settings only) has no sales rights: no sales order to confirm or open a panel on.
# - warehouse and finance users may write sales orders in standard Odoo, so confirming one
#   over the limit puts it on hold and requests an approval like for a salesperson.
# - prices below policy: the matrix's quotation is 50% below its pricelist price, the deep
#   tier decided by two override approvers (the warehouse manager, finance, the administrator
#   through the governance administrator role); margins are read by override approvers and
#   sales managers only.
# - urgent orders: whoever may change the order asks (warehouse and finance users may write
#   sales orders in standard Odoo); warehouse managers decide (the tier's group: override
#   approvers who are not, finance and the administrator, may not); nobody stars the delivery
#   of a governed order without an approved override.
# - delegations: an approver delegates his own authority (the constraint asks that he decide a
#   tier: sales and warehouse users have nothing to delegate), a governance administrator
#   anyone's; the delegate reads what he holds, changes nothing of it. A record rule or a
#   constraint refuses a create after its insert: the RPC's transaction is rolled back, as the
#   cells' savepoint (`in_transaction`) does. The credit request's tier is the override
#   approvers' (manager, finance, admin decide it in their own right); sales and warehouse users
#   decide it on the approver's behalf only while a delegation runs.
# - escalation by hand: governance administrators only; the cron's method is private.
# - large inventory adjustments: stock users count and apply (a request above the threshold),
#   stock managers decide (not the override approvers who are not: finance, the administrator).
#   A delegation does not lend it: holding one of a stock manager, a user who is not one is
#   still refused (delegate_decide_inventory).
#   The warehouse thresholds are the governance administrators', but the matrix's administrator
#   has no Inventory rights to write a warehouse at all: refused by Odoo's rights; stock
#   managers (who may write warehouses) are refused by the addon.
# - partial shipments: sales and finance users may write transfers in standard Odoo
#   (sale_stock, stock_account), so validating one short files a request for them too; stock
#   managers decide. The customer's flag and the order's shipping policy are the sales
#   managers' and governance administrators' (not a column here): the administrator, without
#   Contacts or Sales rights, is refused by Odoo's rights, the others by the addon.
# - floor capture and the resolve wizard's default scrap: warehouse users (Inventory / User);
#   the scrap needs stock rights the sales, finance and administrator roles do not have.


def in_transaction(env, call):
    """`call` as in an RPC of its own: rolled back when it raises (a record rule or a
    constraint refuses a create after its insert)."""
    with env.cr.savepoint():
        return call()


def parse_matrix(text):
    lines = [line.split() for line in text.strip().splitlines()]
    roles = lines[0][1:]
    assert roles == list(ROLE_GROUPS), roles
    return {row[0]: dict(zip(roles, row[1:], strict=True)) for row in lines[1:]}


CELLS = parse_matrix(MATRIX)
REFUSALS = (AccessError, UserError, ValidationError, MissingError)
EXCEPTION = "distribution.exception"
REQUEST = "distribution.approval.request"
WIZARD = "distribution.exception.resolve.wizard"
DELEGATION = "distribution.approval.delegation"
_keys = itertools.count()


class Cell:
    """One action prepared for one user: `call` does it over RPC; `probe` reads what it may
    change (compared before/after a refusal); `allowed` / `empty` assert on the result."""

    def __init__(self, call, probe=None, allowed=None, empty=None):
        self.call = call
        self.probe = probe or (lambda: None)
        self.allowed = allowed
        self.empty = empty


@tagged("post_install", "-at_install")
class TestSecurityMatrix(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = {
            role: new_test_user(cls.env, login=f"dg_mx_{role}", groups=groups)
            for role, groups in ROLE_GROUPS.items()
        }
        # The portal user is a customer with a credit limit: their own orders can be held.
        cls.portal_customer = cls.roles["portal"].partner_id
        cls.portal_customer.with_company(cls.company).credit_limit = 1000.0
        cls.assignee = new_test_user(cls.env, login="dg_mx_assignee", groups="stock.group_stock_user")
        cls.assignee_2 = new_test_user(cls.env, login="dg_mx_assignee2", groups="stock.group_stock_user")
        cls.master_data_type = cls.env.ref("distribution_governance.exception_type_master_data")
        cls.stock_found = cls.env["distribution.exception.resolution"].search(
            [("type_id.code", "=", "stockout"), ("code", "=", "stock_found")]
        )
        cls.escalation_cron = cls.env.ref("distribution_governance.cron_exception_escalation")

    # ------------------------------------------------------------------ runner

    def run_row(self, action):
        for role, expected in CELLS[action].items():
            with self.subTest(action=action, role=role):
                savepoint = self.env.cr.savepoint()
                try:
                    self.run_cell(action, role, expected)
                finally:
                    savepoint.close(rollback=True)

    def run_cell(self, action, role, expected):
        user = self.roles[role]
        cell = getattr(self, f"cell_{action}")(self.env(user=user), user)
        self.env.invalidate_all()
        before = cell.probe()
        # as in a request of its own: nothing the fixtures or the probe read is cached, so
        # every read of the call meets the access rights
        self.env.invalidate_all()
        try:
            result = cell.call()
        except REFUSALS as error:
            self.assertEqual(expected, "N", f"{action} as {role} was refused: {error}")
            self.env.invalidate_all()
            self.assertEqual(cell.probe(), before, f"{action} as {role}: refused, yet the DB changed")
            return
        self.assertNotEqual(expected, "N", f"{action} as {role} should have been refused")
        self.env.invalidate_all()  # what the database holds now
        if expected == "Y":
            cell.allowed(result)
        else:
            self.assertTrue(cell.empty(result), f"{action} as {role} should show nothing: {result}")

    def test_matrix_covers_every_action(self):
        implemented = {name[len("cell_"):] for name in dir(self) if name.startswith("cell_")}
        self.assertEqual(implemented, set(CELLS))
        count = sum(len(row) for row in CELLS.values())
        self.assertEqual(count, len(CELLS) * len(ROLE_GROUPS))
        _logger.info("security matrix: %s actions x %s roles = %s cells", len(CELLS), len(ROLE_GROUPS), count)

    # ------------------------------------------------------------------ fixtures (superuser)

    def exception(self, **values):
        vals = {"product_id": self.product.id, "quantity_missing": 2}
        vals.update(values)
        return self.env[EXCEPTION]._raise_exception("stockout", f"matrix:{next(_keys)}", vals)

    def quotation(self, qty, partner=None):
        """A quotation the rep made, read and changed here as superuser."""
        return self.order(qty, partner=partner).with_env(self.env)

    def held_order(self, partner=None):
        order = self.order(11, partner=partner)  # 1,100 over the 1,000 limit
        order.action_confirm()  # by the rep: requester and salesperson
        return order.with_env(self.env)

    def pending_request(self, **kwargs):
        request = self.request_of(self.held_order(**kwargs))
        self.assertEqual(len(request), 1)
        return request

    def portal_order(self):
        """An order of the portal customer, sold by the sales role: both may open it."""
        order = self.quotation(1, partner=self.portal_customer)
        order.user_id = self.roles["sales"]
        order.message_subscribe(partner_ids=self.portal_customer.ids)
        return order

    def audit_events(self, request):
        return self.env["distribution.audit.log"].search(
            [("request_id", "=", request.id), ("event", "not like", "%_refused")], order="id"
        ).mapped("event")

    # ------------------------------------------------------------------ exceptions

    def cell_exception_read(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "read", [exc.id], ["name", "state"]),
            allowed=lambda result: self.assertEqual(result[0]["name"], exc.name),
        )

    def cell_exception_create(self, env, user):
        description = f"Pallet labels missing ({user.login})"
        found = lambda: self.env[EXCEPTION].search([("description", "=", description)])  # noqa: E731

        def allowed(new_id):
            self.assertEqual(found().ids, [new_id])
            self.assertEqual((found().create_uid, found().state), (user, "new"))

        return Cell(
            call=lambda: call_rpc(
                env, EXCEPTION, "create",
                {"type_id": self.master_data_type.id, "description": description},
            ),
            probe=lambda: found().ids,
            allowed=allowed,
        )

    def cell_exception_write(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "write", [exc.id], {"description": "Recounted"}),
            probe=lambda: exc.description,
            allowed=lambda _r: self.assertEqual(exc.description, "Recounted"),
        )

    def cell_exception_write_state(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "write", [exc.id], {"state": "resolved"}),
            probe=lambda: exc.state,
        )

    def cell_exception_change_type(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(
                env, EXCEPTION, "write", [exc.id], {"type_id": self.master_data_type.id}
            ),
            probe=lambda: (exc.type_id, exc.sla_deadline),
        )

    def cell_exception_unlink(self, env, user):
        exc = self.exception()
        exc.write({"state": "cancelled"})
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "unlink", [exc.id]),
            probe=lambda: bool(exc.exists()),
            allowed=lambda _r: self.assertFalse(exc.exists()),
        )

    def cell_exception_take_ownership(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_take_ownership", [exc.id]),
            probe=lambda: (exc.owner_id, exc.state),
            allowed=lambda _r: self.assertEqual((exc.owner_id, exc.state), (user, "in_progress")),
        )

    def cell_exception_assign(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_assign", [exc.id], self.assignee.id),
            probe=lambda: (exc.owner_id, exc.state),
            allowed=lambda _r: self.assertEqual(
                (exc.owner_id, exc.state), (self.assignee, "in_progress")
            ),
        )

    def cell_exception_reassign_by_write(self, env, user):
        exc = self.exception()
        exc.write({"owner_id": self.assignee.id, "state": "in_progress"})
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "write", [exc.id], {"owner_id": self.assignee_2.id}),
            probe=lambda: exc.owner_id,
            allowed=lambda _r: self.assertEqual(exc.owner_id, self.assignee_2),
        )

    def cell_exception_resolve(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(
                env, EXCEPTION, "action_resolve", [exc.id], self.stock_found.id, "Found on B-04"
            ),
            probe=lambda: (exc.state, exc.resolution_id, exc.resolved_by_id),
            allowed=lambda _r: self.assertEqual(
                (exc.state, exc.resolution_id, exc.resolved_by_id, exc.resolution_note),
                ("resolved", self.stock_found, user, "Found on B-04"),
            ),
        )

    def cell_exception_resolve_wizard(self, env, user):
        exc = self.exception()

        def call():
            wizard_id = call_rpc(
                env,
                WIZARD,
                "create",
                {"exception_ids": [Command.set(exc.ids)], "resolution_id": self.stock_found.id},
            )
            return call_rpc(env, WIZARD, "action_resolve", [wizard_id])

        return Cell(
            call=call,
            probe=lambda: (exc.state, exc.resolved_by_id),
            allowed=lambda _r: self.assertEqual((exc.state, exc.resolved_by_id), ("resolved", user)),
        )

    def cell_exception_cancel(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_cancel", [exc.id], "Duplicate"),
            probe=lambda: exc.state,
            allowed=lambda _r: self.assertEqual(exc.state, "cancelled"),
        )

    def cell_exception_reopen(self, env, user):
        exc = self.exception()
        exc.action_cancel()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_reopen", [exc.id]),
            probe=lambda: exc.state,
            allowed=lambda _r: self.assertEqual(exc.state, "in_progress"),
        )

    def cell_exception_move_to_in_progress(self, env, user):
        exc = self.exception()

        def allowed(result):
            self.assertEqual((exc.state, exc.owner_id), ("in_progress", user))
            self.assertEqual(result["tag"], "display_notification")

        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_move", exc.ids, "in_progress"),
            probe=lambda: (exc.state, exc.owner_id),
            allowed=allowed,
        )

    def cell_exception_move_to_resolved(self, env, user):
        # resolving asks for a resolution code: the move opens the resolve wizard on the card
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_move", exc.ids, "resolved"),
            probe=lambda: exc.state,
            allowed=lambda action: self.assertEqual(
                (action["res_model"], action["context"]["active_ids"], exc.state),
                (WIZARD, exc.ids, "new"),
            ),
        )

    def cell_exception_move_to_cancelled(self, env, user):
        exc = self.exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_move", exc.ids, "cancelled"),
            probe=lambda: exc.state,
            allowed=lambda _r: self.assertEqual(exc.state, "cancelled"),
        )

    def cell_exception_move_back_to_new(self, env, user):
        exc = self.exception()
        exc.action_take_ownership()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_move", exc.ids, "new"),
            probe=lambda: (exc.state, exc.owner_id),
        )

    def cell_exception_move_credit_hold(self, env, user):
        # a credit hold closes with its credit decision, whoever drags it
        exc = self.request_of(self.held_order()).exception_id
        self.assertEqual(exc.type_code, "credit_hold")
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_move", exc.ids, "resolved"),
            probe=lambda: exc.state,
        )

    def cell_exception_assign_wizard(self, env, user):
        exc = self.exception()
        wizard_model = "distribution.exception.assign.wizard"

        def call():
            wizard_id = call_rpc(
                env,
                wizard_model,
                "create",
                {"exception_ids": [Command.set(exc.ids)], "user_id": self.assignee.id},
            )
            return call_rpc(env, wizard_model, "action_assign", [wizard_id])

        return Cell(
            call=call,
            probe=lambda: (exc.owner_id, exc.state),
            allowed=lambda _r: self.assertEqual(
                (exc.owner_id, exc.state), (self.assignee, "in_progress")
            ),
        )

    def breached_exception(self):
        exc = self.exception(detected_at=fields.Datetime.now() - timedelta(days=3))
        self.assertEqual((exc.sla_status, exc.escalation_level), ("breached", 0))
        return exc

    def cell_exception_escalate_private(self, env, user):
        exc = self.breached_exception()
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "_cron_escalate"),
            probe=lambda: exc.escalation_level,
        )

    def cell_exception_escalate_cron_trigger(self, env, user):
        exc = self.breached_exception()
        return Cell(
            call=lambda: call_rpc(env, "ir.cron", "method_direct_trigger", self.escalation_cron.ids),
            probe=lambda: exc.escalation_level,
            allowed=lambda _r: self.assertGreater(exc.escalation_level, 0),
        )

    def duplicate_references(self):
        products = self.env["product.product"].create(
            [{"name": f"DG MX {i}", "default_code": "DG-MX-DUP"} for i in range(2)]
        )
        return lambda: self.env[EXCEPTION].search_count(
            [("type_code", "=", "master_data"), ("product_id", "in", products.ids)]
        )

    def cell_exception_run_checks_action(self, env, user):
        findings = self.duplicate_references()
        return Cell(
            call=lambda: call_rpc(env, "distribution.master.data.check", "action_run_checks"),
            probe=findings,
            allowed=lambda _r: self.assertEqual(findings(), 2),
        )

    def cell_exception_run_checks(self, env, user):
        findings = self.duplicate_references()
        return Cell(
            call=lambda: call_rpc(env, "distribution.master.data.check", "run_checks", self.company.ids),
            probe=findings,
            allowed=lambda _r: self.assertEqual(findings(), 2),
        )

    def cell_exception_get_panel_data(self, env, user):
        order = self.portal_order()
        exc = self.exception(sale_order_id=order.id, partner_id=self.portal_customer.id)
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "get_panel_data", "sale.order", order.id),
            allowed=lambda data: self.assertEqual([r["id"] for r in data["exceptions"]], exc.ids),
            empty=lambda data: data["exceptions"] == [] and not data["can_work"],
        )

    def cell_exception_list_names_links(self, env, user):
        # linked to another salesperson's order, which a salesperson may not open: the list
        # names it as Odoo names any many2one for those who read the exception; the
        # salesperson limited to his own documents does not find it at all
        order = self.quotation(1)
        exc = self.exception(sale_order_id=order.id, partner_id=self.customer.id)
        spec = {"name": {}, "sale_order_id": {"fields": {"display_name": {}}}}

        def allowed(data):
            self.assertEqual(data["length"], 1)
            self.assertEqual(
                data["records"][0]["sale_order_id"], {"id": order.id, "display_name": order.name}
            )

        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "web_search_read", [("id", "=", exc.id)], spec),
            allowed=allowed,
            empty=lambda data: data["length"] == 0 and data["records"] == [],
        )

    def cell_exception_get_triage_counts(self, env, user):
        self.exception(owner_id=user.id if not user.share else False)
        self.exception()
        self.breached_exception()

        def allowed(data):
            self.assertEqual(data["mine"], 1, data)
            self.assertGreaterEqual(data["unassigned"], 2, data)
            self.assertGreaterEqual(data["breached"], 1, data)

        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "get_triage_counts"),
            allowed=allowed,
            empty=lambda data: data == {},
        )

    def cell_exception_get_systray_data(self, env, user):
        exc = self.exception()
        exc.owner_id = user if not user.share else False
        self.breached_exception()

        def allowed(data):
            self.assertTrue(data["can_work"])
            self.assertEqual((data["my_open"], data["my_breached"]), (1, 0), data)
            # breaches of the whole company: for exception managers only
            manager = user.has_group("distribution_governance.group_exception_manager")
            self.assertEqual(data.get("breached", 0) >= 1, manager, data)

        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "get_systray_data"),
            allowed=allowed,
            empty=lambda data: data == {"can_work": False},
        )

    def cell_order_exception_count(self, env, user):
        order = self.portal_order()
        self.exception(sale_order_id=order.id, partner_id=self.portal_customer.id)
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "read", order.ids, ["dg_open_exception_count"]),
            allowed=lambda rows: self.assertEqual(rows[0]["dg_open_exception_count"], 1),
        )

    # ------------------------------------------------------------------ configuration models

    def crud_cells(self, model, values, edit, fresh):
        """read / create / write / unlink cells of a configuration model: `values` creates a
        record, `edit` changes one, `fresh()` gives a record to read, write and delete."""
        Model = self.env[model].with_context(active_test=False)
        return {
            "read": lambda env, user: (
                lambda rec: Cell(
                    call=lambda: call_rpc(env, model, "read", rec.ids, ["name"]),
                    allowed=lambda result: self.assertEqual(result[0]["name"], rec.name),
                )
            )(fresh()),
            "create": lambda env, user: Cell(
                call=lambda: call_rpc(env, model, "create", values(user)),
                probe=lambda: Model.search_count([("name", "=", values(user)["name"])]),
                allowed=lambda new_id: self.assertEqual(Model.browse(new_id).name, values(user)["name"]),
            ),
            "write": lambda env, user: (
                lambda rec: Cell(
                    call=lambda: call_rpc(env, model, "write", rec.ids, edit),
                    probe=lambda: rec.read(list(edit))[0],
                    allowed=lambda _r: self.assertEqual(
                        {k: v for k, v in rec.read(list(edit))[0].items() if k in edit}, edit
                    ),
                )
            )(fresh()),
            "unlink": lambda env, user: (
                lambda rec: Cell(
                    call=lambda: call_rpc(env, model, "unlink", rec.ids),
                    probe=lambda: bool(rec.exists()),
                    allowed=lambda _r: self.assertFalse(rec.exists()),
                )
            )(fresh()),
        }

    def type_cells(self):
        return self.crud_cells(
            "distribution.exception.type",
            lambda user: {"name": f"Pallet damage {user.login}", "code": f"mx_{user.login}"},
            {"sla_hours_low": 96.0},
            lambda: self.env["distribution.exception.type"].create(
                {"name": "DG MX Type", "code": f"mx_type_{next(_keys)}"}
            ),
        )

    def resolution_cells(self):
        return self.crud_cells(
            "distribution.exception.resolution",
            lambda user: {
                "name": f"Relabelled {user.login}",
                "code": f"mx_{user.login}",
                "type_id": self.master_data_type.id,
            },
            {"note_required": True},
            lambda: self.env["distribution.exception.resolution"].create(
                {"name": "DG MX Code", "code": f"mx_{next(_keys)}", "type_id": self.master_data_type.id}
            ),
        )

    def policy_cells(self):
        approvers = self.env.ref("distribution_governance.group_override_approver")
        return self.crud_cells(
            "distribution.approval.policy",
            lambda user: {
                "name": f"Urgent overrides {user.login}",
                "kind": "urgent_override",
                "group_id": approvers.id,
            },
            {"approvals_required": 3},
            lambda: self.env["distribution.approval.policy"].create(
                {"name": "DG MX Tier", "kind": "urgent_override", "group_id": approvers.id}
            ),
        )

    def cell_type_read(self, env, user):
        return self.type_cells()["read"](env, user)

    def cell_type_create(self, env, user):
        return self.type_cells()["create"](env, user)

    def cell_type_write(self, env, user):
        return self.type_cells()["write"](env, user)

    def cell_type_unlink(self, env, user):
        return self.type_cells()["unlink"](env, user)

    def cell_resolution_read(self, env, user):
        return self.resolution_cells()["read"](env, user)

    def cell_resolution_create(self, env, user):
        return self.resolution_cells()["create"](env, user)

    def cell_resolution_write(self, env, user):
        return self.resolution_cells()["write"](env, user)

    def cell_resolution_unlink(self, env, user):
        return self.resolution_cells()["unlink"](env, user)

    def cell_policy_read(self, env, user):
        return self.policy_cells()["read"](env, user)

    def cell_policy_create(self, env, user):
        return self.policy_cells()["create"](env, user)

    def cell_policy_write(self, env, user):
        return self.policy_cells()["write"](env, user)

    def cell_policy_unlink(self, env, user):
        return self.policy_cells()["unlink"](env, user)

    # ------------------------------------------------------------------ approvals

    def cell_request_read(self, env, user):
        request = self.pending_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "read", request.ids, ["name", "amount"]),
            allowed=lambda result: self.assertEqual(result[0]["name"], request.name),
        )

    def cell_request_create(self, env, user):
        Request = self.env[REQUEST]
        return Cell(
            call=lambda: call_rpc(
                env,
                REQUEST,
                "create",
                {
                    "kind": "credit_override",
                    "company_id": self.company.id,
                    "requester_id": user.id,
                    "currency_id": self.company.currency_id.id,
                    "amount": 1.0,
                },
            ),
            probe=lambda: Request.search_count([]),
        )

    def cell_request_write(self, env, user):
        request = self.pending_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "write", request.ids, {"state": "approved"}),
            probe=lambda: request.state,
        )

    def cell_request_unlink(self, env, user):
        request = self.pending_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "unlink", request.ids),
            probe=lambda: bool(request.exists()),
        )

    def role_of(self, user):
        return next(role for role, role_user in self.roles.items() if role_user == user)

    def cell_order_write_hold_fields(self, env, user):
        order = self.held_order()
        order.user_id = user
        return Cell(
            call=lambda: call_rpc(
                env, "sale.order", "write", order.ids,
                {"dg_credit_hold": "released", "dg_hold_reason": "forged"},
            ),
            probe=lambda: (order.dg_credit_hold, order.dg_hold_reason, order.state),
        )

    def cell_order_create_with_hold_default(self, env, user):
        Order = self.env["sale.order"]
        return Cell(
            call=lambda: call_rpc(
                env, "sale.order", "create",
                {"partner_id": self.customer.id, "user_id": user.id},
                context={"default_dg_credit_hold": "released", "default_dg_hold_reason": "forged"},
            ),
            probe=lambda: Order.search_count([]),
        )

    # ------------------------------------------------------------------ prices below policy

    def price_quotation(self, user, partner=None):
        """A quotation of `user` (the portal's: sold by the sales role) with a line 50% below
        its pricelist price, under an active pricing policy: the deep tier (two override
        approvers)."""
        self.company.dg_price_control_active = True
        order = self.quotation(1, partner=partner)
        order.order_line.price_unit = 50.0
        order.user_id = self.roles["sales"] if user.share else user
        if partner:
            order.message_subscribe(partner_ids=partner.ids)
        return order

    def price_held(self):
        order = self.price_quotation(self.rep)
        order.with_user(self.rep).action_confirm()
        request = order.dg_approval_request_ids.filtered(lambda r: r.kind == "price_override")
        self.assertEqual((order.dg_price_hold, request.state), ("on_hold", "pending"))
        return order, request

    def cell_order_write_price_hold(self, env, user):
        order, __ = self.price_held()
        order.user_id = user
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "write", order.ids, {"dg_price_hold": "released"}),
            probe=lambda: (order.dg_price_hold, order.state),
        )

    def cell_order_create_with_price_default(self, env, user):
        Order = self.env["sale.order"]
        return Cell(
            call=lambda: call_rpc(
                env, "sale.order", "create", {"partner_id": self.customer.id, "user_id": user.id},
                context={"default_dg_price_hold": "released"},
            ),
            probe=lambda: Order.search_count([]),
        )

    def cell_order_confirm_below_price_policy(self, env, user):
        order = self.price_quotation(user, partner=self.portal_customer if user.share else None)

        def allowed(_result):
            request = order.dg_approval_request_ids.filtered(lambda r: r.kind == "price_override")
            self.assertEqual((order.state, order.dg_price_hold), ("draft", "on_hold"))
            self.assertEqual(request.requester_id, user)
            self.assertEqual(self.audit_events(request), ["request"])

        return Cell(
            call=lambda: call_rpc(env, "sale.order", "action_confirm", order.ids),
            probe=lambda: (order.state, order.dg_price_hold, order.dg_approval_request_ids),
            allowed=allowed,
        )

    def cell_order_write_state_below_policy(self, env, user):
        order = self.price_quotation(user)
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "write", order.ids, {"state": "sale"}),
            probe=lambda: (order.state, order.dg_price_hold),
        )

    def price_decision_cell(self, env, user, method, reason):
        __, request = self.price_held()

        def allowed(_result):
            self.assertEqual(request.decision_ids.user_id, user)
            # approving is one of the two approvals the deep tier needs; rejecting decides
            expected = "pending" if method == "action_approve" else "rejected"
            self.assertEqual(request.state, expected)

        return Cell(
            call=lambda: call_rpc(env, REQUEST, method, request.ids, reason),
            probe=lambda: (request.state, request.decision_ids),
            allowed=allowed,
        )

    def cell_price_request_approve_deep(self, env, user):
        return self.price_decision_cell(env, user, "action_approve", "Matching a tender")

    def cell_price_request_reject_deep(self, env, user):
        return self.price_decision_cell(env, user, "action_reject", "Too deep")

    def cell_price_panel(self, env, user):
        order = self.price_quotation(user, partner=self.portal_customer)
        order.action_confirm()  # held, by the salesperson (for the portal's: the sales role)

        def allowed(data):
            self.assertEqual(data["hold_state"], "on_hold")
            self.assertEqual(data["lines"][0]["flag"], "discount")
            margins = self.role_of(user) in ("manager", "finance")
            self.assertEqual(data["show_margins"], margins)
            self.assertEqual("margin" in data["lines"][0], margins)

        return Cell(
            call=lambda: call_rpc(env, REQUEST, "get_price_panel_data", "sale.order", order.id),
            allowed=allowed,
            empty=lambda data: data == {"visible": False},
        )

    def cell_line_read_margin(self, env, user):
        order = self.price_quotation(user, partner=self.portal_customer)
        return Cell(
            call=lambda: call_rpc(
                env, "sale.order.line", "read", order.order_line.ids, ["dg_margin_percent"]
            ),
            allowed=lambda rows: self.assertIn("dg_margin_percent", rows[0]),
        )

    def cell_order_read_hold_reason(self, env, user):
        order = self.held_order()
        order.user_id = user
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "read", order.ids, ["dg_hold_reason"]),
            allowed=lambda result: self.assertIn("exceeds the limit", result[0]["dg_hold_reason"]),
        )

    def cell_picking_detach_held_order(self, env, user):
        self.company.dg_credit_hold_point = "delivery"
        self.item.is_storable = True
        order = self.held_order()
        picking = order.picking_ids
        self.assertEqual((order.state, order.dg_credit_hold, len(picking)), ("sale", "on_hold", 1))
        return Cell(
            call=lambda: call_rpc(env, "stock.picking", "write", picking.ids, {"sale_id": False}),
            probe=lambda: (picking.sale_id, picking.group_id.sale_id, picking.state),
        )

    def cell_request_by_confirming_order(self, env, user):
        # the portal customer's own quotation: they may read it, not confirm it over RPC
        order = self.quotation(11, partner=self.portal_customer)
        order.message_subscribe(partner_ids=self.portal_customer.ids)
        order.user_id = self.rep if user.share else user

        def allowed(_result):
            self.assertEqual((order.state, order.dg_credit_hold), ("draft", "on_hold"))
            self.assertEqual(order.dg_approval_request_ids.requester_id, user)
            self.assertEqual(self.audit_events(order.dg_approval_request_ids), ["request"])

        return Cell(
            call=lambda: call_rpc(env, "sale.order", "action_confirm", order.ids),
            probe=lambda: (order.state, order.dg_credit_hold, order.dg_approval_request_ids),
            allowed=allowed,
        )

    def decision_cell(self, env, user, method, reason, state):
        request = self.pending_request()

        def allowed(_result):
            self.assertEqual(request.state, state)
            self.assertEqual(request.decision_ids.user_id, user)
            self.assertEqual(self.audit_events(request)[:2], ["request", method.split("_")[1]])

        return Cell(
            call=lambda: call_rpc(env, REQUEST, method, request.ids, reason),
            probe=lambda: (request.state, request.decision_ids, self.audit_events(request)),
            allowed=allowed,
        )

    def cell_request_approve(self, env, user):
        return self.decision_cell(env, user, "action_approve", "Paid by wire today", "approved")

    def cell_request_reject(self, env, user):
        return self.decision_cell(env, user, "action_reject", "Two invoices unpaid", "rejected")

    def cell_request_get_pending_count(self, env, user):
        self.pending_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "get_pending_count"),
            allowed=lambda count: self.assertEqual(count, 1),
            empty=lambda count: count == 0,
        )

    def cell_request_get_panel_data(self, env, user):
        order = self.portal_order()
        order.order_line.product_uom_qty = 11
        order.action_confirm()
        request = self.request_of(order)
        self.assertTrue(request)

        def allowed(data):
            self.assertTrue(data["visible"])
            self.assertEqual(data["request"]["id"], request.id)
            audience = {"sales": "sales", "warehouse": "status"}.get(self.role_of(user), "credit")
            self.assertEqual(data["audience"], audience)
            if audience == "status":
                # where the hold stands, no figures, no reasons
                self.assertFalse(data["exposure"])
                self.assertEqual((data["history"], data["overdue_invoices"]), ([], []))
                self.assertNotIn("amount", data["request"])
                self.assertEqual(data["hold_reason"], "")
            else:
                self.assertAlmostEqual(data["exposure"]["this_order"], 1100)

        return Cell(
            call=lambda: call_rpc(env, REQUEST, "get_panel_data", "sale.order", order.id),
            allowed=allowed,
            empty=lambda data: data == {"visible": False},
        )

    def cell_request_get_panel_data_on_request(self, env, user):
        # the panel of the request's form: its order's credit, for who may read the request
        request = self.pending_request()

        def allowed(data):
            self.assertTrue(data["visible"])
            self.assertEqual(data["order_id"], request.sale_order_id.id)
            if self.role_of(user) == "admin":
                # reads the request, not sales orders: where the hold stands, no figures
                self.assertEqual(data["audience"], "status")
                self.assertFalse(data["exposure"])
            else:
                self.assertEqual(data["audience"], "credit")
                self.assertAlmostEqual(data["exposure"]["this_order"], 1100)

        return Cell(
            call=lambda: call_rpc(
                env, REQUEST, "get_panel_data", "distribution.approval.request", request.id
            ),
            allowed=allowed,
            empty=lambda data: data == {"visible": False},
        )

    def cell_overview_open_figure(self, env, user):
        # the overview's card: a figure and the list it opens, as the user reads them
        self.exception(sale_order_id=self.held_order().id)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)

        def call():
            shown = call_rpc(env, "stock.warehouse", "read", warehouse.ids, ["dg_exceptions_open"])
            action = call_rpc(env, "stock.warehouse", "action_dg_open_figure", warehouse.ids, "open")
            listed = call_rpc(env, action["res_model"], "search_count", action["domain"])
            return shown[0]["dg_exceptions_open"], listed

        def allowed(result):
            shown, listed = result
            self.assertEqual(shown, listed)
            self.assertGreaterEqual(shown, 2, "the stockout and the credit hold")

        # the salesperson reads neither: they are about a colleague's order
        return Cell(call=call, allowed=allowed, empty=lambda result: result == (0, 0))

    def cell_request_read_own(self, env, user):
        request = self.own_request(user)
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "read", request.ids, ["name", "amount"]),
            allowed=lambda result: self.assertEqual(result[0]["name"], request.name),
        )

    def own_request(self, user):
        """A request `user` filed by confirming an order (as the engine would for them)."""
        order = self.quotation(11)
        order.with_user(user).sudo().action_confirm()
        request = self.request_of(order)
        self.assertEqual(request.requester_id, user)
        return request

    def justify_cell(self, env, request):
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "action_justify", request.ids, "Paid by wire today"),
            probe=lambda: (request.reason, self.audit_events(request)),
            allowed=lambda _result: self.assertEqual(
                (request.reason, self.audit_events(request)),
                ("Paid by wire today", ["request", "justify"]),
            ),
        )

    def cell_request_justify(self, env, user):
        return self.justify_cell(env, self.own_request(user))

    def cell_request_justify_others(self, env, user):
        return self.justify_cell(env, self.pending_request())

    def decided_request(self):
        request = self.pending_request()
        request.with_user(self.approver).action_approve("Known customer")
        return request

    def cell_decision_read(self, env, user):
        decision = self.decided_request().decision_ids
        return Cell(
            call=lambda: call_rpc(env, "distribution.approval.decision", "read", decision.ids, ["reason"]),
            allowed=lambda result: self.assertEqual(result[0]["reason"], "Known customer"),
        )

    def cell_decision_create(self, env, user):
        request = self.pending_request()
        return Cell(
            call=lambda: call_rpc(
                env,
                "distribution.approval.decision",
                "create",
                {"request_id": request.id, "user_id": user.id, "decision": "approve"},
            ),
            probe=lambda: (request.decision_ids, request.state),
        )

    def cell_decision_write(self, env, user):
        decision = self.decided_request().decision_ids
        return Cell(
            call=lambda: call_rpc(
                env, "distribution.approval.decision", "write", decision.ids, {"decision": "reject"}
            ),
            probe=lambda: decision.read(["decision", "reason"]),
        )

    def cell_decision_unlink(self, env, user):
        decision = self.decided_request().decision_ids
        return Cell(
            call=lambda: call_rpc(env, "distribution.approval.decision", "unlink", decision.ids),
            probe=lambda: bool(decision.exists()),
        )

    def audit_entry(self):
        request = self.pending_request()
        return self.env["distribution.audit.log"].search([("request_id", "=", request.id)])

    def cell_audit_read(self, env, user):
        entry = self.audit_entry()
        return Cell(
            call=lambda: call_rpc(env, "distribution.audit.log", "read", entry.ids, ["event", "amount"]),
            allowed=lambda result: self.assertEqual(result[0]["event"], "request"),
        )

    def cell_audit_create(self, env, user):
        Log = self.env["distribution.audit.log"]
        return Cell(
            call=lambda: call_rpc(
                env,
                "distribution.audit.log",
                "create",
                {"event": "approve", "user_id": user.id, "company_id": self.company.id},
            ),
            probe=lambda: Log.search_count([]),
        )

    def cell_audit_write(self, env, user):
        entry = self.audit_entry()
        return Cell(
            call=lambda: call_rpc(env, "distribution.audit.log", "write", entry.ids, {"reason": "edited"}),
            probe=lambda: entry.read(["reason", "event"]),
        )

    def cell_audit_unlink(self, env, user):
        entry = self.audit_entry()
        return Cell(
            call=lambda: call_rpc(env, "distribution.audit.log", "unlink", entry.ids),
            probe=lambda: bool(entry.exists()),
        )

    # ------------------------------------------------------------------ resolve wizard

    def own_wizard(self, user):
        """A wizard the user opened (transient records belong to their creator)."""
        return self.env[WIZARD].with_user(user).sudo().create(
            {"exception_ids": [Command.set(self.exception().ids)], "resolution_id": self.stock_found.id}
        )

    def cell_wizard_read(self, env, user):
        wizard = self.own_wizard(user)
        return Cell(
            call=lambda: call_rpc(env, WIZARD, "read", wizard.ids, ["resolution_id"]),
            allowed=lambda result: self.assertEqual(result[0]["resolution_id"][0], self.stock_found.id),
        )

    def cell_wizard_create(self, env, user):
        exc = self.exception()
        Wizard = self.env[WIZARD]
        return Cell(
            call=lambda: call_rpc(
                env,
                WIZARD,
                "create",
                {"exception_ids": [Command.set(exc.ids)], "resolution_id": self.stock_found.id},
            ),
            probe=lambda: Wizard.search_count([("exception_ids", "in", exc.ids)]),
            allowed=lambda new_id: self.assertEqual(Wizard.browse(new_id).exception_ids, exc),
        )

    def cell_wizard_write(self, env, user):
        wizard = self.own_wizard(user)
        return Cell(
            call=lambda: call_rpc(env, WIZARD, "write", wizard.ids, {"note": "Counted twice"}),
            probe=lambda: wizard.note,
            allowed=lambda _r: self.assertEqual(wizard.note, "Counted twice"),
        )

    def cell_wizard_unlink(self, env, user):
        wizard = self.own_wizard(user)
        return Cell(
            call=lambda: call_rpc(env, WIZARD, "unlink", wizard.ids),
            probe=lambda: bool(wizard.exists()),
        )

    # ------------------------------------------------------------------ settings

    def cell_settings_credit_hold(self, env, user):
        def call():
            settings_id = call_rpc(
                env, "res.config.settings", "create", {"dg_credit_hold_active": False}
            )
            return call_rpc(env, "res.config.settings", "execute", [settings_id])

        return Cell(
            call=call,
            probe=lambda: self.company.dg_credit_hold_active,
            allowed=lambda _r: self.assertFalse(self.company.dg_credit_hold_active),
        )

    def cell_company_credit_hold_fields(self, env, user):
        values = {"dg_credit_hold_active": False, "dg_overdue_days": 5, "dg_approval_validity_hours": 1}
        return Cell(
            call=lambda: call_rpc(env, "res.company", "write", self.company.ids, values),
            probe=lambda: self.company.read(list(values))[0],
            allowed=lambda _r: self.assertEqual(
                {k: v for k, v in self.company.read(list(values))[0].items() if k in values}, values
            ),
        )

    # ------------------------------------------------------------------ warehouse KPIs

    def cell_kpi_dashboard(self, env, user):
        def allowed(result):
            keys = {card["key"] for card in result["kpis"]}
            # every role sees the exception KPIs; who reads transfers sees theirs too
            self.assertIn("exceptions_opened", keys)
            self.assertEqual(
                "on_time_shipment" in keys, env["stock.picking"].has_access("read"), user.login
            )
            self.assertEqual(result["selected_company_ids"], [self.company.id])

        return Cell(
            call=lambda: call_rpc(env, "distribution.dashboard", "get_kpi_dashboard", {}),
            allowed=allowed,
        )

    def cell_kpi_snapshot_cron_private(self, env, user):
        Snapshot = self.env["distribution.kpi.snapshot"]
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot", "_cron_snapshot"),
            probe=lambda: Snapshot.search_count([]),
        )

    def kpi_config_cells(self, env, model, values, changes, new_values):
        """read / create / write / unlink cells of a configuration model of the KPI dashboard:
        `values` make the fixture, `changes` the write, `new_values` the create."""
        Model = self.env[model]
        record = Model.create(dict(values, company_id=self.company.id))
        return {
            "read": Cell(
                call=lambda: call_rpc(env, model, "read", record.ids, list(changes)),
                allowed=lambda result: self.assertEqual(result[0]["id"], record.id),
            ),
            "create": Cell(
                call=lambda: call_rpc(env, model, "create", new_values),
                probe=lambda: Model.search_count([]),
                allowed=lambda new_id: self.assertTrue(Model.browse(new_id).exists()),
            ),
            "write": Cell(
                call=lambda: call_rpc(env, model, "write", record.ids, changes),
                probe=lambda: record.read(list(changes))[0],
                allowed=lambda _r: self.assertEqual(
                    {k: record[k] for k in changes}, changes
                ),
            ),
            "unlink": Cell(
                call=lambda: call_rpc(env, model, "unlink", record.ids),
                probe=lambda: record.exists().ids,
                allowed=lambda _r: self.assertFalse(record.exists()),
            ),
        }

    def target_cells(self, env):
        targets = self.env["distribution.kpi.target"]
        targets.search([("kpi_key", "in", ["fill_rate", "backorder_rate"])]).unlink()
        return self.kpi_config_cells(
            env,
            "distribution.kpi.target",
            {"kpi_key": "fill_rate", "green": 98.0, "amber": 95.0},
            {"green": 97.0},
            # another KPI than the fixture's: one target per KPI and company
            {"kpi_key": "backorder_rate", "green": 5.0, "amber": 10.0},
        )

    def cell_kpi_target_read(self, env, user):
        return self.target_cells(env)["read"]

    def cell_kpi_target_create(self, env, user):
        return self.target_cells(env)["create"]

    def cell_kpi_target_write(self, env, user):
        return self.target_cells(env)["write"]

    def cell_kpi_target_unlink(self, env, user):
        return self.target_cells(env)["unlink"]

    def readiness_cells(self, env):
        return self.kpi_config_cells(
            env,
            "distribution.readiness.criterion",
            {"name": "Backlog under 3", "kind": "approval_backlog", "max_count": 2},
            {"max_count": 1},
            {"name": "Backlog under 2", "kind": "approval_backlog", "max_count": 1},
        )

    def cell_readiness_read(self, env, user):
        return self.readiness_cells(env)["read"]

    def cell_readiness_create(self, env, user):
        return self.readiness_cells(env)["create"]

    def cell_readiness_write(self, env, user):
        return self.readiness_cells(env)["write"]

    def cell_readiness_unlink(self, env, user):
        return self.readiness_cells(env)["unlink"]

    def snapshot(self):
        Snapshot = self.env["distribution.kpi.snapshot"]
        Snapshot._upsert(
            fields.Date.today() - timedelta(days=1),
            self.company.id,
            False,
            {"exceptions_opened": Figures(count=3)},
        )
        return Snapshot.search([("kpi_key", "=", "exceptions_opened")], limit=1)

    def cell_kpi_snapshot_read(self, env, user):
        row = self.snapshot()
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot", "read", row.ids, ["value"]),
            allowed=lambda result: self.assertEqual(result[0]["value"], 3.0),
        )

    def cell_kpi_snapshot_create(self, env, user):
        Snapshot = self.env["distribution.kpi.snapshot"]
        values = {
            "date": fields.Date.to_string(fields.Date.today()),
            "company_id": self.company.id,
            "kpi_key": "exceptions_opened",
            "value": 99.0,
        }
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot", "create", values),
            probe=lambda: Snapshot.search_count([]),
        )

    def cell_kpi_snapshot_write(self, env, user):
        row = self.snapshot()
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot", "write", row.ids, {"value": 0}),
            probe=lambda: row.value,
        )

    def cell_kpi_snapshot_unlink(self, env, user):
        row = self.snapshot()
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot", "unlink", row.ids),
            probe=lambda: row.exists().ids,
        )

    def cell_company_go_live_date(self, env, user):
        day = fields.Date.today() - timedelta(days=2)
        return Cell(
            call=lambda: call_rpc(
                env, "res.company", "write", self.company.ids, {"dg_go_live_date": day}
            ),
            probe=lambda: self.company.dg_go_live_date,
            allowed=lambda _r: self.assertEqual(self.company.dg_go_live_date, day),
        )

    def cell_company_kpi_tz(self, env, user):
        # the KPI days of the company, and its snapshots made again
        return Cell(
            call=lambda: call_rpc(
                env, "res.company", "write", self.company.ids, {"dg_kpi_tz": "Asia/Tokyo"}
            ),
            probe=lambda: self.company.dg_kpi_tz,
            allowed=lambda _r: self.assertEqual(self.company.dg_kpi_tz, "Asia/Tokyo"),
        )

    # ------------------------------------------------------------------ urgent orders

    def urgent_order(self, user):
        """A confirmed order of one unit sold by `user`, its delivery open, under urgent-order
        governance."""
        self.company.dg_urgent_control_active = True
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "user_id": user.id,
            "warehouse_id": self.warehouse.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        })
        order.action_confirm()
        self.assertTrue(order.picking_ids)
        return order

    def urgent_request(self):
        order = self.urgent_order(self.rep)
        order.with_user(self.rep).dg_urgent_request("Line down")
        return order, order.dg_approval_request_ids.filtered(lambda r: r.kind == "urgent_override")

    def cell_urgent_request(self, env, user):
        order = self.urgent_order(user)
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "dg_urgent_request", order.ids, "Line down"),
            probe=lambda: (order.dg_urgent_state, order.dg_approval_request_ids),
            allowed=lambda _r: self.assertEqual(
                (order.dg_urgent_state, order.dg_approval_request_ids.requester_id), ("pending", user)
            ),
        )

    def urgent_decision_cell(self, env, user, method, state):
        order, request = self.urgent_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, method, request.ids, "Truck at 4"),
            probe=lambda: (request.state, request.decision_ids, order.picking_ids.mapped("priority")),
            allowed=lambda _r: self.assertEqual(
                (request.state, order.dg_urgent_state, request.decision_ids.user_id),
                (state, state, user),
            ),
        )

    def cell_urgent_approve(self, env, user):
        return self.urgent_decision_cell(env, user, "action_approve", "approved")

    def cell_urgent_reject(self, env, user):
        return self.urgent_decision_cell(env, user, "action_reject", "rejected")

    def cell_urgent_panel(self, env, user):
        order = self.urgent_order(user)

        def allowed(data):
            self.assertEqual(data["order_id"], order.id)
            self.assertEqual(data["transfers"][0]["id"], order.picking_ids[:1].id)

        return Cell(
            call=lambda: call_rpc(env, REQUEST, "get_urgent_panel_data", "sale.order", order.id),
            allowed=allowed,
            empty=lambda data: data == {"visible": False},
        )

    def cell_picking_star_urgent(self, env, user):
        order = self.urgent_order(user)
        picking = order.picking_ids
        return Cell(
            call=lambda: call_rpc(env, "stock.picking", "write", picking.ids, {"priority": "1"}),
            probe=lambda: picking.mapped("priority") + picking.move_ids.mapped("priority"),
        )

    def cell_order_write_urgent_state(self, env, user):
        order = self.urgent_order(user)
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "write", order.ids, {"dg_urgent_state": "approved"}),
            probe=lambda: order.dg_urgent_state,
        )

    def hour_snapshot(self):
        """A snapshot of an hour of today (written only by the engine)."""
        Hour = self.env["distribution.kpi.snapshot.hour"]
        start = fields.Datetime.now().replace(minute=0, second=0) - timedelta(hours=1)
        rows = [(None, None, "exceptions_opened", Figures(count=3))]
        Hour._write_hour(self.company.id, fields.Date.today(), start, rows)
        return Hour.search([("company_id", "=", self.company.id), ("start", "=", start)])

    def cell_kpi_snapshot_hour_cron_private(self, env, user):
        Hour = self.env["distribution.kpi.snapshot.hour"]
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot.hour", "_cron_snapshot_hours"),
            probe=lambda: Hour.search_count([]),
        )

    def cell_kpi_snapshot_hour_read(self, env, user):
        row = self.hour_snapshot()
        return Cell(
            call=lambda: call_rpc(
                env, "distribution.kpi.snapshot.hour", "read", row.ids, ["record_count"]
            ),
            allowed=lambda result: self.assertEqual(result[0]["record_count"], 3),
        )

    def cell_kpi_snapshot_hour_create(self, env, user):
        Hour = self.env["distribution.kpi.snapshot.hour"]
        values = {
            "date": fields.Date.to_string(fields.Date.today()),
            "start": fields.Datetime.to_string(fields.Datetime.now().replace(minute=0, second=0)),
            "company_id": self.company.id,
            "kpi_key": "exceptions_opened",
            "record_count": 99,
        }
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot.hour", "create", values),
            probe=lambda: Hour.search_count([]),
        )

    def cell_kpi_snapshot_hour_write(self, env, user):
        row = self.hour_snapshot()
        return Cell(
            call=lambda: call_rpc(
                env, "distribution.kpi.snapshot.hour", "write", row.ids, {"record_count": 0}
            ),
            probe=lambda: row.record_count,
        )

    def cell_kpi_snapshot_hour_unlink(self, env, user):
        row = self.hour_snapshot()
        return Cell(
            call=lambda: call_rpc(env, "distribution.kpi.snapshot.hour", "unlink", row.ids),
            probe=lambda: row.exists().ids,
        )

    # ------------------------------------------------------------------ delegation

    def delegation(self, approver, delegate, days=(0, 3), **values):
        """A delegation as its approver leaves it (superuser: the fixture)."""
        today = fields.Date.context_today(self.env["res.users"].with_context(tz=approver.tz or "UTC"))
        return self.env[DELEGATION].create(
            dict(
                {
                    "approver_id": approver.id,
                    "delegate_id": delegate.id,
                    "date_from": today + timedelta(days=days[0]),
                    "date_to": today + timedelta(days=days[1]),
                },
                **values,
            )
        )

    def delegation_cell(self, env, user, approver):
        """A delegation of `approver` (the user himself or another) created by the user."""
        today = fields.Date.context_today(self.env["res.users"].with_context(tz=approver.tz or "UTC"))
        values = {
            "approver_id": approver.id,
            "delegate_id": self.assignee.id,
            "date_from": fields.Date.to_string(today),
            "date_to": fields.Date.to_string(today + timedelta(days=3)),
        }
        found = lambda: self.env[DELEGATION].search([("approver_id", "=", approver.id)])  # noqa: E731

        def allowed(new_id):
            self.assertEqual(found().ids, [new_id])
            self.assertEqual((found().delegate_id, found().create_uid), (self.assignee, user))

        return Cell(
            call=lambda: in_transaction(env, lambda: call_rpc(env, DELEGATION, "create", values)),
            probe=lambda: found().ids,
            allowed=allowed,
        )

    def cell_delegation_create_own(self, env, user):
        # an approver delegates his own authority: the constraint asks that he decide a tier
        return self.delegation_cell(env, user, user)

    def cell_delegation_create_for_other(self, env, user):
        # self.approver decides credit overrides (a stock manager): someone else's authority
        return self.delegation_cell(env, user, self.approver)

    def cell_delegation_write_others(self, env, user):
        delegation = self.delegation(self.approver, self.assignee)
        day = delegation.date_to + timedelta(days=1)
        return Cell(
            call=lambda: call_rpc(env, DELEGATION, "write", delegation.ids, {"date_to": day}),
            probe=lambda: (delegation.date_to, delegation.delegate_id),
            allowed=lambda _r: self.assertEqual(delegation.date_to, day),
        )

    def cell_delegation_write_held(self, env, user):
        # the delegate lengthens the delegation he holds (a portal user cannot hold one)
        delegation = self.delegation(self.approver, self.assignee if user.share else user)
        day = delegation.date_to + timedelta(days=30)
        return Cell(
            call=lambda: call_rpc(env, DELEGATION, "write", delegation.ids, {"date_to": day}),
            probe=lambda: (delegation.date_to, delegation.delegate_id),
            allowed=lambda _r: self.assertEqual(delegation.date_to, day),
        )

    def cell_delegation_read_others(self, env, user):
        delegation = self.delegation(self.approver, self.assignee)
        return Cell(
            call=lambda: call_rpc(env, DELEGATION, "read", delegation.ids, ["delegate_id"]),
            allowed=lambda result: self.assertEqual(result[0]["delegate_id"][0], self.assignee.id),
        )

    def cell_delegation_read_held(self, env, user):
        # the delegate reads the delegation he holds (a portal user cannot hold one)
        delegation = self.delegation(self.approver, self.assignee if user.share else user)
        if user.share:  # as if he held it (the constraint keeps portal users out)
            delegation.flush_recordset()
            self.env.cr.execute(
                "UPDATE distribution_approval_delegation SET delegate_id = %s WHERE id = %s",
                (user.id, delegation.id),
            )
        return Cell(
            call=lambda: call_rpc(env, DELEGATION, "read", delegation.ids, ["approver_id"]),
            allowed=lambda result: self.assertEqual(result[0]["approver_id"][0], self.approver.id),
        )

    def cell_delegation_unlink_others(self, env, user):
        delegation = self.delegation(self.approver, self.assignee)
        return Cell(
            call=lambda: call_rpc(env, DELEGATION, "unlink", delegation.ids),
            probe=lambda: delegation.exists().ids,
            allowed=lambda _r: self.assertFalse(delegation.exists()),
        )

    def delegate_cell(self, env, user, days):
        """The held order's credit request (decided by self.approver's tier), the user holding
        a delegation of self.approver for `days` (none for a portal user: he cannot hold one)."""
        request = self.pending_request()
        if not user.share:
            self.delegation(self.approver, user, days=days)

        def allowed(_result):
            self.assertEqual((request.state, request.decision_ids.user_id), ("approved", user))
            # who decides in his own right decides for nobody; the others on the approver's behalf
            own_right = user.has_group("distribution_governance.group_override_approver")
            self.assertEqual(
                request.decision_ids.on_behalf_of_id, self.env["res.users"] if own_right else self.approver
            )

        return Cell(
            call=lambda: call_rpc(env, REQUEST, "action_approve", request.ids, "Paid by wire"),
            probe=lambda: (request.state, request.decision_ids),
            allowed=allowed,
        )

    def cell_delegate_decide_on_behalf(self, env, user):
        return self.delegate_cell(env, user, (0, 3))

    def cell_delegate_decide_after_end(self, env, user):
        return self.delegate_cell(env, user, (-5, -1))

    def cell_delegate_decide_before_start(self, env, user):
        return self.delegate_cell(env, user, (1, 3))

    # ------------------------------------------------------------------ escalation

    def escalating_request(self):
        """A pending credit request whose tier escalates to the sales managers, overdue."""
        request = self.pending_request()
        request.policy_id.write(
            {"sla_hours": 1, "escalation_group_id": self.env.ref("sales_team.group_sale_manager").id}
        )
        request.flush_recordset()
        self.env.cr.execute(
            "UPDATE distribution_approval_request SET create_date = now() at time zone 'UTC' - "
            "interval '3 hours', due_at = now() at time zone 'UTC' - interval '2 hours' WHERE id = %s",
            request.ids,
        )
        self.env.invalidate_all()
        self.assertTrue(request.overdue)
        return request

    def cell_escalate_now(self, env, user):
        request = self.escalating_request()
        managers = self.env.ref("sales_team.group_sale_manager")
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "action_escalate", request.ids),
            probe=lambda: (request.approver_group_id, request.escalation_count, request.escalated_at),
            allowed=lambda _r: self.assertEqual(
                (request.approver_group_id, request.escalation_count, request.state),
                (managers, 1, "pending"),
            ),
        )

    def cell_escalate_cron_private(self, env, user):
        request = self.escalating_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "_cron_escalate"),
            probe=lambda: (request.approver_group_id, request.escalation_count),
        )

    # ------------------------------------------------------------------ large inventory adjustments

    def counted_quant(self):
        """A crate worth 10 with 100 on hand, under a 500 value threshold: a count of 200
        changes the stock by 1,000."""
        self.company.write({"dg_inventory_control_active": True, "dg_inventory_value_threshold": 500.0})
        product = self.env["product.product"].create(
            {"name": f"DG Matrix Crate {next(_keys)}", "is_storable": True, "standard_price": 10.0}
        )
        location = self.warehouse.lot_stock_id
        self.env["stock.quant"]._update_available_quantity(product, location, 100.0)
        quant = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", location.id)]
        )
        on_hand = lambda: product.with_context(location=location.id).qty_available  # noqa: E731
        return quant, on_hand

    def inventory_request(self):
        quant, on_hand = self.counted_quant()
        quant.with_user(self.assignee).with_context(inventory_mode=True).write({"inventory_quantity": 200.0})
        quant.with_user(self.assignee).action_apply_inventory()
        request = quant.dg_inventory_request_id
        self.assertEqual((request.state, on_hand()), ("pending", 100.0))
        return quant, on_hand, request

    def cell_inventory_apply_over_threshold(self, env, user):
        quant, on_hand = self.counted_quant()

        def call():
            call_rpc(env, "stock.quant", "write", quant.ids, {"inventory_quantity": 200.0},
                     context={"inventory_mode": True})
            return call_rpc(env, "stock.quant", "action_apply_inventory", quant.ids)

        def allowed(_result):
            request = quant.dg_inventory_request_id
            self.assertEqual(on_hand(), 100.0, "nothing applied before the approval")
            self.assertEqual(
                (request.state, request.kind, request.requester_id, quant.dg_inventory_approval),
                ("pending", "inventory_adjustment", user, "pending"),
            )

        return Cell(
            call=call,
            probe=lambda: (on_hand(), quant.inventory_quantity, quant.dg_inventory_request_id),
            allowed=allowed,
        )

    def inventory_decision_cell(self, env, user, method, state, stock):
        quant, on_hand, request = self.inventory_request()
        return Cell(
            call=lambda: call_rpc(env, REQUEST, method, request.ids, "Recounted twice"),
            probe=lambda: (request.state, request.decision_ids, on_hand(), quant.inventory_quantity_set),
            allowed=lambda _r: self.assertEqual(
                (request.state, request.decision_ids.user_id, on_hand(), quant.dg_inventory_approval),
                (state, user, stock, False),
            ),
        )

    def cell_inventory_approve(self, env, user):
        return self.inventory_decision_cell(env, user, "action_approve", "approved", 200.0)

    def cell_inventory_reject(self, env, user):
        return self.inventory_decision_cell(env, user, "action_reject", "rejected", 100.0)

    def cell_delegate_decide_inventory(self, env, user):
        # a stock manager who did not count delegates to the user, who approves the count
        quant, on_hand, request = self.inventory_request()
        if not user.share:
            self.delegation(self.approver, user)
        own_right = user.has_group("stock.group_stock_manager")
        return Cell(
            call=lambda: call_rpc(env, REQUEST, "action_approve", request.ids, "Recounted twice"),
            probe=lambda: (request.state, request.decision_ids, on_hand(), quant.inventory_quantity_set),
            allowed=lambda _r: self.assertEqual(
                (request.state, request.decision_ids.user_id, request.decision_ids.on_behalf_of_id,
                 on_hand()),
                ("approved", user, self.env["res.users"] if own_right else self.approver, 200.0),
            ),
        )

    def cell_quant_write_engine_fields(self, env, user):
        quant, on_hand = self.counted_quant()
        return Cell(
            call=lambda: call_rpc(
                env, "stock.quant", "write", quant.ids,
                {"dg_inventory_approval": "pending", "dg_counted_by_id": self.assignee.id},
            ),
            probe=lambda: (quant.dg_inventory_approval, quant.dg_counted_by_id, on_hand()),
        )

    def cell_warehouse_inventory_thresholds(self, env, user):
        warehouse = self.warehouse
        return Cell(
            call=lambda: call_rpc(
                env, "stock.warehouse", "write", warehouse.ids, {"dg_inventory_value_threshold": 1e9}
            ),
            probe=lambda: warehouse.dg_inventory_value_threshold,
            allowed=lambda _r: self.assertEqual(warehouse.dg_inventory_value_threshold, 1e9),
        )

    # ------------------------------------------------------------------ partial shipments

    def complete_delivery(self):
        """An order delivered all at once, 10 sold, 6 in stock, picked (superuser): its
        delivery ships short."""
        product = self.env["product.product"].create(
            {"name": f"DG Matrix Hood {next(_keys)}", "is_storable": True, "list_price": 50.0}
        )
        self.env["stock.quant"]._update_available_quantity(product, self.warehouse.lot_stock_id, 6.0)
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "user_id": self.rep.id,
            "warehouse_id": self.warehouse.id,
            "picking_policy": "one",
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10})],
        })
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 6, "picked": True})
        return order, picking

    def partial_requests(self, picking):
        return self.env[REQUEST].search([("picking_id", "=", picking.id), ("kind", "=", "partial_shipment")])

    def partial_probe(self, picking):
        return lambda: (
            picking.state, picking.dg_partial_state, picking.backorder_ids,
            self.partial_requests(picking).mapped("state"),
        )

    def cell_partial_validate_short(self, env, user):
        _order, picking = self.complete_delivery()
        state = picking.state

        def allowed(result):
            self.assertEqual(result.get("res_model"), "distribution.credit.justify.wizard", result)
            self.assertEqual((picking.state, picking.backorder_ids), (state, picking.browse()))
            self.assertFalse(picking.move_ids.filtered(lambda m: m.state == "done"))
            request = self.partial_requests(picking)
            self.assertEqual((request.state, request.requester_id), ("pending", user))
            self.assertEqual(picking.dg_partial_state, "pending")

        return Cell(
            call=lambda: call_rpc(env, "stock.picking", "button_validate", picking.ids),
            probe=self.partial_probe(picking),
            allowed=allowed,
        )

    def partial_decision_cell(self, env, user, method, state):
        _order, picking = self.complete_delivery()
        picking.with_user(self.warehouse_user).button_validate()
        request = self.partial_requests(picking)
        self.assertEqual(request.state, "pending")
        before = picking.state
        return Cell(
            call=lambda: call_rpc(env, REQUEST, method, request.ids, "Customer agreed"),
            probe=lambda: (request.decision_ids, *self.partial_probe(picking)()),
            allowed=lambda _r: self.assertEqual(
                (request.state, picking.dg_partial_state, request.decision_ids.user_id, picking.state),
                (state, state, user, before),  # nothing validated: the requester does it
            ),
        )

    def cell_partial_approve(self, env, user):
        return self.partial_decision_cell(env, user, "action_approve", "approved")

    def cell_partial_reject(self, env, user):
        return self.partial_decision_cell(env, user, "action_reject", "rejected")

    def cell_picking_write_partial_state(self, env, user):
        _order, picking = self.complete_delivery()
        return Cell(
            call=lambda: call_rpc(
                env, "stock.picking", "write", picking.ids, {"dg_partial_state": "approved"}
            ),
            probe=self.partial_probe(picking),
        )

    def cell_partner_complete_delivery(self, env, user):
        customer = self.customer
        return Cell(
            call=lambda: call_rpc(env, "res.partner", "write", customer.ids, {"dg_complete_delivery": True}),
            probe=lambda: customer.dg_complete_delivery,
            allowed=lambda _r: self.assertTrue(customer.dg_complete_delivery),
        )

    def cell_order_picking_policy_direct(self, env, user):
        order, picking = self.complete_delivery()
        return Cell(
            call=lambda: call_rpc(env, "sale.order", "write", order.ids, {"picking_policy": "direct"}),
            probe=lambda: (order.picking_policy, picking.move_type),
            allowed=lambda _r: self.assertEqual(order.picking_policy, "direct"),
        )

    def cell_picking_move_type_direct(self, env, user):
        # the transfer's own shipping policy (its order's: all at once)
        _order, picking = self.complete_delivery()
        self.assertEqual(picking.move_type, "one")
        return Cell(
            call=lambda: call_rpc(env, "stock.picking", "write", picking.ids, {"move_type": "direct"}),
            probe=lambda: picking.move_type,
            allowed=lambda _r: self.assertEqual(picking.move_type, "direct"),
        )

    # ------------------------------------------------------------------ floor capture

    def floor_picking(self):
        """The delivery of a confirmed order, its product and location barcoded."""
        key = next(_keys)
        product = self.env["product.product"].create(
            {"name": f"DG Matrix Wrap {key}", "is_storable": True, "barcode": f"DG-MX-WRAP-{key}"}
        )
        location = self.warehouse.lot_stock_id
        location.barcode = f"DG-MX-LOC-{key}"
        self.env["stock.quant"]._update_available_quantity(product, location, 10.0)
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id,
            "warehouse_id": self.warehouse.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 5})],
        })
        order.action_confirm()
        return order.picking_ids, [product.barcode, location.barcode]

    def cell_floor_capture(self, env, user):
        picking, barcodes = self.floor_picking()
        payload = {
            "client_id": str(uuid.uuid4()), "picking": picking.name, "barcodes": barcodes,
            "reason": "damaged", "quantity": 2,
        }
        Capture = self.env["distribution.floor.capture"]
        found = lambda: self.env[EXCEPTION].search([("picking_id", "=", picking.id)])  # noqa: E731

        def allowed(result):
            exc = found()
            self.assertEqual(exc.ids, [result["exception_id"]])
            self.assertEqual(
                (exc.origin, exc.type_code, exc.quantity_missing, exc.floor_reason_id.code),
                ("floor", "damaged_goods", 2, "damaged"),
            )
            self.assertEqual(Capture.search([("client_id", "=", payload["client_id"])]).user_id, user)

        return Cell(
            call=lambda: call_rpc(env, "distribution.floor.capture", "floor_capture", payload),
            probe=lambda: (found().ids, Capture.search_count([])),
            allowed=allowed,
        )

    def floor_reason_cells(self, env):
        Reason = self.env["distribution.floor.reason"]
        damaged = self.env.ref("distribution_governance.exception_type_damaged_goods")
        reason = Reason.create(
            {"name": "Crushed", "code": f"mx_crushed_{next(_keys)}", "type_id": damaged.id}
        )
        new_code = f"mx_wet_{next(_keys)}"
        return {
            "read": Cell(
                call=lambda: call_rpc(env, "distribution.floor.reason", "read", reason.ids, ["code"]),
                allowed=lambda result: self.assertEqual(result[0]["code"], reason.code),
            ),
            "create": Cell(
                call=lambda: call_rpc(
                    env, "distribution.floor.reason", "create",
                    {"name": "Wet", "code": new_code, "type_id": damaged.id},
                ),
                probe=lambda: Reason.search_count([("code", "=", new_code)]),
                allowed=lambda new_id: self.assertEqual(Reason.browse(new_id).code, new_code),
            ),
            "write": Cell(
                call=lambda: call_rpc(
                    env, "distribution.floor.reason", "write", reason.ids, {"product_required": False}
                ),
                probe=lambda: reason.product_required,
                allowed=lambda _r: self.assertFalse(reason.product_required),
            ),
        }

    def cell_floor_reason_read(self, env, user):
        return self.floor_reason_cells(env)["read"]

    def cell_floor_reason_create(self, env, user):
        return self.floor_reason_cells(env)["create"]

    def cell_floor_reason_write(self, env, user):
        return self.floor_reason_cells(env)["write"]

    def cell_floor_resolve_wizard(self, env, user):
        # a damage captured on the floor: the wizard starts on its reason's default resolution
        # (scrap the reported quantity), which the user must be allowed to do himself
        picking, barcodes = self.floor_picking()
        result = self.env["distribution.floor.capture"].with_user(self.assignee).floor_capture({
            "client_id": str(uuid.uuid4()), "picking": picking.name, "barcodes": barcodes,
            "reason": "damaged", "quantity": 2,
        })
        exc = self.env[EXCEPTION].browse(result["exception_id"])
        scrap = exc.floor_reason_id.resolution_id
        self.assertEqual(scrap.playbook, "scrap_damaged")
        context = {"active_model": EXCEPTION, "active_ids": exc.ids}

        def call():
            wizard_id = call_rpc(env, WIZARD, "create", {}, context=context)
            return call_rpc(env, WIZARD, "action_resolve", [wizard_id], context=context)

        def allowed(_result):
            self.assertEqual((exc.state, exc.resolution_id, exc.resolved_by_id), ("resolved", scrap, user))
            self.assertEqual((exc.result_scrap_id.state, exc.result_scrap_id.scrap_qty), ("done", 2))

        return Cell(
            call=call,
            probe=lambda: (exc.state, exc.result_scrap_id, self.env["stock.scrap"].search_count([])),
            allowed=allowed,
        )

    # ------------------------------------------------------------------ triage suggestions

    def triage_history(self, owner):
        """An exception like four stockouts `owner` resolved: its suggestion names him and
        their code."""
        for __ in range(4):
            self.exception().write(
                {
                    "state": "resolved",
                    "resolution_id": self.stock_found.id,
                    "owner_id": owner.id,
                    "resolved_by_id": owner.id,
                    "resolved_at": fields.Datetime.now(),
                }
            )
        return self.exception()

    def cell_exception_get_triage_suggestion(self, env, user):
        exc = self.triage_history(self.assignee)

        def allowed(result):
            self.assertEqual([row["exception_id"] for row in result], exc.ids)
            self.assertEqual(result[0]["basis"], "similar")
            self.assertEqual(result[0]["resolution"]["id"], self.stock_found.id)

        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "get_triage_suggestion", exc.ids),
            allowed=allowed,
            empty=lambda result: result == [],
        )

    def cell_exception_apply_triage_owner(self, env, user):
        # assigning someone else: an exception manager's, as by hand
        exc = self.triage_history(self.assignee)
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "owner"),
            probe=lambda: (exc.owner_id, exc.state, exc.triage_applied_owner),
            allowed=lambda _r: self.assertEqual(
                (exc.owner_id, exc.state, exc.triage_applied_owner),
                (self.assignee, "in_progress", True),
            ),
        )

    def cell_exception_apply_triage_resolution(self, env, user):
        exc = self.triage_history(self.assignee)

        def allowed(action):
            self.assertEqual(action["res_model"], WIZARD)
            self.assertEqual(action["context"]["default_resolution_id"], self.stock_found.id)
            self.assertEqual((exc.state, exc.triage_applied_resolution), ("new", True))

        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "resolution"),
            probe=lambda: (exc.state, exc.triage_applied_resolution),
            allowed=allowed,
        )

    def triage_weight(self):
        return self.env["distribution.triage.weight"].create(
            {"company_id": self.company.id, "type_id": self.master_data_type.id,
             "feature": "partner", "weight": 0.9}
        )

    def cell_triage_weight_read(self, env, user):
        row = self.triage_weight()
        return Cell(
            call=lambda: call_rpc(env, "distribution.triage.weight", "read", row.ids, ["weight"]),
            allowed=lambda result: self.assertEqual(result[0]["weight"], 0.9),
        )

    def cell_triage_weight_write(self, env, user):
        row = self.triage_weight()
        return Cell(
            call=lambda: call_rpc(env, "distribution.triage.weight", "write", row.ids, {"weight": 5}),
            probe=lambda: row.weight,
        )

    def cell_company_triage_auto_assign(self, env, user):
        return Cell(
            call=lambda: call_rpc(
                env, "res.company", "write", self.company.ids, {"triage_auto_assign": True}
            ),
            probe=lambda: self.company.triage_auto_assign,
            allowed=lambda _r: self.assertTrue(self.company.triage_auto_assign),
        )

    # ------------------------------------------------------------------ customer notices
    # - the revised promise: whoever works the open exception of an order (the salesperson of
    #   his own); the order's field itself is written by nobody.
    # - the notice: whoever may post on the order (Odoo's rights: warehouse and finance users
    #   may write sales orders); the administrator has no sales rights.

    def cell_exception_set_promise(self, env, user):
        exc = self.exception(sale_order_id=self.portal_order().id)
        promise = fields.Datetime.now().replace(microsecond=0) + timedelta(days=9)
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "write", exc.ids, {"promise_date": promise}),
            probe=lambda: (exc.promise_date, exc.sale_order_id.dg_revised_promise_date),
            allowed=lambda _r: self.assertEqual(
                (exc.promise_date, exc.sale_order_id.dg_revised_promise_date), (promise, promise)
            ),
        )

    def cell_exception_notify_customer(self, env, user):
        exc = self.exception(sale_order_id=self.portal_order().id)
        exc.promise_date = fields.Datetime.now() + timedelta(days=9)
        return Cell(
            call=lambda: call_rpc(env, EXCEPTION, "action_notify_customer", exc.ids),
            probe=lambda: exc.sale_order_id.message_ids,
            allowed=lambda action: self.assertEqual(
                (action["res_model"], action["context"]["default_res_ids"]),
                ("mail.compose.message", exc.sale_order_id.ids),
            ),
        )

    def cell_order_write_revised_promise(self, env, user):
        order = self.portal_order()
        order.user_id = user
        return Cell(
            call=lambda: call_rpc(
                env, "sale.order", "write", order.ids,
                {"dg_revised_promise_date": fields.Datetime.now()},
            ),
            probe=lambda: order.dg_revised_promise_date,
        )


@tagged("post_install", "-at_install")
class TestNoGovernanceRole(CreditCase):
    """Users of Odoo's other apps, without any governance role, work with sales orders as
    before: the addon's fields stay out of their way, and its hold still applies to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(cls.env, login="dg_billing", groups="account.group_account_invoice")

    def test_billing_user_has_no_governance_role(self):
        self.assertFalse(self.billing.has_group("distribution_governance.group_exception_user"))

    def test_reads_an_order_in_full_without_governance_fields(self):
        order = self.order(11).with_env(self.env)
        order.action_confirm()
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.env.invalidate_all()
        row = call_rpc(self.env(user=self.billing), "sale.order", "read", order.ids)[0]
        self.assertEqual((row["name"], row["dg_credit_hold"]), (order.name, "on_hold"))
        for field in ("dg_open_exception_count", "dg_exception_ids", "dg_approval_request_ids"):
            self.assertNotIn(field, row)
        with self.assertRaises(AccessError):
            call_rpc(
                self.env(user=self.billing), "sale.order", "read", order.ids, ["dg_approval_request_ids"]
            )
        panel = call_rpc(self.env(user=self.billing), REQUEST, "get_panel_data", "sale.order", order.id)
        self.assertEqual(panel, {"visible": False})

    def test_confirming_over_credit_holds_the_order_for_them_too(self):
        order = self.order(11).with_env(self.env)
        self.env.invalidate_all()
        call_rpc(self.env(user=self.billing), "sale.order", "action_confirm", order.ids)
        self.assertEqual((order.state, order.dg_credit_hold), ("draft", "on_hold"))
        self.assertEqual(order.dg_approval_request_ids.requester_id, self.billing)


def _row_test(action):
    def test(self):
        self.run_row(action)

    test.__name__ = f"test_{action}"
    test.__doc__ = f"{action}: " + ", ".join(f"{r} {v}" for r, v in CELLS[action].items())
    return test


for _action in CELLS:
    setattr(TestSecurityMatrix, f"test_{_action}", _row_test(_action))
