"""Two distributors in one database: nobody sees a company they are not in, or not active in.

Company A and company B both hold orders over credit, so each has exceptions, approval requests,
decisions and audit entries. Three approvers (warehouse managers): one in A, one in B, one in
both. Every surface (records over RPC, systray, board, inbox, panels) is read for each user and
each selection of the company switcher (`allowed_company_ids`, as the web client sends it).
"""

import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditCase, call_rpc

_logger = logging.getLogger(__name__)

EXCEPTION = "distribution.exception"
REQUEST = "distribution.approval.request"


@tagged("post_install", "-at_install")
class TestMultiCompany(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = cls.company
        b = cls.company_b
        env["account.chart.template"].try_loading("generic_coa", company=b, install_demo=False)
        b.write(
            {
                "account_use_credit_limit": True,
                "dg_credit_hold_active": True,
                "dg_credit_hold_point": "confirmation",
            }
        )
        cls.customer.with_company(b).credit_limit = 1000.0

        def user(login, groups, companies):
            return new_test_user(
                env,
                login=login,
                groups=groups,
                company_id=companies[0].id,
                company_ids=[Command.set(companies.ids)],
            )

        cls.user_a = user("dg_mc_a", "stock.group_stock_manager", cls.company_a)
        cls.user_b = user("dg_mc_b", "stock.group_stock_manager", b)
        cls.user_ab = user("dg_mc_ab", "stock.group_stock_manager", cls.company_a | b)
        cls.rep_b = user("dg_mc_rep_b", "sales_team.group_sale_salesman", b)

        # B's customer has an overdue invoice there: a matter for B only
        cls.invoice_b = cls.invoice(200, days_due=-45, company=b)

        cls.orders, cls.requests = {}, {}
        for company, rep in ((cls.company_a, cls.rep), (b, cls.rep_b)):
            for key in ("pending", "decided"):
                order = env["sale.order"].with_user(rep).create(
                    {
                        "partner_id": cls.customer.id,
                        "order_line": [Command.create({"product_id": cls.item.id, "product_uom_qty": 11})],
                    }
                )
                order.with_user(rep).action_confirm()
                order = order.with_env(env)
                cls.orders[company, key] = order
                cls.requests[company, key] = order.dg_approval_request_ids
        cls.requests[cls.company_a, "decided"].with_user(cls.user_a).action_approve("A: known customer")
        cls.requests[b, "decided"].with_user(cls.user_b).action_reject("B: payment plan broken")

        Exception_ = env[EXCEPTION]
        cls.exceptions = {
            company: Exception_._raise_exception(
                "stockout",
                f"mc:{company.id}",
                {
                    "company_id": company.id,
                    "product_id": cls.product.id,
                    "quantity_missing": 1,
                    "detected_at": fields.Datetime.now() - timedelta(days=3),
                },
            )
            for company in (cls.company_a, b)
        }

    # ------------------------------------------------------------------ helpers

    def scopes(self):
        """(label, user, allowed_company_ids or None, companies they must see)."""
        a, b = self.company_a, self.company_b
        return [
            ("A user", self.user_a, None, a),
            ("B user", self.user_b, None, b),
            ("A+B user, A active", self.user_ab, [a.id], a),
            ("A+B user, B active", self.user_ab, [b.id], b),
            ("A+B user, both active", self.user_ab, [a.id, b.id], a | b),
            # no switcher context (a script): Odoo makes all the user's companies active
            ("A+B user, no context", self.user_ab, None, a | b),
        ]

    def rpc(self, user, companies, model, method, *args):
        context = {"allowed_company_ids": companies} if companies is not None else {}
        return call_rpc(self.env(user=user), model, method, *args, context=context)

    def companies_of(self, model, ids):
        return self.env[model].browse(ids).company_id

    def ours(self, key):
        return self.requests[self.company_a, key] | self.requests[self.company_b, key]

    # ------------------------------------------------------------------ surfaces
    # Each check reads one surface as `user` with the switcher on `companies` and asserts it
    # shows the records of exactly the `expected` companies.

    def check_exceptions(self, user, companies, expected):
        keys = [e.cause_key for e in self.exceptions.values()]
        rows = self.rpc(user, companies, EXCEPTION, "search_read", [("cause_key", "in", keys)], ["id"])
        self.assertEqual(self.companies_of(EXCEPTION, [r["id"] for r in rows]), expected)

    def check_requests(self, user, companies, expected):
        ids = (self.ours("pending") | self.ours("decided")).ids
        rows = self.rpc(user, companies, REQUEST, "search_read", [("id", "in", ids)], ["id"])
        self.assertEqual(self.companies_of(REQUEST, [r["id"] for r in rows]), expected)
        self.assertEqual(len(rows), 2 * len(expected))

    def check_decisions(self, user, companies, expected):
        rows = self.rpc(
            user, companies, "distribution.approval.decision", "search_read",
            [("request_id", "in", self.ours("decided").ids)], ["request_id"],
        )
        self.assertEqual(self.companies_of(REQUEST, [r["request_id"][0] for r in rows]), expected)

    def check_audit_log(self, user, companies, expected):
        rows = self.rpc(
            user, companies, "distribution.audit.log", "search_read",
            [("partner_id", "=", self.customer.id)], ["id"],
        )
        self.assertEqual(self.companies_of("distribution.audit.log", [r["id"] for r in rows]), expected)

    def check_systray(self, user, companies, expected):
        data = self.rpc(user, companies, EXCEPTION, "get_systray_data")
        open_states = ("new", "in_progress")
        Exception_ = self.env[EXCEPTION]
        in_expected = [("company_id", "in", expected.ids), ("state", "in", open_states)]
        self.assertEqual(
            data["breached"], Exception_.search_count(in_expected + [("sla_status", "=", "breached")])
        )
        self.assertGreater(data["breached"], 0)
        self.assertEqual(data["pending_approvals"], len(expected))  # one pending per company

    def check_triage(self, user, companies, expected):
        """The triage kanban and list read the model: its groups and the counts above them."""
        keys = [e.cause_key for e in self.exceptions.values()]
        groups = self.rpc(
            user, companies, EXCEPTION, "web_read_group",
            [("cause_key", "in", keys)], ["state"], ["state"],
        )["groups"]
        self.assertEqual(sum(g["state_count"] for g in groups), len(expected))
        counts = self.rpc(user, companies, EXCEPTION, "get_triage_counts")
        in_expected = [("company_id", "in", expected.ids), ("state", "in", ("new", "in_progress"))]
        self.assertEqual(
            counts["breached"],
            self.env[EXCEPTION].search_count(in_expected + [("sla_status", "=", "breached")]),
        )

    def check_inbox(self, user, companies, expected):
        """To decide: the requests of the active companies the user may decide."""
        ids = self.rpc(user, companies, REQUEST, "search", [("can_decide", "=", True)])
        self.assertEqual(self.companies_of(REQUEST, ids), expected)
        self.assertEqual(self.rpc(user, companies, REQUEST, "get_pending_count"), len(expected))

    def check_panels(self, model, shows):
        def check(user, companies, expected):
            for company in self.company_a | self.company_b:
                order = self.orders[company, "pending"]
                if company in expected:
                    data = self.rpc(user, companies, model, "get_panel_data", "sale.order", order.id)
                    self.assertTrue(shows(data, order), f"{model} panel of {order.name}: {data}")
                else:
                    with self.assertRaises(AccessError):
                        self.rpc(user, companies, model, "get_panel_data", "sale.order", order.id)

        return check

    def check_exception_panel(self, user, companies, expected):
        self.check_panels(
            EXCEPTION,
            lambda data, order: [r["sale_order"][0] for r in data["exceptions"]] == order.ids,
        )(user, companies, expected)

    def check_credit_panel(self, user, companies, expected):
        self.check_panels(
            REQUEST,
            lambda data, order: data["visible"] and data["order_id"] == order.id,
        )(user, companies, expected)

    SURFACES = (
        "exceptions",
        "requests",
        "decisions",
        "audit_log",
        "systray",
        "triage",
        "inbox",
        "exception_panel",
        "credit_panel",
    )

    # ------------------------------------------------------------------ tests

    def test_every_surface_shows_only_active_companies(self):
        count = 0
        for label, user, companies, expected in self.scopes():
            for name in self.SURFACES:
                with self.subTest(scope=label, surface=name):
                    count += 1
                    getattr(self, f"check_{name}")(user, companies, expected)
        _logger.info("multi-company: %s surface x scope cases", count)

    def test_a_company_the_user_is_not_in_is_refused(self):
        for name in self.SURFACES:
            with self.subTest(surface=name), self.assertRaises(AccessError):
                getattr(self, f"check_{name}")(self.user_a, [self.company_b.id], self.company_b)

    def test_records_of_an_inactive_company_cannot_be_read_or_worked(self):
        exc_b = self.exceptions[self.company_b]
        pending_b = self.requests[self.company_b, "pending"]
        only_a = [self.company_a.id]
        audit_before = self.env["distribution.audit.log"].search_count([])
        for model, method, args in (
            (EXCEPTION, "read", (exc_b.ids, ["name"])),
            (EXCEPTION, "action_take_ownership", (exc_b.ids,)),
            (EXCEPTION, "action_assign", (exc_b.ids, self.user_ab.id)),
            (EXCEPTION, "action_cancel", (exc_b.ids,)),
            (REQUEST, "read", (pending_b.ids, ["name"])),
            (REQUEST, "action_approve", (pending_b.ids, "ok")),
            (REQUEST, "action_reject", (pending_b.ids, "no")),
        ):
            with self.subTest(method=method, model=model), self.assertRaises(AccessError):
                self.rpc(self.user_ab, only_a, model, method, *args)
        self.env.invalidate_all()
        self.assertEqual((exc_b.state, exc_b.owner_id), ("new", self.env["res.users"]))
        self.assertEqual(
            (pending_b.state, pending_b.decision_ids), ("pending", self.env["distribution.approval.decision"])
        )
        self.assertEqual(self.env["distribution.audit.log"].search_count([]), audit_before)
        # with both companies active the same user decides it
        both = [self.company_a.id, self.company_b.id]
        self.rpc(self.user_ab, both, REQUEST, "action_approve", pending_b.ids, "ok")
        self.assertEqual(pending_b.state, "approved")
        self.assertEqual(self.orders[self.company_b, "pending"].state, "sale")

    def test_credit_panel_of_an_order_shows_only_its_companys_credit(self):
        order_a = self.orders[self.company_a, "pending"]
        both = [self.company_a.id, self.company_b.id]
        data = self.rpc(self.user_ab, both, REQUEST, "get_panel_data", "sale.order", order_a.id)
        # B's overdue invoice and B's rejection are not A's business
        self.assertEqual(data["overdue_invoices"], [])
        self.assertAlmostEqual(data["exposure"]["receivables"], 0)
        self.assertEqual(data["exposure"]["overdue_count"], 0)
        self.assertTrue(data["history"])
        self.assertEqual(
            {h["document"] for h in data["history"]}, {self.orders[self.company_a, "decided"].name}
        )
        self.assertNotIn("B: payment plan broken", [h["reason"] for h in data["history"]])
        order_b = self.orders[self.company_b, "pending"]
        data_b = self.rpc(self.user_ab, both, REQUEST, "get_panel_data", "sale.order", order_b.id)
        self.assertEqual([i["id"] for i in data_b["overdue_invoices"]], self.invoice_b.ids)
        self.assertIn("B: payment plan broken", [h["reason"] for h in data_b["history"]])

    def test_notifications_stay_within_the_company(self):
        pending_a = self.requests[self.company_a, "pending"]
        pending_b = self.requests[self.company_b, "pending"]
        told_a = pending_a.activity_ids.user_id
        told_b = pending_b.activity_ids.user_id
        self.assertIn(self.user_a, told_a)
        self.assertIn(self.user_ab, told_a)
        self.assertNotIn(self.user_b, told_a)
        self.assertIn(self.user_b, told_b)
        self.assertNotIn(self.user_a, told_b)
        self.assertTrue(all(self.company_a in u.company_ids for u in told_a))
        self.assertTrue(all(self.company_b in u.company_ids for u in told_b))
        # escalation to-dos of a breached exception go to the managers of its company
        self.env[EXCEPTION]._cron_escalate()
        for company, exc in self.exceptions.items():
            escalated_to = exc.activity_ids.user_id
            self.assertTrue(escalated_to, exc.name)
            self.assertTrue(all(company in u.company_ids for u in escalated_to), exc.name)
        self.assertNotIn(self.user_b, self.exceptions[self.company_a].activity_ids.user_id)
        self.assertNotIn(self.user_a, self.exceptions[self.company_b].activity_ids.user_id)
