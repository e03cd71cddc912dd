import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

from . import input_checks
from .credit_hold import CREDIT_GROUPS
from .row_locks import lock_free_rows


def selection_label(record, field):
    """The label of a selection field's value, in the user's language."""
    labels = dict(record._fields[field]._description_selection(record.env))
    return labels.get(record[field], record[field])


_logger = logging.getLogger(__name__)

# The documents the credit panel sits in, and how each leads to the order whose credit it shows.
PANEL_MODELS = {
    "sale.order": lambda order: order,
    "stock.picking": lambda picking: picking.sale_id,
    "distribution.approval.request": lambda request: request.sale_order_id,
}

APPROVAL_KINDS = [
    ("credit_override", "Credit override"),
    ("price_override", "Price below policy"),
    ("urgent_override", "Urgent order override"),
    ("return_authorization", "Return authorization"),
    ("inventory_adjustment", "Inventory adjustment over threshold"),
    ("partial_shipment", "Partial shipment"),
]


class DistributionApprovalPolicy(models.Model):
    """Tiers: for a kind of request, an amount band decides who approves and how many."""

    _name = "distribution.approval.policy"
    _description = "Approval Policy Tier"
    _order = "kind, company_id, amount_min"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(APPROVAL_KINDS, required=True, default="credit_override")
    company_id = fields.Many2one(
        "res.company", help="Leave empty to apply to every company without its own tiers."
    )
    amount_min = fields.Monetary("From Amount", currency_field="currency_id", default=0.0)
    amount_max = fields.Monetary(
        "Up To Amount", currency_field="currency_id", help="0 means no upper bound."
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda s: s.env.company.currency_id, required=True
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Approver Group",
        required=True,
        default=lambda s: s.env.ref("distribution_governance.group_override_approver"),
    )
    approvals_required = fields.Integer(
        "Distinct Approvers", default=1, required=True
    )
    percent_min = fields.Float(
        "From Deviation (%)",
        default=0.0,
        help="Price requests: the tier applies from this deviation of the worst line below its "
        "pricelist price (within the amount band, the highest deviation reached decides).",
    )
    validity_hours = fields.Integer(
        "Validity (hours)",
        default=0,
        help="How long an approval of this tier covers what it approved; 0: the company's "
        "approval validity.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("amount_min", "amount_max", "approvals_required", "percent_min", "validity_hours")
    def _check_band(self):
        for tier in self:
            if tier.approvals_required < 1:
                raise ValidationError(_("A tier needs at least one approver."))
            if tier.percent_min < 0 or tier.validity_hours < 0:
                raise ValidationError(
                    _("Tier %s: the deviation and the validity cannot be negative.", tier.name)
                )
            if tier.amount_min < 0 or (tier.amount_max and tier.amount_max <= tier.amount_min):
                raise ValidationError(
                    _("Tier %s: the upper amount must be above the lower one.", tier.name)
                )

    @api.model
    def _tier_for(self, kind, company, amount, percent=0.0):
        tiers = self.search(
            [("kind", "=", kind), ("company_id", "in", (company.id, False))],
            order="company_id asc nulls last, amount_min desc, percent_min desc",
        )
        own = tiers.filtered(lambda t: t.company_id == company) or tiers
        for tier in own:
            if (
                amount >= tier.amount_min
                and (not tier.amount_max or amount < tier.amount_max)
                and percent >= tier.percent_min
            ):
                return tier
        raise UserError(
            _("No approval tier covers %(amount)s for %(kind)s requests.", amount=amount, kind=kind)
        )


class DistributionApprovalDecision(models.Model):
    _name = "distribution.approval.decision"
    _description = "Approval Decision"
    _order = "id"

    request_id = fields.Many2one(
        "distribution.approval.request", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True)
    decision = fields.Selection(
        [("approve", "Approved"), ("reject", "Rejected")], required=True, readonly=True
    )
    reason = fields.Text(readonly=True)
    decided_at = fields.Datetime(readonly=True, default=fields.Datetime.now)

    _sql_constraints = [
        (
            "one_decision_per_user",
            "unique(request_id, user_id)",
            "An approver decides a request only once.",
        ),
    ]


class DistributionApprovalRequest(models.Model):
    _name = "distribution.approval.request"
    _description = "Approval Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date asc, amount desc, id"
    _check_company_auto = True
    # whoever reads a request (its requester, the approvers) may discuss it in its chatter and
    # see the approvers' to-dos; the request itself changes only through its decisions
    _mail_post_access = "read"

    name = fields.Char(readonly=True, required=True, default=lambda self: self.env._("New"), copy=False)
    kind = fields.Selection(APPROVAL_KINDS, required=True, readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
            ("voided", "Voided"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, index=True, ondelete="restrict")
    picking_id = fields.Many2one("stock.picking", readonly=True, index=True)
    # The facts the request is made for (see _dg_covers): an order leaving them voids it.
    partner_id = fields.Many2one(
        "res.partner", string="Invoiced Customer", readonly=True, index=True,
        help="The commercial entity the order is invoiced to: whose credit is at stake.",
    )
    order_partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    order_currency_id = fields.Many2one("res.currency", string="Order Currency", readonly=True)
    order_amount = fields.Monetary(
        "Amount Ceiling", readonly=True, currency_field="order_currency_id",
        help="The order's total when the approval was requested: an approval covers the order "
        "up to this amount.",
    )
    document_ref = fields.Char("Document", readonly=True, help="The document's name at request time.")
    requester_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    salesperson_id = fields.Many2one("res.users", string="Salesperson at Request", readonly=True)
    changed_by_ids = fields.Many2many(
        "res.users", "distribution_approval_request_changed_by_rel", "request_id", "user_id",
        string="Changed While Pending", readonly=True,
        help="Who changed the order's customer or lines while the request waited: they may not "
        "decide it.",
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    reason = fields.Text("Justification", readonly=True)
    # exposure snapshot at request time
    exposure_receivables = fields.Monetary(readonly=True, currency_field="currency_id")
    exposure_uninvoiced = fields.Monetary(readonly=True, currency_field="currency_id")
    exposure_this_order = fields.Monetary(readonly=True, currency_field="currency_id")
    exposure_total = fields.Monetary(readonly=True, currency_field="currency_id")
    credit_limit = fields.Monetary(readonly=True, currency_field="currency_id")
    overdue_amount = fields.Monetary(readonly=True, currency_field="currency_id")
    hold_reason = fields.Text(readonly=True)
    # tier
    policy_id = fields.Many2one("distribution.approval.policy", string="Tier", readonly=True)
    approver_group_id = fields.Many2one("res.groups", readonly=True)
    approvals_required = fields.Integer(readonly=True, default=1)
    approvals_count = fields.Integer(compute="_compute_approvals_count")
    decision_ids = fields.One2many("distribution.approval.decision", "request_id", readonly=True)
    decided_at = fields.Datetime(readonly=True, index=True)
    approved_until = fields.Datetime(readonly=True)
    exception_id = fields.Many2one("distribution.exception", readonly=True)
    # price requests: the order's pricelist and its lines below the policy as approved
    # (id, product, unit, quantity, unit price, discount), see sale_order_price_hold.py
    pricelist_id = fields.Many2one("product.pricelist", readonly=True)
    price_lines = fields.Json(readonly=True, copy=False)
    # for the lists, the overview and the analysis: which warehouse ships the order, how much
    # of the limit the request asked for
    warehouse_id = fields.Many2one(
        "stock.warehouse", related="sale_order_id.warehouse_id", store=True, index=True,
        string="Warehouse",
    )
    limit_used = fields.Float(
        "Limit Used", compute="_compute_limit_used",
        help="The customer's exposure at request time against the credit limit (1.0 = the "
        "whole limit; 0 without a limit).",
    )
    can_decide = fields.Boolean(
        "I Can Decide",
        compute="_compute_can_decide",
        search="_search_can_decide",
        help="Pending, and the current user may decide it (tier group, segregation of duties).",
    )
    waiting_for = fields.Char(
        compute="_compute_waiting_for",
        help="Who may decide the request now.",
    )

    @api.depends_context("uid")
    def _compute_can_decide(self):
        user = self.env.user
        for req in self:
            req.can_decide = req.state == "pending" and not req.sudo()._refusal(user)

    def _search_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search “I Can Decide” with = or != and true or false."))
        decidable = self._can_decide_domain(self.env.user)
        if (operator == "=") == value:
            return decidable
        return ["!", *expression.normalize_domain(decidable)]

    @api.model
    def _can_decide_domain(self, user):
        """The requests `user` may decide now: pending, and none of the reasons of _refusal,
        in SQL (the search of can_decide, the systray's count). The reasons are read as
        _refusal reads them, whatever the user may read of orders and decisions; the search
        it serves applies the user's record rules to the requests themselves."""
        refused = self.sudo()._search(
            expression.AND([[("state", "=", "pending")], self._refusal_domain(user)])
        )
        return [("state", "=", "pending"), ("id", "not in", refused)]

    @api.model
    def _refusal_domain(self, user):
        """The requests _refusal refuses `user`, one term per reason (a test holds the two
        together): requester; the order's salesperson now or its creator (the salesperson at
        request time for a request without order); a changer while pending; outside the
        tier's group; already decided."""
        uid = user.id
        # the user's orders are looked for among the orders of pending requests (those of the
        # outer search), not among every order
        own_orders = [
            ("dg_approval_request_ids", "any", [("state", "=", "pending")]),
            "|",
            ("user_id", "=", uid),
            ("create_uid", "=", uid),
        ]
        return expression.OR(
            [
                [("requester_id", "=", uid)],
                [("sale_order_id", "any", own_orders)],
                [("sale_order_id", "=", False), ("salesperson_id", "=", uid)],
                [("changed_by_ids", "in", [uid])],
                self._dg_outside_tier_domain(user),
                [("decision_ids", "any", [("user_id", "=", uid)])],
            ]
        )

    @api.depends("state", "decision_ids", "changed_by_ids")
    def _compute_waiting_for(self):
        approvers = self.filtered(lambda r: r.state == "pending")._approvers_by_request()
        for req in self:
            names = approvers[req].mapped("name") if req in approvers else []
            req.waiting_for = ", ".join(names) or False

    @api.depends("exposure_total", "credit_limit")
    def _compute_limit_used(self):
        for req in self:
            req.limit_used = (
                req.exposure_total / req.credit_limit if req.credit_limit > 0 else 0.0
            )

    @api.depends("decision_ids.decision")
    def _compute_approvals_count(self):
        for req in self:
            req.approvals_count = len(req.decision_ids.filtered(lambda d: d.decision == "approve"))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_("Approval requests are created by the credit-hold workflow."))
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "distribution.approval.request"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("Approval requests change through Approve / Reject only."))
        return super().write(vals)

    def unlink(self):
        raise UserError(_("Approval requests are kept for the audit trail; cancel them instead."))

    def init(self):
        # can_decide's search looks for the orders of pending requests the user created
        # (_refusal_domain): an index on Odoo's table, dropped by the uninstall hook
        create_index(self.env.cr, "sale_order_dg_create_uid_idx", "sale_order", ["create_uid"])
        # Requests made before approvals were bound to facts: bind them to their order as it
        # is, so an approval given then keeps covering the unchanged order after the upgrade.
        self.env.cr.execute(
            """
            UPDATE distribution_approval_request r
               SET order_partner_id = p.commercial_partner_id,
                   order_currency_id = o.currency_id,
                   order_amount = o.amount_total
              FROM sale_order o
              JOIN res_partner p ON p.id = o.partner_id
             WHERE o.id = r.sale_order_id AND r.order_currency_id IS NULL
            """
        )

    # ------------------------------------------------------------------ rights

    def _refusal(self, user):
        """Why `user` may not decide this request, or None. Judged from the facts of now: the
        requester, the order's current salesperson, its creator, and whoever changed its
        customer or lines while the request waited are not the ones to decide."""
        self.ensure_one()
        order = self.sudo().sale_order_id
        if user == self.requester_id:
            return "self_approval_refused", _("You requested this approval: another approver must decide it.")
        if order and user == order.user_id:
            return "self_approval_refused", _(
                "You are the salesperson of %s: another approver must decide it.", order.name
            )
        if not order and self.salesperson_id and user == self.salesperson_id:
            return "self_approval_refused", _(
                "You are the salesperson of %s: another approver must decide it.", self.document_ref
            )
        if order and user == order.create_uid:
            return "self_approval_refused", _(
                "You created %s: another approver must decide it.", order.name
            )
        if user in self.changed_by_ids:
            return "self_approval_refused", _(
                "You changed %s while this request was waiting: another approver must decide it.",
                order.name or self.document_ref,
            )
        if self._dg_outside_tier(user):
            return "unauthorized_refused", _(
                "Deciding this request needs the group “%s”.", self.approver_group_id.full_name
            )
        if user.id in self.decision_ids.user_id.ids:
            return None, _("You already decided this request.")
        return None

    # The tier's authority, apart from the other reasons (delegation adds to it, see
    # distribution_approval_delegation.py): a user outside the tier's group, and its SQL twin.
    def _dg_outside_tier(self, user):
        self.ensure_one()
        return bool(self.approver_group_id and self.approver_group_id not in user.groups_id)

    @api.model
    def _dg_outside_tier_domain(self, user):
        return [("approver_group_id", "!=", False), ("approver_group_id", "not in", user.groups_id.ids)]

    def _dg_decider_name(self):
        """Who decides, as the chatter names them (a delegate: on whose behalf)."""
        return self.env.user.name

    def _dg_covers(self, order):
        """The request was made for the order as it is now: same order, customer, invoiced
        customer, company, currency, and a total within its amount ceiling."""
        self.ensure_one()
        if self.sale_order_id != order:
            return False
        if self.kind == "price_override":
            return order._dg_price_covers(self)
        facts = order._dg_facts()
        return (
            facts["order_partner_id"] == self.order_partner_id.id
            and facts["partner_id"] == self.partner_id.id
            and facts["company_id"] == self.company_id.id
            and facts["order_currency_id"] == self.order_currency_id.id
            and order.currency_id.compare_amounts(order.amount_total, self.order_amount) <= 0
        )

    def _lock_pending(self):
        """Lock the row for the decision; a concurrent decider waits, then finds it decided
        (REPEATABLE READ makes Odoo retry its call, which then sees the new state)."""
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT state FROM distribution_approval_request WHERE id = %s FOR UPDATE", self.id)
        )
        row = self.env.cr.fetchone()
        self.invalidate_recordset()
        if not row or row[0] != "pending":
            decided = self.decision_ids[-1:]
            raise UserError(
                _(
                    "%(ref)s is no longer pending: it was %(state)s%(by)s.",
                    ref=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env)).get(
                        row[0] if row else "", _("removed")
                    ),
                    by=_(" by %s", decided.user_id.name) if decided else "",
                )
            )

    def _check_can_decide(self):
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        refusal = self._refusal(user)
        if refusal:
            event, message = refusal
            if event:
                self.env["distribution.audit.log"]._record_in_own_transaction(event, self, message)
            raise AccessError(message) if event else UserError(message)
        order = self.sudo().sale_order_id
        if order and self.state == "pending" and not self._dg_covers(order):
            # changes cancel such requests as they happen; this only guards the decision
            raise UserError(
                _("%(order)s changed since %(req)s was requested: it needs a new request.",
                  order=order.name, req=self.name)
            )

    # ------------------------------------------------------------------ decisions

    def _check_decidable(self):
        """Before any write: the requests exist, the user may decide each, each is pending.
        A batch is decided whole or not at all."""
        if not self:
            raise UserError(_("Select at least one approval request."))
        if not all(input_checks.is_id(id_) for id_ in self._ids):
            raise UserError(_("Approval requests are designated by their ids."))
        if len(self) > input_checks.MAX_IDS:
            raise UserError(_("Too many requests at once (at most %s).", input_checks.MAX_IDS))
        if len(self.exists()) != len(self):
            raise MissingError(_("Some of these requests no longer exist; reload the page."))
        for req in self:
            req._check_can_decide()
            req._lock_pending()

    def action_approve(self, reason=None):
        """Approve (a reason is optional); returns the notification the approver sees."""
        reason = input_checks.text(self.env, reason, _("The reason"))
        self._check_decidable()
        messages = []
        for req in self:
            req.sudo().write(
                {
                    "decision_ids": [
                        (0, 0, {"user_id": self.env.uid, "decision": "approve", "reason": reason or False})
                    ]
                }
            )
            self.env["distribution.audit.log"]._record(
                "approve", request=req, reason=reason or False
            )
            req._message_log(
                body=_("Approved by %(user)s. %(reason)s", user=req._dg_decider_name(), reason=reason or ""),
            )
            req._close_activities(self.env.user)
            if req.approvals_count >= req.approvals_required:
                messages.append(req._finalize_approval())
            else:
                req._notify_approvers(_("Second approval needed: %s", req.document_ref))
                messages.append(
                    _(
                        "%(req)s: your approval is recorded; %(left)s more approver(s) needed.",
                        req=req.name,
                        left=req.approvals_required - req.approvals_count,
                    )
                )
        return self._decision_notification(_("Approved"), messages, "success")

    def action_reject(self, reason):
        """Reject with a reason; returns the notification the approver sees."""
        reason = input_checks.text(self.env, reason, _("The reason"))
        if not reason:
            raise UserError(_("Give a reason to reject the request."))
        self._check_decidable()
        messages = []
        for req in self:
            now = fields.Datetime.now()
            req.sudo().write(
                {
                    "state": "rejected",
                    "decided_at": now,
                    "decision_ids": [
                        (0, 0, {"user_id": self.env.uid, "decision": "reject", "reason": reason})
                    ],
                }
            )
            self.env["distribution.audit.log"]._record("reject", request=req, reason=reason)
            req._close_activities()
            messages.append(req._on_rejected(reason) or _("%s rejected.", req.name))
        return self._decision_notification(_("Rejected"), messages, "warning")

    @api.model
    def _decision_notification(self, title, messages, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": "\n".join(messages),
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _finalize_approval(self):
        self.ensure_one()
        now = fields.Datetime.now()
        validity = self.policy_id.validity_hours or self.company_id.dg_approval_validity_hours or 72
        self.sudo().write(
            {"state": "approved", "decided_at": now, "approved_until": now + timedelta(hours=validity)}
        )
        self._close_activities()
        return self._on_approved() or _("%s approved.", self.name)

    def _close_activities(self, user=None):
        """The decision closes the to-dos it answers: one approver's, or everyone's."""
        activities = self.sudo().activity_ids.filtered(
            lambda a: not user or a.user_id == user
        )
        activities.unlink()

    # Hooks for the document the request is about. Approvers need no access to sales orders:
    # the decision is checked above, so the order is updated as superuser (same uid, so the
    # trail and chatter still name the approver). They return what the approver is told.
    def _on_approved(self):
        if self.sale_order_id and self.kind == "price_override":
            return self.sale_order_id.sudo()._dg_price_release(self)
        if self.sale_order_id:
            return self.sale_order_id.sudo()._dg_release_hold(self)
        return None

    def _on_rejected(self, reason):
        if self.sale_order_id and self.kind == "price_override":
            return self.sale_order_id.sudo()._dg_price_reject(self, reason)
        if self.sale_order_id:
            return self.sale_order_id.sudo()._dg_reject_hold(self, reason)
        return None

    # ------------------------------------------------------------------ form buttons

    def action_open_decision(self):
        """Approve / Reject from the request form (where the approver's to-do leads): a dialog
        for the reason, then the decision."""
        input_checks.one_record(self, _("Decide one request at a time."))
        self._check_can_decide()
        kind = self.env.context.get("dg_decision")
        if kind not in ("approve", "reject"):
            raise UserError(_("Choose Approve or Reject."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve %s", self.name) if kind == "approve" else _("Reject %s", self.name),
            "res_model": "distribution.approval.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"dg_request_id": self.id, "dg_decision": kind},
        }

    # ------------------------------------------------------------------ justification

    def _dg_justify_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Request price approval for %s", self.document_ref)
            if self.kind == "price_override"
            else _("Request credit approval for %s", self.document_ref),
            "res_model": "distribution.credit.justify.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"dg_request_id": self.id},
        }

    def action_justify(self, justification):
        """The requester's justification, once, while the request waits: kept on the request,
        in the audit log and in the approvers' to-dos."""
        justification = input_checks.text(self.env, justification, _("The justification"), required=True)
        input_checks.one_record(self, _("Justify one approval request at a time."))
        self.check_access("read")
        if self.requester_id != self.env.user:
            raise AccessError(
                _("Only %s, who requested it, can justify this request.", self.requester_id.name)
            )
        if self.state != "pending":
            raise UserError(_("%s is no longer pending.", self.name))
        if self.reason:
            raise UserError(_("%s is already justified.", self.name))
        self.sudo().write({"reason": justification})
        self.env["distribution.audit.log"]._record("justify", request=self, reason=justification)
        self._message_log(body=_("Justification: %s", justification))
        if self.sale_order_id:
            self.sale_order_id.sudo()._message_log(
                body=_(
                    "%(kind)s approval %(req)s justified: %(text)s",
                    kind=selection_label(self, "kind"),
                    req=self.name,
                    text=justification,
                )
            )
        note = self._activity_note()
        self.sudo().activity_ids.write({"note": note})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Request sent"),
                "message": _(
                    "%(req)s waits for: %(who)s.",
                    req=self.name,
                    who=self.waiting_for or _("nobody yet, ask your administrator to name an approver"),
                ),
                "type": "info",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _activity_note(self):
        parts = [self.hold_reason or ""]
        if self.reason:
            parts.append(_("Justification: %s", self.reason))
        return "\n".join(p for p in parts if p)

    # ------------------------------------------------------------------ notifications

    def _approvers_by_request(self):
        """{request: its _approvers()} for a batch (a page of the inbox); overridden to read
        what the batch shares once."""
        return {req: req.sudo()._approvers() for req in self}

    def _approvers(self):
        """Who may decide the request now (tier group, company, segregation of duties)."""
        self.ensure_one()
        group = self.approver_group_id or self.env.ref(
            "distribution_governance.group_override_approver"
        )
        return group.users.filtered(
            lambda u: u.active
            and not u.share
            and self.company_id in u.company_ids
            and not self._refusal(u)
        )

    def _notify_approvers(self, summary):
        self.ensure_one()
        waiting = self.sudo().activity_ids.user_id
        for user in self._approvers() - waiting:
            # due today: the order waits for it
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                note=self._activity_note(),
                user_id=user.id,
            )

    # ------------------------------------------------------------------ expiry

    @api.model
    def _cron_expire(self):
        """Approvals past their validity expire; their order goes back on hold if it still
        needs the approval (not yet confirmed / delivered). Each request is locked for the
        run (see lock_free_rows): parallel runs never expire one twice."""
        now = fields.Datetime.now()
        self.flush_model(["state", "approved_until"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM distribution_approval_request
                 WHERE state = 'approved' AND approved_until < %s
                 ORDER BY id
                """,
                now,
            )
        )
        expired = lock_free_rows(self.sudo().browse([r[0] for r in self.env.cr.fetchall()]))
        for req in expired:
            req.write({"state": "expired"})
            self.env["distribution.audit.log"]._record(
                "expire", request=req, user=self.env.ref("base.user_root")
            )
            if req.sale_order_id:
                req.sale_order_id._dg_on_approval_expired(req)
        return expired

    # ------------------------------------------------------------------ UI read API

    def _ui_row(self, full=True):
        """One request as the credit panel shows it. `full` rows carry figures, the
        justification and the decisions' reasons (credit roles, and a salesperson reading
        their own order); the others say only where the request stands."""
        self.ensure_one()
        refusal = self._refusal(self.env.user) if self.state == "pending" else None
        row = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "state": self.state,
            "state_label": selection_label(self, "state"),
            "requester": self.requester_id.name,
            "approvals_count": self.approvals_count,
            "approvals_required": self.approvals_required,
            "requested_at": fields.Datetime.to_string(self.create_date),
            "waiting_for": self.waiting_for or "",
            "can_decide": self.state == "pending" and not refusal,
            "full": full,
        }
        if not full:
            return row
        return dict(
            row,
            document=self.document_ref,
            sale_order_id=self.sale_order_id.id or False,
            partner=self.partner_id.display_name or False,
            amount=self.amount,
            currency_id=self.currency_id.id,
            exposure_total=self.exposure_total,
            credit_limit=self.credit_limit,
            hold_reason=self.hold_reason or "",
            justification=self.reason or "",
            can_justify=self.state == "pending"
            and not self.reason
            and self.requester_id == self.env.user,
            decisions=[
                {
                    "user": d.user_id.name,
                    "decision": d.decision,
                    "label": selection_label(d, "decision"),
                    "reason": d.reason or "",
                    "at": fields.Datetime.to_string(d.decided_at),
                }
                for d in self.decision_ids
            ],
        )

    @api.model
    @api.readonly
    def get_pending_count(self):
        """The systray's count of requests waiting for the user's decision: what To Decide
        lists, for the credit approvers."""
        user = self.env.user
        if not (
            user.has_group("distribution_governance.group_override_approver")
            or user.has_group("sales_team.group_sale_manager")
        ):
            return 0
        return self.search_count([("can_decide", "=", True)])

    @api.model
    def _credit_audience(self, order):
        """What the current user reads of an order's credit: "credit" (credit approvers, sales
        managers, billing: figures, overdue invoices, the customer's decisions and reasons),
        "sales" (a salesperson who may read the order: its figures and its own request) or
        "status" (anyone else who may read the document: where the hold stands)."""
        user = self.env.user
        readable = self.env["sale.order"].browse(order.id).has_access("read")
        if readable and any(user.has_group(group) for group in CREDIT_GROUPS):
            return "credit"
        if readable and user.has_group("sales_team.group_sale_salesman"):
            return "sales"
        return "status"

    @api.model
    def _dg_panel_document(self, res_model, res_id, models, refusal, governance=True):
        """The document a panel of `models` sits in, which the user may read: None for the
        form of a record not saved yet and, with `governance`, for a user without a governance
        role (checked before the document is looked at); `refusal` for another model."""
        if not isinstance(res_model, str) or res_model not in models:
            raise UserError(refusal)
        if res_id in (None, False, 0):  # a form of a record not saved yet
            return None
        res_id = input_checks.record_id(self.env, res_id, _("The document id is not valid."))
        if governance and not self.env.user.has_group(
            "distribution_governance.group_exception_user"
        ):
            return None
        document = self.env[res_model].browse(res_id).exists()
        if not document:
            raise UserError(_("This document no longer exists."))
        document.check_access("read")
        return document

    @api.model
    @api.readonly
    def get_panel_data(self, res_model, res_id):
        """Everything the credit panel of a sale order, its delivery or an approval request
        shows, in one call, limited to what the user may read (see _credit_audience): the
        order's credit, whichever of its documents the panel sits in."""
        # A customer reading their own order through the portal (or any user without a
        # governance role) gets nothing.
        document = self._dg_panel_document(
            res_model, res_id, PANEL_MODELS,
            _("The credit panel is shown on sales orders, transfers and approval requests only."),
        )
        if not document:
            return {"visible": False}
        order = PANEL_MODELS[res_model](document.sudo())
        if not order:
            return {"visible": False}
        order = order.sudo()
        company = order.company_id
        credit_control = company.account_use_credit_limit and company.dg_credit_hold_active
        if not credit_control and order.dg_credit_hold == "none":
            return {"visible": False}
        audience = self._credit_audience(order)
        requests = order._dg_requests().sorted("id")
        current = requests.filtered(lambda r: r.state == "pending")[-1:] or requests[-1:]
        request_row = current._ui_row(full=audience != "status") if current else False
        data = {
            "visible": True,
            "audience": audience,
            "order_id": order.id,
            "order_name": order.name,
            "hold_state": order.dg_credit_hold,
            "hold_label": selection_label(order, "dg_credit_hold"),
            "hold_point": company.dg_credit_hold_point,
            "status": self._hold_status(order, current),
            # something for this reader to look at or do: the panel opens on it; otherwise it
            # is one line
            "attention": order.dg_credit_hold in ("on_hold", "rejected")
            or bool(request_row and (request_row["can_decide"] or request_row.get("can_justify"))),
            "next_step": order._dg_next_step_after_rejection()
            if order.dg_credit_hold == "rejected" and audience != "status"
            else "",
            "partner": order._dg_credit_customer().display_name,
            "hold_reason": "",
            "exposure": False,
            "overdue_invoices": [],
            "history": [],
            "request": request_row,
        }
        if audience == "status":
            # not even which order: the user may not read it
            return dict(data, order_name="", partner="")
        hold_reason = order.dg_hold_reason or ""
        exposure = None
        if order.dg_credit_hold == "none" and order.state in ("draft", "sent"):
            # a quotation the engine would hold when confirmed: say so before the click (in
            # place of Odoo's credit-limit banner, which the form then hides)
            would_hold, exposure = order._dg_hold_reason()
            if would_hold:
                hold_reason = would_hold
                data.update(attention=True, status=self._confirm_status(company))
        if not exposure:
            exposure = self.env["res.partner"]._dg_credit_exposure(
                order._dg_credit_customer(), company, order
            )
        data.update(hold_reason=hold_reason, exposure=exposure)
        if audience == "credit":
            data.update(
                overdue_invoices=self._overdue_rows(order, exposure),
                history=self._history_rows(order),
            )
        return data

    @api.model
    @api.readonly
    def get_price_panel_data(self, res_model, res_id):
        """The price panel of a sale order or of a price request: the order's lines against
        the pricing policy (sale.order._dg_price_panel), for a reader of the document who
        may read the order."""
        document = self._dg_panel_document(
            res_model, res_id, ("sale.order", self._name),
            _("The price panel is shown on sales orders and approval requests only."),
            governance=False,
        )
        if not document:
            return {"visible": False}
        order = PANEL_MODELS[res_model](document.sudo()).with_env(self.env)
        if not order or not order.has_access("read"):
            return {"visible": False}
        return order._dg_price_panel()

    @api.model
    def _confirm_status(self, company):
        """What confirming a quotation the engine would hold does (the why: its hold reason)."""
        if company.dg_credit_hold_point == "delivery":
            return _(
                "Confirming puts the order's deliveries on credit hold until a credit approver "
                "releases them."
            )
        return _("Confirming puts the order on credit hold until a credit approver releases it.")

    @api.model
    def _hold_status(self, order, request):
        """One sentence on where the hold stands, for every reader of the panel."""
        state = order.dg_credit_hold
        if state == "on_hold":
            if request and request.state == "pending" and request.waiting_for:
                return _("On credit hold, waiting for approval by: %s.", request.waiting_for)
            if request and request.state == "pending":
                return _(
                    "On credit hold: nobody may approve it yet (no user of “%s” who did not ask "
                    "for it or sell it). Ask your administrator to name an approver.",
                    request.approver_group_id.name or "",
                )
            return _("On credit hold: confirm the order to request a credit approval.")
        if state == "rejected":
            return _("Credit hold upheld: a credit approver rejected the request.")
        if state == "released":
            return _("Credit hold released by a credit approver.")
        return ""

    @api.model
    def _overdue_rows(self, order, exposure):
        moves = self.env["account.move"].sudo().search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("company_id", "=", order.company_id.id),
                ("commercial_partner_id", "=", order._dg_credit_customer().id),
                ("amount_residual_signed", ">", 0),
                ("invoice_date_due", "<", exposure["overdue_before"]),
            ],
            order="invoice_date_due asc",
            limit=5,
        )
        return [
            {
                "id": m.id,
                "name": m.name,
                "due": fields.Date.to_string(m.invoice_date_due),
                "residual": m.amount_residual_signed,
            }
            for m in moves
        ]

    @api.model
    def _history_rows(self, order):
        history = self.env["distribution.audit.log"].sudo().search(
            [
                ("partner_id", "=", order._dg_credit_customer().id),
                ("company_id", "=", order.company_id.id),
                ("event", "in", ("approve", "reject", "expire", "rehold", "void")),
                # the customer's credit decisions, not those of the other kinds of approval
                "|",
                ("request_id", "=", False),
                ("request_id.kind", "=", "credit_override"),
            ],
            limit=5,
        )
        return [
            {
                "event_code": h.event,
                "event": selection_label(h, "event"),
                "document": h.document_ref or "",
                "user": h.user_id.name,
                "at": fields.Datetime.to_string(h.create_date),
                "amount": h.amount,
                "reason": h.reason or "",
            }
            for h in history
        ]
