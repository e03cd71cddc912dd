"""Which of the addon's RPCs Odoo may serve from a read replica (issue 17).

Odoo 18 routes a /web/dataset/call_kw (and call_button) request to a read-only cursor — the
replica given by --db_replica_host/--db_replica_port — when the method called is marked
`@api.readonly` (web's DataSet._call_kw_readonly walks the model's classes for the first
`_readonly` flag). A marked method that writes fails on the replica with
ReadOnlySqlTransaction and Odoo replays the whole request on the primary, logging a warning
from odoo.http: so a marked method must never write, and a method that writes must never be
marked (it would run twice on every call).

Under HttpCase a read-only route runs in a `SET TRANSACTION READ ONLY` savepoint (TestCursor),
so calling the marked methods over HTTP without that warning proves they write nothing on the
paths exercised here.
"""

from unittest.mock import patch

from odoo import api
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CreditCase
from .test_bad_input import addon_public_methods

REQUEST = "distribution.approval.request"
EXCEPTION = "distribution.exception"
DASHBOARD = "distribution.dashboard"

# The screens' reads (what static-src loads through orm.call) and nothing else.
READONLY = {
    (DASHBOARD, "get_kpi_dashboard"),
    (REQUEST, "get_panel_data"),
    (REQUEST, "get_price_panel_data"),
    (REQUEST, "get_pending_count"),
    (REQUEST, "get_urgent_panel_data"),
    (REQUEST, "get_partial_panel_data"),
    (EXCEPTION, "get_panel_data"),
    (EXCEPTION, "get_systray_data"),
    (EXCEPTION, "get_triage_counts"),
    ("distribution.floor.capture", "floor_data"),
    (EXCEPTION, "get_triage_suggestion"),
    ("distribution.floor.capture", "floor_transfer"),
    ("distribution.floor.capture", "floor_scan"),
}
# What writes, the addon's own decisions and Odoo's hot paths it overrides.
WRITES = {
    (REQUEST, "action_approve"),
    (REQUEST, "action_reject"),
    (REQUEST, "action_justify"),
    ("distribution.floor.capture", "floor_capture"),
    (EXCEPTION, "action_resolve"),
    (EXCEPTION, "action_take_ownership"),
    (EXCEPTION, "action_assign"),
    (EXCEPTION, "action_move"),
    (EXCEPTION, "action_apply_triage"),
    ("sale.order", "action_confirm"),
    ("stock.picking", "button_validate"),
    ("stock.move", "write"),
    ("stock.move.line", "write"),
}


def routed_readonly(env, model, method):
    """Whether Odoo's call_kw route opens a read-only (replica) cursor for `model.method`:
    the `_readonly` flag of the first class of the model that defines it, as
    addons/web/controllers/dataset.py decides."""
    for klass in type(env[model]).mro():
        function = getattr(klass, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


@tagged("post_install", "-at_install")
class TestReadonlyMarks(CreditCase):
    def test_reads_are_marked_and_writes_are_not(self):
        for model, method in sorted(READONLY):
            with self.subTest(model=model, method=method):
                self.assertTrue(routed_readonly(self.env, model, method))
        for model, method in sorted(WRITES):
            with self.subTest(model=model, method=method):
                self.assertTrue(hasattr(self.env[model], method))
                self.assertFalse(routed_readonly(self.env, model, method))

    def test_no_other_public_method_of_the_addon_is_marked(self):
        """A new read-only mark is a decision: it is listed in READONLY (and called over HTTP
        below), never an accident on a method that writes."""
        marked = {
            (model, method)
            for model, method in addon_public_methods(self.env)
            if routed_readonly(self.env, model, method)
        }
        self.assertEqual(marked, READONLY)


@tagged("post_install", "-at_install")
class TestReadonlyOverHttp(HttpCase, CreditCase):
    def call_kw(self, model, method, args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )

    def read_all(self, order):
        """Every marked read, for `order`, on read-only cursors: no fallback to the primary."""
        with self.assertNoLogs("odoo.http", "WARNING"):
            return {
                "panel": self.call_kw(REQUEST, "get_panel_data", ["sale.order", order.id]),
                "price": self.call_kw(REQUEST, "get_price_panel_data", ["sale.order", order.id]),
                "pending": self.call_kw(REQUEST, "get_pending_count", []),
                "urgent": self.call_kw(REQUEST, "get_urgent_panel_data", ["sale.order", order.id]),
                "partial": self.call_kw(
                    REQUEST, "get_partial_panel_data", [REQUEST, order.dg_approval_request_ids[:1].id]
                ),
                "exceptions": self.call_kw(EXCEPTION, "get_panel_data", ["sale.order", order.id]),
                "systray": self.call_kw(EXCEPTION, "get_systray_data", []),
                "triage": self.call_kw(EXCEPTION, "get_triage_counts", []),
                "triage_suggestion": self.call_kw(
                    EXCEPTION, "get_triage_suggestion", [order.dg_exception_ids.ids]
                ),
                "dashboard": self.call_kw(DASHBOARD, "get_kpi_dashboard", [{}]),
            }

    def test_reads_run_read_only_and_show_the_decision_after_it(self):
        self.approver.groups_id |= self.env.ref("distribution_governance.group_override_approver")
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.authenticate(self.approver.login, self.approver.login)

        before = self.read_all(order)
        self.assertEqual(before["panel"]["hold_state"], "on_hold")
        self.assertEqual(before["panel"]["request"]["id"], request.id)
        self.assertTrue(before["panel"]["request"]["can_decide"])
        self.assertGreaterEqual(before["pending"], 1)
        self.assertEqual(before["systray"]["pending_approvals"], before["pending"])
        self.assertIn("kpis", before["dashboard"])

        # the decision goes to the primary (a read/write route) ...
        self.call_kw(REQUEST, "action_approve", [[request.id], "Paid by wire"])
        self.assertEqual(request.state, "approved")
        # ... and the panel reloaded after it shows it
        after = self.read_all(order)
        self.assertEqual(after["panel"]["hold_state"], "released")
        self.assertEqual(after["panel"]["request"]["state"], "approved")
        self.assertFalse(after["panel"]["request"]["can_decide"])
        self.assertEqual(after["pending"], before["pending"] - 1)
        self.assertEqual(after["systray"]["pending_approvals"], after["pending"])

    def test_a_write_on_a_read_only_route_is_replayed_on_the_primary(self):
        """The guard read_all relies on is live: a marked method that writes logs Odoo's
        fallback warning (and still answers, from the primary)."""

        @api.model
        @api.readonly
        def writing_count(model):
            model.env.cr.execute(
                "UPDATE res_partner SET write_date = write_date WHERE id = %s", [self.customer.id]
            )
            return 42

        self.authenticate(self.admin.login, self.admin.login)
        # (sql_db logs the refused UPDATE as a bad query)
        with patch.object(type(self.env[REQUEST]), "get_pending_count", writing_count), \
                self.assertLogs("odoo.http", "WARNING") as logs, mute_logger("odoo.sql_db"):
            self.assertEqual(self.call_kw(REQUEST, "get_pending_count", []), 42)
        self.assertIn("retrying with a read/write cursor", "\n".join(logs.output))
