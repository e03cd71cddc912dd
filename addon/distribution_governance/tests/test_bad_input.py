"""Bad input over the public methods and the widget endpoints.

Whatever a client sends (a string where an id belongs, a list instead of a dictionary, None,
ids that do not exist or belong to another company, a request in the wrong state, a 10 MB
reason, a million ids, an empty reason), the answer is a UserError, ValidationError,
AccessError or MissingError, never a TypeError, KeyError or database error, and nothing is
written: the audit log, the requests, the decisions, the exceptions, their chatter and
activities read the same before and after.

TestBadInput calls through the RPC path in-process (tests/common.py: call_rpc) and does NOT
roll back after a refusal: a method that wrote before refusing would show here. The few cases
marked `dispatcher_rollback` are refused by Odoo's ORM after its own insert (company checks of
create), which the RPC dispatcher rolls back. TestBadInputOverHttp sends a representative subset
through /web/dataset/call_kw and checks the JSON error names the right exception class.
"""

import inspect
import logging
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import CreditCase, call_rpc

_logger = logging.getLogger(__name__)

CLEAN_ERRORS = (UserError, ValidationError, AccessError, MissingError)
EXCEPTION = "distribution.exception"
REQUEST = "distribution.approval.request"
WIZARD = "distribution.exception.resolve.wizard"
TYPE = "distribution.exception.type"
KPI = "distribution.kpi"
DASHBOARD = "distribution.dashboard"
HUGE_TEXT = "x" * (10 * 1024 * 1024)
MILLION_IDS = list(range(1, 10**6 + 1))
MISSING_ID = 2_000_000_000


class BadInputCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.manager = cls.warehouse_manager  # exception manager and override approver
        cls.portal = new_test_user(env, login="dg_bad_portal", groups="base.group_portal")
        cls.user_b = new_test_user(
            env,
            login="dg_bad_user_b",
            groups="stock.group_stock_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        Exception_ = env[EXCEPTION]
        values = {"product_id": cls.product.id, "quantity_missing": 2}
        cls.open_exc = Exception_._raise_exception("stockout", "bad:open", values)
        cls.resolved_exc = Exception_._raise_exception("stockout", "bad:resolved", values)
        cls.stock_found = cls.env["distribution.exception.resolution"].search(
            [("type_id.code", "=", "stockout"), ("code", "=", "stock_found")]
        )
        cls.substituted = cls.stock_found.type_id.resolution_code_ids.filtered(
            lambda r: r.code == "substituted"
        )  # needs a note
        cls.short_pick_code = cls.env["distribution.exception.resolution"].search(
            [("type_id.code", "=", "short_pick"), ("code", "=", "accepted")]
        )
        cls.resolved_exc.action_resolve(cls.stock_found.id)
        cls.foreign_exc = Exception_._raise_exception(
            "stockout", "bad:foreign", dict(values, company_id=cls.company_b.id)
        )
        cls.foreign_order = env["sale.order"].with_company(cls.company_b).create(
            {"partner_id": cls.customer.id, "company_id": cls.company_b.id}
        )
        cls.foreign_request = env[REQUEST].create(
            {
                "kind": "credit_override",
                "company_id": cls.company_b.id,
                "requester_id": cls.user_b.id,
                "currency_id": cls.company_b.currency_id.id,
                "amount": 500.0,
                "document_ref": "B/0001",
            }
        )
        cls.held = cls.order(11)
        cls.held.with_user(cls.rep).action_confirm()
        cls.pending = cls.held.dg_approval_request_ids
        rejected_order = cls.order(12)
        rejected_order.with_user(cls.rep).action_confirm()
        cls.rejected = rejected_order.dg_approval_request_ids
        cls.rejected.with_user(cls.finance).action_reject("Unpaid since summer")

    def db_state(self):
        """What no refused call may change, read from the database."""
        self.env.invalidate_all()
        env = self.env
        on_documents = [("model", "in", (EXCEPTION, REQUEST, "sale.order"))]
        return {
            "exceptions": env[EXCEPTION].search([]).read(
                ["state", "owner_id", "type_id", "severity", "description", "resolution_id",
                 "resolution_note", "escalation_level"]
            ),
            "requests": env[REQUEST].search([]).read(["state", "decided_at"]),
            "decisions": env["distribution.approval.decision"].search_count([]),
            "audit_log": env["distribution.audit.log"].search_count([]),
            "orders": env["sale.order"].search([]).read(["state", "dg_credit_hold"]),
            "messages": env["mail.message"].search_count(on_documents),
            "activities": env["mail.activity"].search_count([]),
            "purchases": env["purchase.order"].search_count([]),
        }

    def assertCleanRefusal(self, call, dispatcher_rollback=False):
        """`call` is refused with an Odoo error and leaves the database as it was."""
        before = self.db_state()
        savepoint = self.env.cr.savepoint() if dispatcher_rollback else None
        try:
            call()
        except CLEAN_ERRORS as error:
            refused = error
            if savepoint:
                savepoint.close(rollback=True)
        else:
            self.fail("accepted")
        self.assertEqual(self.db_state(), before, f"refused ({refused}) after writing")
        return refused


# ---------------------------------------------------------------------------- the cases' calls


def rpc(model, method, *args, **kwargs):
    """A case's call: `model.method(*args, **kwargs)` over the RPC path, in the case's env."""
    return lambda env: call_rpc(env, model, method, *args, **kwargs)


def exc_rpc(method, *args, **kwargs):
    return rpc(EXCEPTION, method, *args, **kwargs)


def req_rpc(method, *args, **kwargs):
    return rpc(REQUEST, method, *args, **kwargs)


def wizard_resolve(values, context=None):
    """A case's call: the resolve wizard created with `values`, then its Resolve button."""

    def call(env):
        wizard_id = call_rpc(env, WIZARD, "create", values, context=context or {})
        return call_rpc(env, WIZARD, "action_resolve", [wizard_id])

    return call


def custom_period(date_from, date_to):
    return {"period": "custom", "date_from": date_from, "date_to": date_to}


@tagged("post_install", "-at_install")
class TestBadInput(BadInputCase):
    def cases(self):
        """(label, user, call(env)[, dispatcher_rollback]) — env is the user's."""
        return [
            *self.exception_record_cases(),
            *self.exception_argument_cases(),
            *self.exception_write_cases(),
            *self.resolve_wizard_cases(),
            *self.widget_cases(),
            *self.approval_cases(),
            *self.private_method_cases(),
            *self.master_data_check_cases(),
            *self.sla_cases(),
            *self.kpi_dashboard_cases(),
        ]

    def exception_record_cases(self):
        """Exception actions called on bad ids, or on records they may not act on."""
        exc, done, foreign = self.open_exc.id, self.resolved_exc.id, self.foreign_exc.id
        stock_found = self.stock_found.id
        worker, manager = self.exception_user, self.manager
        cases = []
        for label, ids in (
            ("string", "abc"),
            ("None", None),
            ("empty list", []),
            ("dict", {"id": exc}),
            ("list of strings", ["1"]),
            ("booleans", [True]),
            ("missing id", [MISSING_ID]),
            ("a million ids", MILLION_IDS),
        ):
            cases += [
                (f"take ownership of {label}", worker, exc_rpc("action_take_ownership", ids)),
                (f"resolve {label}", worker, exc_rpc("action_resolve", ids, stock_found)),
                (f"cancel {label}", manager, exc_rpc("action_cancel", ids)),
                (f"reopen {label}", manager, exc_rpc("action_reopen", ids)),
                (f"assign {label}", manager, exc_rpc("action_assign", ids, worker.id)),
                (f"move {label}", worker, exc_rpc("action_move", ids, "in_progress")),
                (
                    f"open the resolve wizard of {label}",
                    worker,
                    exc_rpc("action_open_resolve_wizard", ids),
                ),
            ]
        cases += [
            ("take ownership of another company's", worker, exc_rpc("action_take_ownership", [foreign])),
            ("resolve another company's", worker, exc_rpc("action_resolve", [foreign], stock_found)),
            ("cancel another company's", manager, exc_rpc("action_cancel", [foreign])),
            ("take ownership of a resolved one", worker, exc_rpc("action_take_ownership", [done])),
            ("resolve a resolved one", worker, exc_rpc("action_resolve", [done], stock_found)),
            ("cancel a resolved one", manager, exc_rpc("action_cancel", [done], "dup")),
            ("assign a resolved one", manager, exc_rpc("action_assign", [done], worker.id)),
            ("reopen an open one", manager, exc_rpc("action_reopen", [exc])),
            ("resolve open and resolved together", worker,
             exc_rpc("action_resolve", [exc, done], stock_found)),
        ]
        return cases

    def exception_argument_cases(self):
        """Exception actions called with bad arguments: assignee, resolution code, note, reason."""
        exc, stock_found, substituted = self.open_exc.id, self.stock_found.id, self.substituted.id
        worker, manager = self.exception_user, self.manager
        cases = []
        for label, value in (
            ("a string", "abc"),
            ("None", None),
            ("a list", [worker.id]),
            ("a dict", {"id": worker.id}),
            ("True", True),
            ("a missing user", MISSING_ID),
            ("a portal user", self.portal.id),
            ("a user of another company", self.user_b.id),
        ):
            cases.append((f"assign to {label}", manager, exc_rpc("action_assign", [exc], value)))
        for label, value in (
            ("a string", "abc"),
            ("None", None),
            ("False", False),
            ("a list", [stock_found]),
            ("a dict", {"id": stock_found}),
            ("a missing code", MISSING_ID),
            ("another type's code", self.short_pick_code.id),
        ):
            cases.append((f"resolve with {label}", worker, exc_rpc("action_resolve", [exc], value)))
        for label, note in (
            ("a 10 MB note", HUGE_TEXT),
            ("a list as note", ["done"]),
            ("a dict as note", {"note": "done"}),
            ("a number as note", 42),
        ):
            resolve = exc_rpc("action_resolve", [exc], stock_found, note)
            cases.append((f"resolve with {label}", worker, resolve))
        cases += [
            ("resolve with an empty note where one is needed", worker,
             exc_rpc("action_resolve", [exc], substituted, "")),
            ("resolve with a blank note where one is needed", worker,
             exc_rpc("action_resolve", [exc], substituted, "   ")),
            ("cancel with a 10 MB reason", manager, exc_rpc("action_cancel", [exc], HUGE_TEXT)),
            ("cancel with a list as reason", manager, exc_rpc("action_cancel", [exc], ["dup"])),
        ]
        return cases

    def exception_write_cases(self):
        """Exceptions written or created over RPC with bad values."""
        exc, type_id = self.open_exc.id, self.open_exc.type_id.id
        worker, manager = self.exception_user, self.manager
        return [
            ("write an unknown severity", worker, exc_rpc("write", [exc], {"severity": "urgent"})),
            ("write a list as severity", worker, exc_rpc("write", [exc], {"severity": ["high"]})),
            ("write a 10 MB description", worker, exc_rpc("write", [exc], {"description": HUGE_TEXT})),
            ("write another type", worker,
             exc_rpc("write", [exc], {"type_id": self.short_pick_code.type_id.id})),
            ("write the state", manager, exc_rpc("write", [exc], {"state": "resolved"})),
            ("create with a string as type", worker, exc_rpc("create", {"type_id": "abc"})),
            ("create without type", worker, exc_rpc("create", {"description": "x"})),
            ("create with a missing type", worker, exc_rpc("create", {"type_id": MISSING_ID})),
            ("create from a list instead of a dict", worker,
             exc_rpc("create", [["type_id", type_id]])),
            ("create with an unknown severity", worker,
             exc_rpc("create", {"type_id": type_id, "severity": "urgent"})),
            ("create with a 10 MB description", worker,
             exc_rpc("create", {"type_id": type_id, "description": HUGE_TEXT})),
            ("create owned by someone else", worker,
             exc_rpc("create", {"type_id": type_id, "owner_id": manager.id})),
            ("create in another company", worker,
             exc_rpc("create", {"type_id": type_id, "company_id": self.company_b.id}),
             True),
            ("create on another company's order", worker,
             exc_rpc("create", {"type_id": type_id, "sale_order_id": self.foreign_order.id}),
             True),
        ]

    def resolve_wizard_cases(self):
        """The resolve wizard opened on bad ids, or saved with bad values."""
        exc, done, foreign = self.open_exc.id, self.resolved_exc.id, self.foreign_exc.id
        stock_found, substituted = self.stock_found.id, self.substituted.id
        worker = self.exception_user
        on_exc = {"exception_ids": [Command.set([exc])]}
        return [
            ("wizard opened on string ids", worker,
             rpc(WIZARD, "default_get", ["exception_ids"],
                 context={"active_model": EXCEPTION, "active_ids": "abc"})),
            ("wizard opened on None ids", worker,
             rpc(WIZARD, "default_get", ["exception_ids"],
                 context={"active_model": EXCEPTION, "active_ids": [None]})),
            ("wizard without exceptions", worker, wizard_resolve({"resolution_id": stock_found})),
            ("wizard on another company's exception", worker,
             wizard_resolve({"exception_ids": [Command.set([foreign])], "resolution_id": stock_found})),
            ("wizard on a resolved exception", worker,
             wizard_resolve({"exception_ids": [Command.set([done])], "resolution_id": stock_found})),
            ("wizard with another type's code", worker,
             wizard_resolve({**on_exc, "resolution_id": self.short_pick_code.id})),
            ("wizard with an empty note where one is needed", worker,
             wizard_resolve({**on_exc, "resolution_id": substituted, "note": ""})),
            ("wizard with a 10 MB note", worker,
             wizard_resolve({**on_exc, "resolution_id": stock_found, "note": HUGE_TEXT})),
        ]

    def widget_cases(self):
        """The exception and credit panels asked about bad documents; kanban moves to bad states."""
        exc, done, foreign = self.open_exc.id, self.resolved_exc.id, self.foreign_exc.id
        worker, approver = self.exception_user, self.finance
        sale = "sale.order"
        cases = []
        for label, args in (
            ("a list as model", (["sale.order"], self.held.id)),
            ("a dict as model", ({"model": sale}, self.held.id)),
            ("None as model", (None, self.held.id)),
            ("another model", ("res.partner", worker.partner_id.id)),
            ("a string as id", (sale, "abc")),
            ("a list as id", (sale, [self.held.id])),
            ("True as id", (sale, True)),
            ("a negative id", (sale, -4)),
            ("a missing document", (sale, MISSING_ID)),
            ("another company's order", (sale, self.foreign_order.id)),
        ):
            cases += [
                (f"exception panel with {label}", worker, exc_rpc("get_panel_data", *args)),
                (f"credit panel with {label}", approver, req_rpc("get_panel_data", *args)),
            ]
        for label, state in (
            ("a list as state", ["resolved"]),
            ("None as state", None),
            ("an unknown state", "lost"),
            ("a number as state", 3),
        ):
            cases.append((f"kanban move: {label}", worker, exc_rpc("action_move", [exc], state)))
        cases += [
            ("kanban move of two at once", worker, exc_rpc("action_move", [exc, done], "in_progress")),
            ("kanban move of another company's", worker, exc_rpc("action_move", [foreign], "in_progress")),
            ("kanban move back to new", worker, exc_rpc("action_move", [exc], "new")),
            ("kanban move to cancelled by a user", worker, exc_rpc("action_move", [exc], "cancelled")),
            ("kanban move of a resolved one back in progress by a user", worker,
             exc_rpc("action_move", [done], "in_progress")),
        ]
        return cases

    def approval_cases(self):
        """Approval decisions on bad ids, requests in the wrong state, bad reasons."""
        pending, rejected, foreign_req = self.pending.id, self.rejected.id, self.foreign_request.id
        approver = self.finance
        cases = []
        for label, ids in (
            ("string", "abc"),
            ("None", None),
            ("empty list", []),
            ("dict", {"id": pending}),
            ("missing id", [MISSING_ID]),
            ("a million ids", MILLION_IDS),
            ("another company's", [foreign_req]),
            ("a rejected one", [rejected]),
            ("pending and rejected together", [pending, rejected]),
        ):
            cases += [
                (f"approve {label}", approver, req_rpc("action_approve", ids, "ok")),
                (f"reject {label}", approver, req_rpc("action_reject", ids, "no")),
            ]
        for label, reason in (
            ("a 10 MB reason", HUGE_TEXT),
            ("a list as reason", ["ok"]),
            ("a dict as reason", {"reason": "ok"}),
            ("a number as reason", 42),
        ):
            cases += [
                (f"approve with {label}", approver, req_rpc("action_approve", [pending], reason)),
                (f"reject with {label}", approver, req_rpc("action_reject", [pending], reason)),
            ]
        cases += [
            ("reject with an empty reason", approver, req_rpc("action_reject", [pending], "")),
            ("reject with a blank reason", approver, req_rpc("action_reject", [pending], "  \n ")),
            ("reject without reason", approver, req_rpc("action_reject", [pending], None)),
            ("write a request", approver, req_rpc("write", [pending], {"state": "approved"})),
        ]
        return cases

    def private_method_cases(self):
        """Private methods are not reachable over RPC."""
        exc, stock_found, pending = self.open_exc.id, self.stock_found.id, self.pending.id
        manager, approver = self.manager, self.finance
        return [
            ("call _raise_exception", manager,
             exc_rpc("_raise_exception", "stockout", "bad:rpc", {"product_id": self.product.id})),
            ("call _cron_escalate", manager, exc_rpc("_cron_escalate")),
            ("call _close_resolved", manager,
             exc_rpc("_close_resolved", [exc], stock_found, "", manager.id, "")),
            ("call _finalize_approval", approver, req_rpc("_finalize_approval", [pending])),
            ("call _cron_expire", approver, req_rpc("_cron_expire")),
        ]

    def master_data_check_cases(self):
        """Master-data checks run on demand for bad companies, or by a user who may not."""
        checks = "distribution.master.data.check"
        worker, manager = self.exception_user, self.manager
        return [
            ("run checks for a string", manager, rpc(checks, "run_checks", "abc")),
            ("run checks for another company", manager, rpc(checks, "run_checks", self.company_b.ids)),
            ("run checks for a million companies", manager, rpc(checks, "run_checks", MILLION_IDS)),
            ("run checks as an exception user", worker, rpc(checks, "run_checks", self.company.ids)),
        ]

    def sla_cases(self):
        """The SLA of an exception type asked for bad types or severities."""
        type_id = self.open_exc.type_id.id
        return [
            (f"SLA hours of {label}", self.exception_user, rpc(TYPE, "sla_hours_for", ids, severity))
            for label, ids, severity in (
                ("no type", [], "high"),
                ("two types", [type_id, self.short_pick_code.type_id.id], "high"),
                ("a missing type", [MISSING_ID], "high"),
                ("a dict as type", {"id": type_id}, "high"),
                ("an unknown severity", [type_id], "urgent"),
                ("a list as severity", [type_id], ["high"]),
                ("None as severity", [type_id], None),
            )
        ]

    def kpi_dashboard_cases(self):
        """KPI dashboard filters: dates, the range cap, the previous period's arithmetic."""
        cases = [
            (f"KPI dashboard for {label}", self.manager, rpc(DASHBOARD, "get_kpi_dashboard", filters))
            for label, filters in (
                ("a text", "last_7_days"),
                ("a list", [{"period": "today"}]),
                ("a list as period", {"period": ["today"]}),
                ("a non-date start", custom_period("x", "2026-01-07")),
                ("a non-date end", custom_period("2026-01-01", "x")),
                ("a number as date", custom_period(20260101, "2026-01-07")),
                ("a list as date", custom_period(["2026-01-01"], "2026-01-07")),
                ("no dates", {"period": "custom"}),
                ("day one", custom_period("0001-01-01", "0001-01-07")),
                ("the last day Python knows", custom_period("9999-12-25", "9999-12-31")),
                ("the first and last days", custom_period("0001-01-01", "9999-12-31")),
                ("a start after the end", custom_period("2026-01-07", "2026-01-01")),
                ("367 days", custom_period("2025-01-01", "2026-01-02")),
                ("a huge company id", {"company_ids": [10**30]}),
                ("a negative warehouse id", {"warehouse_ids": [-1]}),
                ("a million warehouse ids", {"warehouse_ids": MILLION_IDS}),
            )
        ]
        portal_dashboard = rpc(DASHBOARD, "get_kpi_dashboard", {})
        cases.append(("KPI dashboard as a portal user", self.portal, portal_dashboard))
        return cases

    def test_bad_input_is_refused_cleanly_without_writes(self):
        cases = self.cases()
        for label, user, call, *rollback in cases:
            with self.subTest(case=label):
                savepoint = self.env.cr.savepoint()
                try:
                    self.assertCleanRefusal(
                        lambda: call(self.env(user=user)), dispatcher_rollback=bool(rollback)
                    )
                finally:
                    savepoint.close(rollback=True)
        _logger.info("bad input: %s cases refused cleanly", len(cases))

    def test_private_methods_are_refused_by_the_dispatcher(self):
        """What the public methods rely on (superuser writes, detection, crons) stays private:
        Odoo's dispatcher refuses any method starting with an underscore, even to an admin."""
        calls = (
            (EXCEPTION, "_raise_exception", ("stockout", "bad:private", {})),
            (EXCEPTION, "_close_resolved", (self.open_exc.ids, self.stock_found.id, "", 1, "")),
            (REQUEST, "_finalize_approval", (self.pending.ids,)),
            ("distribution.audit.log", "_record", ("approve",)),
            ("distribution.master.data.check", "_cron_run_checks", ()),
            # the KPI engine answers for every company of the caller, with no group check:
            # only the dashboard's RPC (get_kpi_dashboard) reaches it
            (KPI, "_compute_kpis", ("2026-01-01", "2026-01-07")),
            (KPI, "_compute_series", ("on_time_shipment", "2026-01-01", "2026-01-07")),
            (KPI, "_kpi_labels", ()),
            ("distribution.kpi.target", "_rag", ([], 50.0, None)),
        )
        for user in (self.admin, self.portal):
            for model, method, args in calls:
                before = self.db_state()
                with self.assertRaisesRegex(AccessError, "Private methods"):
                    call_rpc(self.env(user=user), model, method, *args)
                self.assertEqual(self.db_state(), before)
        self.assertEqual(self.open_exc.state, "new")
        self.assertEqual(self.pending.state, "pending")

    def test_a_failing_playbook_undoes_the_whole_batch(self):
        """Replenishing two stockouts, the second without vendor: the first gets no RFQ and
        stays open either."""
        orphan = self.env["product.product"].create({"name": "DG No Vendor", "is_storable": True})
        other = self.env[EXCEPTION]._raise_exception(
            "stockout", "bad:orphan", {"product_id": orphan.id, "quantity_missing": 3}
        )
        replenish = self.stock_found.type_id.resolution_code_ids.filtered(lambda r: r.code == "replenish")
        # an RFQ takes purchase rights (test_playbook_rights): resolve as a buyer
        self.exception_user.groups_id |= self.env.ref("purchase.group_purchase_user")
        both = (self.open_exc | other).with_user(self.exception_user)
        error = self.assertCleanRefusal(lambda: both.action_resolve(replenish.id))
        self.assertIn("no vendor", str(error))
        self.assertEqual((self.open_exc.state, other.state), ("new", "new"))
        self.assertFalse(self.env["purchase.order"].search([("origin", "=", self.open_exc.name)]))

    def test_empty_reason_is_fine_for_an_approval(self):
        """Empty is refused only where a value is required: approving needs no reason."""
        self.pending.with_user(self.finance).action_approve("")
        self.assertEqual(self.pending.state, "approved")
        self.assertFalse(self.pending.decision_ids.reason)


# ---------------------------------------------------------------------------- the sweep

ADDON_PACKAGE = "odoo.addons.distribution_governance."
# What a client may send where a method expects an id, a text, a date or a dictionary: JSON
# values of the wrong type or out of range. Each one fills all the arguments of a call.
BAD_VALUES = (
    *(None, True, False, 0, -1, 1.5, 2**31, 10**30, MISSING_ID),
    *("", "abc", "1", "0001-01-01", "9999-12-31"),
    *([], ["1"], [None], [True], [[1]], [MISSING_ID], [2**31]),
    *({}, {"id": 1}, {"a": {"b": [1]}}),
)
# ...and in place of the ids a record method is called on. No bare float or boolean: Odoo's
# call_kw makes the recordset with browse() before the method runs, and browse() refuses them.
BAD_IDS = (
    *("abc", None, [], {"id": 1}, ["1"], [None], [True], [1.5], [[1]]),
    *([-1], [0], [2**31], [10**30], [MISSING_ID], [MISSING_ID, MISSING_ID + 1]),
)
# (model, method) the sweep leaves out (none today; say why for any added)
SWEEP_EXCLUDED = set()
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
NO_IDS = object()  # a model method's call: no ids before the arguments


def addon_public_methods(env):
    """[(model, method)] of every public method the addon's own classes introduce, on its
    models and on Odoo's it extends, read from the registry: a new one is swept as soon as
    it is written.

    Left out: overrides of a method Odoo defines (the ORM's create, write, unlink, copy,
    default_get, init, and action_confirm, button_validate, do_scrap, stock.picking's
    action_cancel): their arguments keep Odoo's contract and Odoo's own handling, and the flow
    tests cover what the addon adds to them."""
    found = set()
    for model_name in env.registry:
        mro = type(env[model_name]).mro()
        odoo_names = {
            name
            for klass in mro
            if not klass.__module__.startswith(ADDON_PACKAGE)
            for name in vars(klass)
        }
        for klass in mro:
            if not klass.__module__.startswith(ADDON_PACKAGE):
                continue
            for name, attr in vars(klass).items():
                method = inspect.isfunction(attr) or isinstance(attr, (staticmethod, classmethod))
                if method and not name.startswith("_") and name not in odoo_names:
                    found.add((model_name, name))
    return sorted(found)


@tagged("post_install", "-at_install")
class TestPublicMethodSweep(BadInputCase):
    """Every public method of the addon, called over the RPC path with bad arguments by a
    governance administrator and by a sales rep, returns or refuses with one of Odoo's four
    errors, and a refusal writes nothing.

    A wrong number of arguments is not swept: Python refuses the call before the method runs,
    as for any Odoo method. Each call runs in a savepoint rolled back afterwards, so a call
    that succeeds (a valid record, an argument that happens to be acceptable) does not change
    what the next one sees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.governance_admin = new_test_user(
            cls.env,
            login="dg_sweep_admin",
            groups="distribution_governance.group_governance_admin,"
            "sales_team.group_sale_manager,stock.group_stock_manager",
        )

    def calls(self, model, name):
        """(ids or NO_IDS for a model method, args) of every bad call of `model.name`."""
        Model = self.env[model]
        method = getattr(Model, name)
        params = [
            p for p in inspect.signature(method).parameters.values() if p.kind in POSITIONAL
        ]
        arities = sorted(
            {len(params), len([p for p in params if p.default is inspect.Parameter.empty])}
        )
        bad_args = [()] if 0 in arities else []
        bad_args += [(value,) * arity for arity in arities if arity for value in BAD_VALUES]
        if getattr(method, "_api", None):  # @api.model: called without ids
            return [(NO_IDS, args) for args in bad_args]
        # bad ids, each with bad arguments; then a real record with every bad argument
        calls = [
            (ids, bad_args[index % len(bad_args)]) for index, ids in enumerate(BAD_IDS)
        ]
        record = Model.browse() if Model._abstract else Model.search([], limit=1, order="id")
        if record:
            calls += [(record.ids, args) for args in bad_args]
        return calls

    def sweep(self, user, targets):
        """(offenders, number of calls): what escaped as another error than Odoo's four, and
        the refusals that wrote before refusing."""
        offenders, count = [], 0
        before = self.db_state()
        for model, name in targets:
            for ids, args in self.calls(model, name):
                count += 1
                rpc_args = list(args) if ids is NO_IDS else [ids, *args]
                where = f"{model}.{name}{tuple(rpc_args)!r:.120} as {user.login}"
                savepoint = self.env.cr.savepoint()
                try:
                    call_rpc(self.env(user=user), model, name, *rpc_args)
                except CLEAN_ERRORS:
                    if self.db_state() != before:
                        offenders.append(f"{where}: refused after writing")
                except Exception as error:  # noqa: BLE001 -- what the sweep is looking for
                    offenders.append(f"{where}: {type(error).__name__}: {error!s:.200}")
                finally:
                    savepoint.close(rollback=True)
        return offenders, count

    def test_discovers_the_public_methods(self):
        targets = addon_public_methods(self.env)
        for known in (
            (TYPE, "sla_hours_for"),
            (EXCEPTION, "action_resolve"),
            (WIZARD, "action_resolve"),
            (REQUEST, "action_approve"),
            (DASHBOARD, "get_kpi_dashboard"),
            ("sale.order", "action_dg_open_exceptions"),
        ):
            self.assertIn(known, targets)
        for override in (
            ("sale.order", "action_confirm"),
            (EXCEPTION, "create"),
            (WIZARD, "default_get"),
        ):
            self.assertNotIn(override, targets)
        # the KPI engine answers for every company of the caller: nothing of it over RPC
        engine = [t for t in targets if t[0] in (KPI, "distribution.kpi.target")]
        self.assertFalse(engine)
        self.assertFalse(set(SWEEP_EXCLUDED) - set(targets), "exclusions of methods gone")

    def test_bad_arguments_never_crash(self):
        targets = [t for t in addon_public_methods(self.env) if t not in SWEEP_EXCLUDED]
        offenders, count = [], 0
        # a bad query is logged by sql_db before it is raised: the sweep reports it itself
        with mute_logger("odoo.sql_db"):
            for user in (self.governance_admin, self.rep):
                found, calls = self.sweep(user, targets)
                offenders += found
                count += calls
        self.assertFalse(offenders, "\n".join(offenders))
        _logger.info("sweep: %s public methods, %s calls, all clean", len(targets), count)

    def test_the_sweep_reports_a_crash(self):
        """A method that lets another error than Odoo's four through fails the sweep."""

        def sla_hours_for(self, severity):
            return self[f"sla_hours_{severity}"]  # unchecked: ValueError, KeyError, SQL errors

        with patch.object(type(self.env[TYPE]), "sla_hours_for", sla_hours_for):
            offenders, count = self.sweep(self.governance_admin, [(TYPE, "sla_hours_for")])
        self.assertTrue(count)
        self.assertTrue(offenders)
        self.assertTrue(all(TYPE in line for line in offenders))


@tagged("post_install", "-at_install")
class TestBadInputOverHttp(HttpCase, BadInputCase):
    """Through /web/dataset/call_kw as a browser would: a JSON error naming the exception."""

    def call_kw(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_errors_come_back_as_clean_json_errors(self):
        worker, manager, approver = (
            self.exception_user.login,
            self.manager.login,
            self.finance.login,
        )
        cases = [
            (worker, EXCEPTION, "action_take_ownership", ["abc"], UserError),
            (worker, EXCEPTION, "action_take_ownership", [[MISSING_ID]], MissingError),
            (worker, EXCEPTION, "action_take_ownership", [[self.foreign_exc.id]], AccessError),
            (worker, EXCEPTION, "action_resolve", [[self.open_exc.id], "abc"], UserError),
            (
                worker,
                EXCEPTION,
                "action_resolve",
                [[self.open_exc.id], self.stock_found.id, HUGE_TEXT],
                UserError,
            ),
            (worker, EXCEPTION, "action_resolve", [[self.resolved_exc.id], self.stock_found.id], UserError),
            (manager, EXCEPTION, "action_assign", [[self.open_exc.id], "abc"], UserError),
            (worker, EXCEPTION, "get_panel_data", ["sale.order", "abc"], UserError),
            (worker, EXCEPTION, "action_move", [[self.open_exc.id], "lost"], UserError),
            (worker, EXCEPTION, "action_move", [[self.open_exc.id], "cancelled"], AccessError),
            (worker, EXCEPTION, "_raise_exception", ["stockout", "x", {}], AccessError),
            (worker, WIZARD, "create", [{"exception_ids": [[6, 0, [self.open_exc.id]]]}], ValidationError),
            (approver, REQUEST, "action_approve", [[self.rejected.id], "ok"], UserError),
            (approver, REQUEST, "action_approve", [MILLION_IDS, "ok"], UserError),
            (approver, REQUEST, "action_approve", [[self.foreign_request.id], "ok"], AccessError),
            (approver, REQUEST, "action_reject", [[self.pending.id], ""], UserError),
            (approver, REQUEST, "action_reject", [[self.pending.id], ["no"]], UserError),
            (approver, REQUEST, "get_panel_data", [{"model": "sale.order"}, 1], UserError),
        ]
        for login, model, method, args, error in cases:
            with self.subTest(login=login, method=method, args=str(args)[:60]):
                before = self.db_state()
                # the wizard without resolution fails on the NOT NULL column, logged by sql_db
                with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.sql_db"):
                    self.call_kw(login, model, method, args)
                self.assertEqual(caught.exception.args[0], f"odoo.exceptions.{error.__name__}")
                self.assertEqual(self.db_state(), before)
        _logger.info("bad input over HTTP: %s cases refused cleanly", len(cases))
