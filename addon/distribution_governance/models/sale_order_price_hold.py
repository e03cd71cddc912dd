"""Pricing governance: a line priced below the policy holds its order until a price approver
approves it. The same approval engine as the credit hold (distribution.approval.request, its
tiers, decisions, segregation of duties and audit log), another kind: `price_override`.

A line is below the policy when its net unit price (price less discount) is further below its
pricelist price than the company's allowed discount, or when its margin over the product's cost
is under the company's margin floor.

Paths that lead to a confirmed order with such a line (see readme/USAGE.md, "Pricing
governance"), each meeting the one decision of _dg_price_decide:
- `action_confirm`: an order below the policy is held and a request filed, not confirmed;
- a write of `state = 'sale'` and a create of a confirmed order (RPC, copy, import, default_state
  in the context): refused while an approval is needed;
- lines added, re-priced or discounted, pricelist / currency / customer changes on a confirmed
  order: decided again (held, its deliveries blocked) — on a quotation, the approval is voided
  and the next confirmation decides;
- back to quotation and confirm again: the approval covers the order only as approved.

An approval is bound to the order, its customer, invoiced customer, company, currency, pricelist
and its lines below the policy as approved (product, unit, quantity, price, discount) within its
validity: a line leaving them voids it, logged.
"""

from contextlib import contextmanager

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount
from odoo.tools.misc import clean_context

from .credit_hold import refuse_engine_fields

PRICE_HOLD_FIELDS = ("dg_price_hold",)
# Who reads margins and costs: those who decide prices.
PRICE_READERS = "sales_team.group_sale_manager,distribution_governance.group_override_approver"
KIND = "price_override"


def refuse_price_hold_fields(model, vals_list):
    """The price hold is the engine's."""
    refuse_engine_fields(
        model,
        vals_list,
        PRICE_HOLD_FIELDS,
        model.env._(
            "The price hold is decided by the system and the price approvers: %s cannot be set."
        ),
    )


class SaleOrderLinePrice(models.Model):
    _inherit = "sale.order.line"

    dg_pricelist_price = fields.Float(
        "Pricelist Price",
        compute="_compute_dg_price_check",
        digits="Product Price",
        help="The unit price the order's pricelist gives this line, in the order's currency.",
    )
    dg_price_deviation = fields.Float(
        "Below Pricelist (%)",
        compute="_compute_dg_price_check",
        help="How far the net unit price (after discount) is below the pricelist price.",
    )
    dg_price_flag = fields.Selection(
        [("ok", "Within policy"), ("discount", "Below the allowed discount"),
         ("margin", "Below the margin floor")],
        string="Price Check",
        compute="_compute_dg_price_check",
    )
    dg_margin_percent = fields.Float(
        "Margin (%)",
        compute="_compute_dg_price_check",
        groups=PRICE_READERS,
        help="The net unit price over the product's cost (converted to the order's currency).",
    )

    @api.depends(
        "product_id", "product_uom", "product_uom_qty", "price_unit", "discount",
        "order_id.pricelist_id", "order_id.currency_id", "order_id.company_id",
    )
    def _compute_dg_price_check(self):
        for line in self:
            check = line.sudo()._dg_price_check()
            line.dg_pricelist_price = check["pricelist_price"]
            line.dg_price_deviation = check["deviation"]
            line.dg_price_flag = check["flag"]
            line.dg_margin_percent = check["margin"]

    def _dg_price_check(self):
        """The line against its company's pricing policy (reads only, any user: the caller
        decides what to show)."""
        self.ensure_one()
        order = self.order_id
        company = order.company_id or self.env.company
        none = {"pricelist_price": 0.0, "net": 0.0, "deviation": 0.0, "margin": 0.0,
                "cost": 0.0, "flag": "ok"}
        # not priced from the pricelist: down payments, expenses re-invoiced at cost, shipping
        # lines (their carrier prices them)
        if (
            self.display_type or not self.product_id or not self.product_uom
            or self.is_downpayment or self.is_expense or getattr(self, "is_delivery", False)
        ):
            return none
        currency = order.currency_id or company.currency_id
        pricelist_price = self.with_company(company)._get_pricelist_price()
        net = self.price_unit * (1.0 - (self.discount or 0.0) / 100.0)
        deviation = (pricelist_price - net) / pricelist_price * 100.0 if pricelist_price > 0 else 0.0
        cost = self.product_id.with_company(company).standard_price
        cost = self.product_id.uom_id._compute_price(cost, self.product_uom)
        cost = company.currency_id._convert(
            cost, currency, company, order.date_order or fields.Date.context_today(self)
        )
        margin = (net - cost) / net * 100.0 if net > 0 else (0.0 if not cost else -100.0)
        flag = "ok"
        if currency.compare_amounts(net, pricelist_price) < 0 and (
            deviation > company.dg_price_max_discount + 1e-6
        ):
            flag = "discount"
        elif cost > 0 and margin < company.dg_price_margin_floor - 1e-6:
            flag = "margin"
        return dict(pricelist_price=pricelist_price, net=net, deviation=deviation,
                    margin=margin, cost=cost, flag=flag)

    # ------------------------------------------------------------------ watched changes

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if isinstance(vals.get("order_id"), int)}
        )
        with orders._dg_watch_prices():
            return super().create(vals_list)

    def write(self, vals):
        if not set(vals) & {"product_id", "product_uom_qty", "product_uom", "price_unit",
                            "discount", "order_id"}:
            return super().write(vals)
        orders = self.order_id | self.env["sale.order"].browse(vals.get("order_id") or [])
        with orders._dg_watch_prices():
            return super().write(vals)

    def unlink(self):
        with self.order_id._dg_watch_prices():
            return super().unlink()


class SaleOrderPriceHold(models.Model):
    _inherit = "sale.order"

    dg_price_hold = fields.Selection(
        [
            ("none", "No price hold"),
            ("on_hold", "Price below policy"),
            ("released", "Price approved"),
            ("rejected", "Price refused"),
        ],
        string="Price Hold",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    dg_price_request_pending = fields.Boolean(
        "Price Approval Pending",
        compute="_compute_dg_price_request_pending",
        help="A price approval request for the order as it is now waits for a price approver.",
    )

    @api.depends("dg_price_hold", "dg_approval_request_ids.state", "order_line.price_unit",
                 "order_line.discount", "partner_id", "pricelist_id", "currency_id")
    def _compute_dg_price_request_pending(self):
        for order in self:
            order.dg_price_request_pending = bool(
                order.id and order.sudo()._dg_price_pending_requests()
            )

    # ------------------------------------------------------------------ facts

    def _dg_price_controlled(self):
        self.ensure_one()
        return bool(self.company_id.dg_price_control_active)

    def _dg_price_below(self):
        """[(line, check)] for the lines below the policy."""
        self.ensure_one()
        if not self._dg_price_controlled():
            return []
        rows = []
        for line in self.sudo().order_line:
            check = line._dg_price_check()
            if check["flag"] != "ok":
                rows.append((line, check))
        return rows

    @staticmethod
    def _dg_price_line_key(line):
        return [line.id, line.product_id.id, line.product_uom.id, line.product_uom_qty,
                line.price_unit, line.discount or 0.0]

    def _dg_price_signature(self):
        """The lines below the policy as they are now (what an approval approves)."""
        return sorted(self._dg_price_line_key(line) for line, __ in self._dg_price_below())

    def _dg_price_facts(self):
        self.ensure_one()
        return dict(self._dg_facts(), pricelist_id=self.pricelist_id.id or False)

    def _dg_price_covers(self, request):
        """The request was made for the order as it is now: same facts, and every line below
        the policy now is one it approved, unchanged."""
        self.ensure_one()
        facts = self._dg_price_facts()
        if (
            facts["order_partner_id"] != request.order_partner_id.id
            or facts["partner_id"] != request.partner_id.id
            or facts["company_id"] != request.company_id.id
            or facts["order_currency_id"] != request.order_currency_id.id
            or facts["pricelist_id"] != (request.pricelist_id.id or False)
        ):
            return False
        approved = {tuple(key) for key in (request.price_lines or [])}
        return all(tuple(key) in approved for key in self._dg_price_signature())

    def _dg_price_pending_requests(self):
        self.ensure_one()
        return self._dg_requests(KIND).filtered(
            lambda r: r.state == "pending" and r._dg_covers(self)
        )

    def _dg_price_valid_approval(self):
        self.ensure_one()
        now = fields.Datetime.now()
        return self._dg_requests(KIND).filtered(
            lambda r: r.state == "approved" and r.approved_until and r.approved_until > now
            and r._dg_covers(self)
        ).sorted("id")[-1:]

    def _dg_price_hold_reason(self):
        """Why the order needs a price approval it does not have, else False. The reason says
        how far below the pricelist each line is; margins are not in it (the requester and
        whoever reads the request may not read costs)."""
        self.ensure_one()
        below = self._dg_price_below()
        if not below or self._dg_price_valid_approval():
            return False
        company = self.company_id
        parts = []
        for line, check in below:
            if check["flag"] == "discount":
                parts.append(_(
                    "%(product)s: %(deviation).1f%% below its pricelist price (allowed %(allowed).1f%%).",
                    product=line.product_id.display_name,
                    deviation=check["deviation"],
                    allowed=company.dg_price_max_discount,
                ))
            else:
                parts.append(_(
                    "%(product)s: below the margin floor of %(floor).1f%%.",
                    product=line.product_id.display_name,
                    floor=company.dg_price_margin_floor,
                ))
        return "\n".join(parts)

    def _dg_price_concession(self, below):
        """What the lines below the pricelist give away, in the company's currency (the
        tier's amount), and the worst deviation (the tier's percentage)."""
        self.ensure_one()
        amount = sum(
            max(check["pricelist_price"] - check["net"], 0.0) * line.product_uom_qty
            for line, check in below
        )
        amount = self.currency_id._convert(
            amount, self.company_id.currency_id, self.company_id, fields.Date.context_today(self)
        )
        return amount, max((check["deviation"] for __, check in below), default=0.0)

    # ------------------------------------------------------------------ the decision

    def _dg_price_decide(self, event="request"):
        """The one price decision, with its effects (as superuser, after the caller's checks):
        hold the order and request an approval, or lift a hold no longer needed. Returns the
        orders held."""
        held = self.browse()
        for order in self.sudo():
            if not order._dg_price_controlled() and order.dg_price_hold == "none":
                continue
            reason = order._dg_price_hold_reason() if order._dg_price_controlled() else False
            if reason:
                order._dg_price_put_on_hold(reason, event)
                held |= order
            elif order.dg_price_hold in ("on_hold", "rejected"):
                order._dg_price_lift()
        return held

    def _dg_price_set_hold(self, state):
        self.sudo().with_context(clean_context(self.env.context)).write({"dg_price_hold": state})

    def _dg_price_put_on_hold(self, reason, event="request"):
        self.ensure_one()
        order = self.sudo().with_context(clean_context(self.env.context))
        order._dg_cancel_requests(
            order._dg_requests(KIND).filtered(
                lambda r: r.state == "pending" and not r._dg_covers(order)
            ),
            _("The order changed since the request."),
        )
        order._dg_price_set_hold("on_hold")
        pending = order._dg_price_pending_requests()[:1]
        if pending:
            return pending
        below = order._dg_price_below()
        amount, percent = order._dg_price_concession(below)
        tier = self.env["distribution.approval.policy"].sudo()._tier_for(
            KIND, order.company_id, amount, percent
        )
        request = self.env["distribution.approval.request"].sudo().with_context(
            clean_context(self.env.context)
        ).create(
            dict(
                order._dg_facts(),
                kind=KIND,
                sale_order_id=order.id,
                document_ref=order.name,
                requester_id=self.env.uid,
                salesperson_id=order.user_id.id or False,
                currency_id=order.company_id.currency_id.id,
                amount=amount,
                order_amount=order.amount_total,
                pricelist_id=order.pricelist_id.id or False,
                price_lines=order._dg_price_signature(),
                hold_reason=reason,
                policy_id=tier.id,
                approver_group_id=tier.group_id.id,
                approvals_required=tier.approvals_required,
            )
        )
        self.env["distribution.audit.log"]._record(event, request=request, reason=reason)
        request._notify_approvers(_("Price below policy to decide: %s", order.name))
        order._message_log(
            body=_("Prices below policy, approval %(req)s requested: %(reason)s",
                   req=request.name, reason=reason),
        )
        return request

    def _dg_price_lift(self):
        """A held order whose prices no longer need an approval: released when an approval
        covers it, else cleared, with its pending requests cancelled."""
        self.ensure_one()
        if self._dg_price_valid_approval():
            self._dg_price_set_hold("released")
            return
        self._dg_cancel_requests(
            self._dg_requests(KIND).filtered(lambda r: r.state == "pending"),
            _("No longer needed: the order's prices are within the policy."),
        )
        self._dg_price_set_hold("none")
        self.env["distribution.audit.log"]._record(
            "price_clear", order=self, reason=_("The order's prices are within the policy.")
        )
        self._message_log(body=_("Price hold lifted: the prices are within the policy."))

    # ------------------------------------------------------------------ after a decision

    def _dg_price_release(self, request):
        """After the approval: released, and confirmed when still a quotation. Returns what
        the approver is told."""
        self.ensure_one()
        self._dg_price_set_hold("released")
        self.env["distribution.audit.log"]._record("release", request=request)
        self._dg_notify_requester(request, _("Prices approved: %s is approved.", request.name))
        if self.state in ("draft", "sent"):
            # the requester's confirmation goes on: another gate (credit) it meets is his
            # request, with him as requester, not the price approver's
            self.with_user(request.requester_id).sudo().action_confirm()
            if self.state == "sale":
                return _("%s: prices approved and the order confirmed.", self.name)
            return _("%s: prices approved; the order waits for its other approvals.", self.name)
        return _("%s: prices approved, its delivery can be validated.", self.name)

    def _dg_price_reject(self, request, reason):
        self.ensure_one()
        self._dg_price_set_hold("rejected")
        self._dg_notify_requester(
            request,
            _("Prices refused: %(req)s was rejected (%(reason)s). Next: raise the prices to the "
              "policy, or confirm again to file a new request with a justification.",
              req=request.name, reason=reason),
        )
        return _("%s: prices refused. The requester is told.", self.name)

    def _dg_on_approval_expired(self, request):
        if request.kind != KIND:
            return super()._dg_on_approval_expired(request)
        # a quotation released on prices is held again; a confirmed order keeps what it was
        # confirmed with (its lines, changed, are decided again as they change)
        if self.state in ("draft", "sent") and self.dg_price_hold == "released":
            self._dg_price_set_hold("on_hold")
            self.env["distribution.audit.log"]._record(
                "rehold", request=request,
                reason=_("The price approval %s expired.", request.name),
            )
        return None

    # ------------------------------------------------------------------ shipping

    def _dg_price_blocked(self):
        return self.sudo().filtered(lambda o: o.dg_price_hold in ("on_hold", "rejected"))

    def _dg_check_can_ship(self):
        blocked = self._dg_price_blocked()
        if blocked:
            raise UserError(_(
                "%s has prices below policy waiting for approval: its delivery can be validated "
                "once a price approver approves them.",
                ", ".join(blocked.mapped("name")),
            ))
        return super()._dg_check_can_ship()

    def _dg_check_links_kept(self):
        blocked = self._dg_price_blocked()
        if blocked:
            raise UserError(_(
                "%s has prices below policy waiting for approval: its deliveries stay linked "
                "to it until a price approver approves them.",
                ", ".join(blocked.mapped("name")),
            ))
        return super()._dg_check_links_kept()

    # ------------------------------------------------------------------ changes

    def _dg_price_snapshot(self):
        return {
            order.id: (
                order._dg_price_facts(),
                sorted(self._dg_price_line_key(line) for line in order.order_line
                       if not line.display_type),
            )
            for order in self.sudo()
        }

    @contextmanager
    def _dg_watch_prices(self):
        """Around a change of orders (or their lines): afterwards, act on what changed. Nested
        watches of the same orders leave the work to the outermost one."""
        watching = self.env.cr.cache.setdefault("dg_price_watch", set())
        orders = self.sudo().filtered(
            lambda o: o.id and o.id not in watching
            and (o.dg_price_hold != "none" or (o.state == "sale" and o._dg_price_controlled()))
        )
        before = orders._dg_price_snapshot()
        watching.update(orders.ids)
        try:
            yield
            orders.exists()._dg_price_after_change(before)
        finally:
            watching.difference_update(orders.ids)

    def _dg_price_after_change(self, before):
        now = self._dg_price_snapshot()
        for order in self.sudo():
            if before[order.id] == now[order.id]:
                continue
            order._dg_price_on_change()

    def _dg_price_on_change(self):
        self.ensure_one()
        requests = self._dg_requests(KIND)
        what = _("%s: its lines, prices or customer changed.", self.name)
        voided = self._dg_requests_after_change(requests, what)
        if self.state == "sale":
            self._dg_price_decide(event="rehold")
        elif voided and self.dg_price_hold == "released":
            # a quotation: the next confirmation decides again with the new lines
            self._dg_price_set_hold("on_hold")

    # ------------------------------------------------------------------ entry points

    @api.model_create_multi
    def create(self, vals_list):
        refuse_price_hold_fields(self, vals_list)
        if self.env.su:
            self = self.with_context(
                {k: v for k, v in self.env.context.items()
                 if k[len("default_"):] not in PRICE_HOLD_FIELDS}
            )
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state == "sale")._dg_price_refuse_confirmation()
        return orders

    def _dg_price_refuse_confirmation(self):
        """Orders becoming confirmed without action_confirm's decision: refused while their
        prices need an approval."""
        for order in self.sudo():
            if order._dg_price_controlled() and order._dg_price_hold_reason():
                raise UserError(_(
                    "%(order)s has prices below policy and cannot be confirmed until a price "
                    "approver approves them. Use Confirm to request an approval.",
                    order=order.name,
                ))

    def action_confirm(self):
        self.check_access("write")
        quotations = self.filtered(
            lambda o: o.state in ("draft", "sent") and o._dg_price_controlled()
        )
        held = self.browse()
        for order in quotations:
            if order._dg_price_decide():
                held |= order
        rest = self - held
        res = super(SaleOrderPriceHold, rest).action_confirm() if rest else True
        if held:
            return held._dg_price_held_action()
        return res

    def _dg_price_held_action(self):
        return self._dg_hold_notice(
            self._dg_price_pending_requests()[:1] if len(self) == 1 else self._dg_no_request(),
            _("Prices below policy"),
            _(
                "%s stays a quotation until a price approver approves its prices.",
                ", ".join(self.mapped("name")),
            ),
        )

    def write(self, vals):
        refuse_price_hold_fields(self, [vals])
        becoming_confirmed = self.browse()
        if vals.get("state") == "sale":
            becoming_confirmed = self.filtered(lambda o: o.state != "sale")
            becoming_confirmed._dg_price_refuse_confirmation()
        watched = {"partner_id", "partner_invoice_id", "company_id", "currency_id",
                   "pricelist_id", "order_line"}
        if set(vals) & watched:
            with self._dg_watch_prices():
                res = super().write(vals)
        else:
            res = super().write(vals)
        if becoming_confirmed:
            becoming_confirmed._dg_price_refuse_confirmation()
        return res

    # ------------------------------------------------------------------ panel

    def _dg_price_panel(self):
        """What the price panel of one order shows its reader (the RPC is
        distribution.approval.request.get_price_panel_data): the lines, their pricelist price
        and deviation, the hold and its request; margins and costs only to sales managers and
        price approvers."""
        self.ensure_one()
        self.check_access("read")
        order = self.sudo()
        # a customer on the portal (or anyone without a governance role) reads nothing here
        if not self.env.user.has_group("distribution_governance.group_exception_user"):
            return {"visible": False}
        if not (order._dg_price_controlled() or order.dg_price_hold != "none"):
            return {"visible": False}
        user = self.env.user
        margins = any(user.has_group(group) for group in PRICE_READERS.split(","))
        currency = order.currency_id
        lines = []
        for line in order.order_line.filtered(lambda sol: not sol.display_type and sol.product_id):
            check = line._dg_price_check()
            row = {
                "id": line.id,
                "product": line.product_id.display_name,
                "qty": line.product_uom_qty,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "net": currency.round(check["net"]),
                "pricelist_price": currency.round(check["pricelist_price"]),
                "deviation": round(check["deviation"], 1),
                "flag": check["flag"],
            }
            if margins:
                row.update(margin=round(check["margin"], 1), cost=currency.round(check["cost"]))
            lines.append(row)
        requests = order._dg_requests(KIND).sorted("id")
        current = requests.filtered(lambda r: r.state == "pending")[-1:] or requests[-1:]
        request_row = False
        if current and current.with_env(self.env).has_access("read"):
            # read as the engine (the user's uid: can_decide is his), once his access is checked
            request_row = current._ui_row(full=False)
        return {
            "visible": True,
            "order_id": order.id,
            "currency_id": currency.id,
            "hold_state": order.dg_price_hold,
            "hold_label": dict(order._fields["dg_price_hold"]._description_selection(self.env))[
                order.dg_price_hold
            ],
            "max_discount": order.company_id.dg_price_max_discount,
            "margin_floor": order.company_id.dg_price_margin_floor if margins else False,
            "show_margins": margins,
            "below_count": sum(1 for line in lines if line["flag"] != "ok"),
            "concession": format_amount(
                self.env, order._dg_price_concession(order._dg_price_below())[0],
                order.company_id.currency_id,
            ) if margins else "",
            "lines": lines,
            "request": request_row,
        }


class ResPartnerPriceHold(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        # A customer moved under another company (or made one) changes the customer a price
        # approval was given for, without any write on its orders: they are watched as for a
        # change of customer on the order (see the credit hold's own watch).
        if not {"parent_id", "is_company"} & set(vals):
            return super().write(vals)
        orders = self.env["sale.order"].sudo().search(
            [
                ("dg_price_hold", "!=", "none"),
                "|",
                ("partner_id", "child_of", self.ids),
                ("partner_invoice_id", "child_of", self.ids),
            ]
        )
        with orders._dg_watch_prices():
            return super().write(vals)
