"""The credit hold: one decision for every way an order becomes confirmed or grows.

Paths that lead to a confirmed order (see readme/USAGE.md, "Guarded paths"):
- `action_confirm` (button, RPC, portal signature, payment): decided before Odoo confirms;
- a write of `state = 'sale'` from any state, and a create of an order already confirmed
  (RPC, import, `copy(default=...)`, `default_state` in the context): refused while a hold is
  needed (hold at confirmation) or held at once (hold at delivery);
- a confirmed order that grows (lines added or raised, taxes) or changes its customer, invoice
  address, company, currency: decided again, so a confirmed order is held before it ships;
- a delivery of a held order: every validation path ends in `stock.picking._action_done`, and
  the order is found through the picking, its moves' sale lines and its procurement group,
  links that cannot be cut while the order is held (models/stock_picking.py).

An approval holds for the facts it was given (order, customer, invoice address, company,
currency, amount ceiling, validity); an order leaving them voids it, logged, and the decision
is made again. The hold fields are written by this engine only.
"""

from contextlib import contextmanager

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount
from odoo.tools.misc import clean_context

# Written by the engine only (as superuser), refused to every user on write, create (values
# and default_* context keys), copy and import.
HOLD_FIELDS = ("dg_credit_hold", "dg_hold_reason")
# The order's facts an approval is bound to, besides its id and amount ceiling.
FACT_FIELDS = ("partner_id", "partner_invoice_id", "company_id", "currency_id", "pricelist_id")
# What changes the amount or the goods of a line.
LINE_FIELDS = ("product_id", "product_uom_qty", "product_uom", "price_unit", "discount", "tax_id")
# Who reads credit figures, overdue invoices and decision reasons of any order they may read.
CREDIT_GROUPS = (
    "distribution_governance.group_override_approver",
    "sales_team.group_sale_manager",
    "account.group_account_invoice",
)
HOLD_READERS = "sales_team.group_sale_salesman," + ",".join(CREDIT_GROUPS)


def refuse_engine_fields(model, vals_list, fields, message):
    """Refuse the engine's `fields` in values or as default_* context keys, for every user but
    the superuser; `message` names them (%s), or is a function giving that text (translated
    only when a write is refused: the hot paths' writes all pass here)."""
    if model.env.su:
        return
    keys = set()
    for vals in vals_list:
        keys |= set(vals)
    keys |= {key[len("default_"):] for key in model.env.context if key.startswith("default_")}
    forbidden = sorted(keys & set(fields))
    if forbidden:
        raise AccessError((message() if callable(message) else message) % ", ".join(forbidden))


def refuse_hold_fields(model, vals_list):
    """The credit hold's fields are the engine's."""
    refuse_engine_fields(
        model,
        vals_list,
        HOLD_FIELDS,
        model.env._(
            "The credit hold is decided by the system and the credit approvers: %s cannot "
            "be set."
        ),
    )


class SaleOrderCreditHold(models.Model):
    _inherit = "sale.order"

    dg_credit_hold = fields.Selection(
        [
            ("none", "No hold"),
            ("on_hold", "On credit hold"),
            ("released", "Released"),
            ("rejected", "Credit hold upheld"),
        ],
        string="Credit Hold",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    # The reason names credit figures: not for customers on the portal nor warehouse staff.
    dg_hold_reason = fields.Text("Hold Reason", copy=False, readonly=True, groups=HOLD_READERS)
    # Read over RPC by governance users only (and their record rules); the engine reads them
    # as superuser, so a billing user confirming an order over credit is held like anyone.
    dg_approval_request_ids = fields.One2many(
        "distribution.approval.request",
        "sale_order_id",
        string="Approval Requests",
        groups="distribution_governance.group_exception_user",
    )
    dg_credit_request_pending = fields.Boolean(
        "Credit Approval Pending",
        compute="_compute_dg_credit_request_pending",
        help="An approval request for the order as it is now waits for a credit approver.",
    )

    @api.depends(
        "dg_credit_hold", "dg_approval_request_ids.state", "amount_total", "partner_id",
        "partner_invoice_id", "currency_id", "company_id",
    )
    def _compute_dg_credit_request_pending(self):
        for order in self:
            order.dg_credit_request_pending = bool(order.sudo()._dg_pending_requests())

    # ------------------------------------------------------------------ facts

    def _dg_credit_customer(self):
        """Whose credit is at stake: the commercial entity the order is invoiced to."""
        self.ensure_one()
        return (self.partner_invoice_id or self.partner_id).commercial_partner_id

    def _dg_facts(self):
        self.ensure_one()
        return {
            "order_partner_id": self.partner_id.commercial_partner_id.id,
            "partner_id": self._dg_credit_customer().id,
            "company_id": self.company_id.id,
            "order_currency_id": self.currency_id.id,
        }

    def _dg_lines_signature(self):
        self.ensure_one()
        return sorted(
            (
                line.id,
                line.product_id.id,
                line.product_uom_qty,
                line.product_uom.id,
                line.price_unit,
                line.discount,
                tuple(line.tax_id.ids),
            )
            for line in self.order_line
            if not line.display_type
        )

    def _dg_amount_company(self):
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total,
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _dg_requests(self, kind="credit_override"):
        """The order's requests of one kind (credit unless said): each kind is its own gate."""
        return self.sudo().with_context(active_test=False).dg_approval_request_ids.filtered(
            lambda r: r.kind == kind
        )

    def _dg_pending_requests(self):
        """Pending requests made for the order as it is now."""
        self.ensure_one()
        return self._dg_requests().filtered(lambda r: r.state == "pending" and r._dg_covers(self))

    def _dg_valid_approval(self):
        """The approval that covers the order as it is now: its facts, amount and validity."""
        self.ensure_one()
        now = fields.Datetime.now()
        return self._dg_requests().filtered(
            lambda r: r.state == "approved"
            and r.approved_until
            and r.approved_until > now
            and r._dg_covers(self)
        ).sorted("id")[-1:]

    # ------------------------------------------------------------------ the decision

    def _dg_hold_reason(self):
        """(reason, exposure) when the order needs a credit approval it does not have, else
        (False, exposure). Reads only."""
        self.ensure_one()
        company = self.company_id
        if not (company.account_use_credit_limit and company.dg_credit_hold_active):
            return False, {}
        exposure = self.env["res.partner"]._dg_credit_exposure(
            self._dg_credit_customer(), company, self
        )
        reasons = []

        def money(amount):
            return format_amount(self.env, amount, company.currency_id)

        if exposure["credit_control"] and exposure["total"] > exposure["limit"]:
            reasons.append(
                _(
                    "Credit exposure %(total)s exceeds the limit %(limit)s "
                    "(receivables %(rec)s + other uninvoiced orders %(uninv)s + this order %(this)s).",
                    total=money(exposure["total"]),
                    limit=money(exposure["limit"]),
                    rec=money(exposure["receivables"]),
                    uninv=money(exposure["uninvoiced"]),
                    this=money(exposure["this_order"]),
                )
            )
        if exposure["overdue_count"]:
            reasons.append(
                _(
                    "%(count)s invoice(s) overdue by more than %(days)s days (%(amount)s).",
                    count=exposure["overdue_count"],
                    days=exposure["overdue_days"],
                    amount=money(exposure["overdue"]),
                )
            )
        if not reasons or self._dg_valid_approval():
            return False, exposure
        return "\n".join(reasons), exposure

    def init(self):
        super().init()
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS distribution_credit_lock (
                company_id integer NOT NULL,
                partner_id integer NOT NULL,
                decisions bigint NOT NULL DEFAULT 1,
                PRIMARY KEY (company_id, partner_id)
            )
            """
        )

    def _dg_serialize_credit(self):
        """Two decisions on one customer's credit at once (two orders confirmed in parallel,
        each within the limit alone) must not both pass on the same exposure. Each decision
        bumps the customer's row of distribution_credit_lock: the second waits for the first,
        then cannot serialize, and Odoo retries its request, which now sees the first order."""
        keys = sorted(
            {
                (order.company_id.id, order._dg_credit_customer().id)
                for order in self.sudo()
                if order.company_id.account_use_credit_limit and order.company_id.dg_credit_hold_active
            }
        )
        for company_id, partner_id in keys:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO distribution_credit_lock (company_id, partner_id) VALUES (%s, %s)
                    ON CONFLICT (company_id, partner_id)
                    DO UPDATE SET decisions = distribution_credit_lock.decisions + 1
                    """,
                    company_id,
                    partner_id,
                )
            )

    def _dg_credit_decide(self, event="request"):
        """The one hold decision, with its effects (as superuser, after the caller's checks):
        hold the order and request an approval, or lift a hold no longer needed. Returns the
        orders held."""
        self._dg_serialize_credit()
        held = self.browse()
        cleared = self.env.cr.cache.setdefault("dg_credit_cleared", {})
        for order in self.sudo():
            reason, exposure = order._dg_hold_reason()
            if reason:
                order._dg_put_on_hold(reason, exposure, event)
                held |= order
                cleared.pop(order.id, None)
                continue
            if order.dg_credit_hold in ("on_hold", "rejected"):
                order._dg_lift_hold()
            cleared[order.id] = order._dg_decision_key()
        return held

    def _dg_decision_key(self):
        self.ensure_one()
        return (tuple(self._dg_facts().items()), self.amount_total)

    def _dg_set_hold(self, state, reason=None):
        values = {"dg_credit_hold": state}
        if reason is not None:
            values["dg_hold_reason"] = reason
        self.sudo().with_context(clean_context(self.env.context)).write(values)

    def _dg_put_on_hold(self, reason, exposure, event="request"):
        self.ensure_one()
        order = self.sudo().with_context(clean_context(self.env.context))
        order._dg_cancel_requests(
            order._dg_requests().filtered(lambda r: r.state == "pending" and not r._dg_covers(order)),
            _("The order changed since the request."),
        )
        order._dg_set_hold("on_hold", reason)
        pending = order._dg_pending_requests()[:1]
        if pending:
            return pending
        amount = order._dg_amount_company()
        tier = self.env["distribution.approval.policy"].sudo()._tier_for(
            "credit_override", order.company_id, amount
        )
        request = self.env["distribution.approval.request"].sudo().with_context(
            clean_context(self.env.context)
        ).create(
            dict(
                order._dg_facts(),
                kind="credit_override",
                sale_order_id=order.id,
                document_ref=order.name,
                requester_id=self.env.uid,
                salesperson_id=order.user_id.id or False,
                currency_id=order.company_id.currency_id.id,
                amount=amount,
                order_amount=order.amount_total,
                exposure_receivables=exposure["receivables"],
                exposure_uninvoiced=exposure["uninvoiced"],
                exposure_this_order=exposure["this_order"],
                exposure_total=exposure["total"],
                credit_limit=exposure["limit"],
                overdue_amount=exposure["overdue"],
                hold_reason=reason,
                policy_id=tier.id,
                approver_group_id=tier.group_id.id,
                approvals_required=tier.approvals_required,
            )
        )
        # the exception is read by every governance user: it says what happened, not figures
        exception = self.env["distribution.exception"]._raise_exception(
            "credit_hold",
            f"credit_hold:sale.order:{order.id}",
            {
                "company_id": order.company_id.id,
                "partner_id": order.partner_id.id,
                "sale_order_id": order.id,
                "description": _(
                    "%(order)s is on credit hold until a credit approver decides %(request)s.",
                    order=order.name,
                    request=request.name,
                ),
            },
        )
        request.exception_id = exception
        self.env["distribution.audit.log"]._record(event, request=request, reason=reason)
        request._notify_approvers(_("Credit hold to decide: %s", order.name))
        order._message_log(
            body=_(
                "On credit hold, approval %(req)s requested: %(reason)s",
                req=request.name,
                reason=reason,
            ),
        )
        return request

    def _dg_lift_hold(self):
        """An order on hold that no longer needs an approval: released when an approval covers
        it, else cleared (back within credit), with its pending requests cancelled."""
        self.ensure_one()
        approval = self._dg_valid_approval()
        if approval:
            self._dg_set_hold("released")
            return
        self._dg_cancel_requests(
            self._dg_requests().filtered(lambda r: r.state == "pending"),
            _("No longer needed: the order is within the customer's credit."),
        )
        self._dg_set_hold("none", "")
        self.env["distribution.audit.log"]._record(
            "clear", order=self, reason=_("The order is within the customer's credit.")
        )
        self.env["distribution.exception"]._auto_resolve(
            [f"credit_hold:sale.order:{self.id}"],
            "paid",
            _("The order is within the customer's credit again."),
        )
        self._message_log(body=_("Credit hold lifted: the order is within the customer's credit."))

    def _dg_cancel_requests(self, requests, why):
        for request in requests:
            request.sudo().write({"state": "cancelled", "decided_at": fields.Datetime.now()})
            request._close_activities()
            self.env["distribution.audit.log"]._record("cancel", request=request, reason=why)
            request._message_log(body=_("Cancelled: %s", why))

    # ------------------------------------------------------------------ after a decision

    def _dg_notify_requester(self, request, body):
        # The order's chatter keeps a note for its readers; the requester is notified on the
        # request. Notifying anyone on the order itself would involve its customer (the portal
        # link of every order notification writes the customer's partner row), which must
        # neither hear of credit decisions nor serialize concurrent decisions.
        self._message_log(body=body)
        request.sudo().message_post(
            body=body,
            partner_ids=request.requester_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )

    def _dg_release_hold(self, request):
        """After the approval: released, and confirmed when the hold stood at confirmation.
        Returns what the approver is told."""
        self.ensure_one()
        self._dg_set_hold("released")
        self.env["distribution.audit.log"]._record("release", request=request)
        self.env["distribution.exception"]._auto_resolve(
            [f"credit_hold:sale.order:{self.id}"],
            "released",
            _("Released by %s", ", ".join(request.decision_ids.user_id.mapped("name"))),
        )
        self._dg_notify_requester(
            request, _("Credit hold released: %s is approved.", request.name)
        )
        if self.state in ("draft", "sent") and self.company_id.dg_credit_hold_point == "confirmation":
            self.sudo().action_confirm()
            if self.state == "sale":
                return _("%s released and confirmed.", self.name)
        if self.state == "sale":
            return _("%s released: its delivery can be validated.", self.name)
        return _("%s released: it can be confirmed.", self.name)

    def _dg_reject_hold(self, request, reason):
        self.ensure_one()
        self._dg_set_hold("rejected")
        exception = request.exception_id
        if exception.state in ("new", "in_progress"):
            rejected = exception.type_id.resolution_code_ids.filtered(lambda r: r.code == "rejected")
            exception.sudo().action_resolve(rejected.id, reason)
        self._dg_notify_requester(
            request,
            _(
                "Credit hold upheld: %(req)s was rejected (%(reason)s). %(next)s",
                req=request.name,
                reason=reason,
                next=self._dg_next_step_after_rejection(),
            ),
        )
        return _("%s: credit hold upheld. The requester is told.", self.name)

    def _dg_next_step_after_rejection(self):
        return _(
            "Next: collect a payment or reduce the order, then confirm it again to file a new "
            "request with a justification."
        )

    def _dg_on_approval_expired(self, request):
        """An approval past its validity: decided again when the order still needs it (not
        yet confirmed, or confirmed with goods still to deliver). Credit approvals only: the
        other kinds decide what their expiry does (their own override), and do nothing here."""
        self.ensure_one()
        if request.kind != "credit_override":
            return
        still_needed = self.state in ("draft", "sent") or (
            self.state == "sale"
            and any(
                p.state not in ("done", "cancel")
                for p in self.picking_ids
                if p.picking_type_code == "outgoing"
            )
        )
        if not still_needed or self.dg_credit_hold != "released":
            return
        reason, exposure = self._dg_hold_reason()
        if reason:
            self._dg_put_on_hold(
                _("The approval %(req)s expired. %(reason)s", req=request.name, reason=reason),
                exposure,
                event="rehold",
            )

    # ------------------------------------------------------------------ shipping

    def _dg_shipping_blocked(self):
        """Orders whose goods may not ship: on hold, hold upheld, or released on an approval
        that no longer covers them (expired, the order changed) while credit still needs one."""
        blocked = self.browse()
        for order in self.sudo():
            if order.dg_credit_hold in ("on_hold", "rejected"):
                blocked |= order
            elif order.dg_credit_hold == "released" and not order._dg_valid_approval():
                if order._dg_hold_reason()[0]:
                    blocked |= order
        return blocked

    def _dg_check_can_ship(self):
        blocked = self._dg_shipping_blocked()
        if blocked:
            # said to warehouse staff too: where the order stands, no credit figures
            raise UserError(
                _(
                    "%s is on credit hold: its delivery can be validated once a credit approver "
                    "releases it.",
                    ", ".join(blocked.mapped("name")),
                )
            )

    def _dg_check_links_kept(self):
        """Deliveries, moves and procurement groups stay linked to a held order."""
        blocked = self._dg_shipping_blocked()
        if blocked:
            raise UserError(
                _(
                    "%s is on credit hold: its deliveries stay linked to it until a credit "
                    "approver releases it.",
                    ", ".join(blocked.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ changes

    def _dg_credit_snapshot(self):
        return {
            order.id: (order._dg_facts(), order.amount_total, order._dg_lines_signature())
            for order in self.sudo()
        }

    @contextmanager
    def _dg_watch_credit(self):
        """Around a change of orders (or their lines): afterwards, act on what changed.
        Nested watches of the same orders (a line created inside an order's write) leave the
        work to the outermost one."""
        watching = self.env.cr.cache.setdefault("dg_credit_watch", set())
        # only orders whose credit can be at stake: confirmed, or with a hold or a request
        orders = self.sudo().filtered(
            lambda o: o.id
            and o.id not in watching
            and (o.state == "sale" or o.dg_credit_hold != "none")
        )
        before = orders._dg_credit_snapshot()
        watching.update(orders.ids)
        try:
            yield
            orders.exists()._dg_after_change(before)
        finally:
            watching.difference_update(orders.ids)

    def _dg_after_change(self, before):
        for order in self.sudo():
            facts, amount, lines = before[order.id]
            facts_changed = facts != order._dg_facts()
            lines_changed = lines != order._dg_lines_signature()
            if not (facts_changed or lines_changed):
                continue
            grew = facts_changed or order.currency_id.compare_amounts(order.amount_total, amount) > 0
            order._dg_on_change(facts, amount, facts_changed, grew)

    def _dg_requests_after_change(self, requests, what):
        """After a change of this order (`what` says it), its `requests` of any kind: whoever
        changes it while a request waits may not decide it (segregation of duties, logged); an
        approval that no longer covers the order is voided (logged); a pending request made
        for other facts is cancelled. Returns the voided approvals."""
        self.ensure_one()
        for request in requests.filtered(lambda r: r.state == "pending"):
            request.sudo().write({"changed_by_ids": [Command.link(self.env.uid)]})
            self.env["distribution.audit.log"]._record(
                "change_pending", request=request, order=self, reason=what
            )
        voided = requests.filtered(lambda r: r.state == "approved" and not r._dg_covers(self))
        for request in voided:
            request.sudo().write({"state": "voided"})
            self.env["distribution.audit.log"]._record("void", request=request, reason=what)
            request._message_log(body=_("Voided: %s", what))
        self._dg_cancel_requests(
            requests.filtered(lambda r: r.state == "pending" and not r._dg_covers(self)), what
        )
        return voided

    def _dg_on_change(self, old_facts, old_amount, facts_changed, grew):
        self.ensure_one()
        requests = self._dg_requests()
        what = self._dg_describe_change(old_facts, old_amount, facts_changed)
        voided = self._dg_requests_after_change(requests, what)
        if self.state == "sale" and (grew or voided or self.dg_credit_hold in ("on_hold", "rejected")):
            self._dg_credit_decide(event="rehold")
        elif voided and self.dg_credit_hold == "released":
            # not confirmed: the next confirmation decides again with the new facts
            self._dg_set_hold(
                "on_hold",
                _("The approval %(req)s no longer applies: %(what)s", req=voided[-1].name, what=what),
            )

    def _dg_describe_change(self, old_facts, old_amount, facts_changed):
        Partner = self.env["res.partner"].sudo()
        parts = []
        if facts_changed:
            new = self._dg_facts()
            labels = {
                "order_partner_id": _("customer"),
                "partner_id": _("invoiced customer"),
                "company_id": _("company"),
                "order_currency_id": _("currency"),
            }
            for key, label in labels.items():
                if old_facts[key] != new[key]:
                    if key in ("order_partner_id", "partner_id"):
                        parts.append(
                            _(
                                "%(what)s changed from %(old)s to %(new)s",
                                what=label,
                                old=Partner.browse(old_facts[key]).display_name,
                                new=Partner.browse(new[key]).display_name,
                            )
                        )
                    else:
                        parts.append(_("%s changed", label))
        if self.currency_id.compare_amounts(self.amount_total, old_amount):
            parts.append(
                _(
                    "amount changed from %(old)s to %(new)s",
                    old=format_amount(self.env, old_amount, self.currency_id),
                    new=format_amount(self.env, self.amount_total, self.currency_id),
                )
            )
        if not parts:
            parts.append(_("lines changed"))
        return _("%(order)s: %(changes)s.", order=self.name, changes="; ".join(parts))

    # ------------------------------------------------------------------ entry points

    @api.model_create_multi
    def create(self, vals_list):
        refuse_hold_fields(self, vals_list)
        if self.env.su:
            # a superuser flow never inherits a caller's default hold
            self = self.with_context(
                {k: v for k, v in self.env.context.items() if k[len("default_"):] not in HOLD_FIELDS}
            )
        orders = super().create(vals_list)
        # created confirmed (import, copy with a default state, RPC): the same decision
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            confirmed._dg_decide_confirmation()
        return orders

    def action_confirm(self):
        # The hold below writes as superuser and skips Odoo's confirmation, which would have
        # checked this: only who may change the order may confirm it (or get it held).
        self.check_access("write")
        # Under credit control, one order after the other: each decision sees the orders
        # confirmed before it (a batch of a customer's orders, each within the limit alone).
        controlled = self.filtered(
            lambda o: o.state in ("draft", "sent")
            and o.company_id.account_use_credit_limit
            and o.company_id.dg_credit_hold_active
        )
        held = self.browse()
        res = True
        confirming = self.env.cr.cache.setdefault("dg_credit_confirming", {})
        for order in controlled:
            if order._dg_credit_decide() and order.company_id.dg_credit_hold_point == "confirmation":
                held |= order
                continue
            # the write of the state below confirms this order alone, on the facts just decided:
            # _dg_decide_confirmation need not compute its exposure again (set here only, never
            # from a context a caller could pass)
            confirming[order.id] = order._dg_decision_key()
            try:
                res = super(SaleOrderCreditHold, order).action_confirm()
            finally:
                confirming.pop(order.id, None)
        rest = self - controlled
        if rest:
            res = super(SaleOrderCreditHold, rest).action_confirm()
        if held:
            return held._dg_held_action()
        return res

    def _dg_held_action(self):
        """What the user who confirmed sees: for one order, the request to justify; for a
        batch, a notification."""
        return self._dg_hold_notice(
            self._dg_pending_requests()[:1] if len(self) == 1 else self._dg_no_request(),
            _("On credit hold"),
            _(
                "%s stays a quotation until a credit approver releases the hold.",
                ", ".join(self.mapped("name")),
            ),
        )

    def _dg_no_request(self):
        return self.env["distribution.approval.request"]

    def _dg_hold_notice(self, request, title, message):
        """The requester of one held order justifies his `request`; anyone else reads
        `message` in a notification and the form reloads."""
        if request and request.requester_id == self.env.user and not request.reason:
            return request._dg_justify_action()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _dg_decide_confirmation(self, before_write=False):
        """Orders that became confirmed without action_confirm's decision (a write of the
        state, a create): with the hold at confirmation, a needed hold refuses the change;
        at delivery, the order is held. Before the write, an order the decision just cleared in
        this transaction, unchanged since, is not computed again. After it, a batch confirmed at
        once is decided again so that its orders see each other; one order confirmed alone by
        action_confirm, cleared by its decision just before and unchanged since, is not (no other
        order became confirmed in between: its exposure is the one just computed)."""
        cleared = self.env.cr.cache.get("dg_credit_cleared", {})
        confirming = self.env.cr.cache.get("dg_credit_confirming", {})

        def decided(order):
            key = order._dg_decision_key()
            if cleared.get(order.id) != key:
                return False
            return before_write or (len(self) == 1 and confirming.get(order.id) == key)

        orders = self.filtered(lambda o: not decided(o))
        if not orders:
            return
        orders._dg_serialize_credit()
        for order in orders:
            if order.company_id.dg_credit_hold_point == "confirmation":
                reason, __ = order.sudo()._dg_hold_reason()
                if reason:
                    raise UserError(
                        _(
                            "%(order)s is on credit hold and cannot be confirmed until a credit "
                            "approver releases it. Use Confirm to request an approval.",
                            order=order.name,
                        )
                    )
            else:
                order._dg_credit_decide()

    def write(self, vals):
        refuse_hold_fields(self, [vals])
        becoming_confirmed = self.browse()
        if vals.get("state") == "sale":
            becoming_confirmed = self.filtered(lambda o: o.state != "sale")
            # refused before anything is written (and again below on the values written)
            becoming_confirmed.filtered(
                lambda o: o.company_id.dg_credit_hold_point == "confirmation"
            )._dg_decide_confirmation(before_write=True)
        if set(vals) & (set(FACT_FIELDS) | {"order_line"}):
            with self._dg_watch_credit():
                res = super().write(vals)
        else:
            res = super().write(vals)
        if becoming_confirmed:
            becoming_confirmed._dg_decide_confirmation()
        return res


class SaleOrderLineCreditHold(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if isinstance(vals.get("order_id"), int)}
        )
        with orders._dg_watch_credit():
            return super().create(vals_list)

    def write(self, vals):
        if not set(vals) & set(LINE_FIELDS + ("order_id",)):
            return super().write(vals)
        with (self.order_id | self.env["sale.order"].browse(vals.get("order_id") or []))._dg_watch_credit():
            return super().write(vals)

    def unlink(self):
        with self.order_id._dg_watch_credit():
            return super().unlink()


class ResPartnerCreditHold(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        # Moving a customer under another company (or making it one) changes whose credit its
        # orders draw on, without any write on the orders: their approvals are bound to the
        # old debtor, so the orders are watched like a change of customer on the order.
        if not {"parent_id", "is_company"} & set(vals):
            return super().write(vals)
        orders = self.env["sale.order"].sudo().search(
            [
                ("state", "in", ("draft", "sent", "sale")),
                "|",
                ("partner_id", "child_of", self.ids),
                ("partner_invoice_id", "child_of", self.ids),
            ]
        )
        with orders._dg_watch_credit():
            return super().write(vals)
