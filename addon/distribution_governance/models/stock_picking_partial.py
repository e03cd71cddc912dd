"""Partial shipments: a delivery that must ship complete — its order says "deliver all at once"
(sale.order picking_policy / the transfer's move_type 'one') or its customer requires complete
delivery (res.partner.dg_complete_delivery, set by sales managers and governance
administrators) — is validated short of its demand only with a stock manager's approval. The
same approval engine as the credit and price kinds, another kind: `partial_shipment`.

Paths that lead to a done delivery with less than its demand (see readme/USAGE.md, "Partial
shipments"), each meeting the one decision of _dg_partial_blocked:
- button_validate (form, list, RPC), with or without the backorder wizard (process,
  process_cancel_backorder) and its context keys (skip_backorder, picking_ids_not_to_backorder,
  cancel_backorder), whatever the operation type's "create backorder" (ask, always, never): the
  user is told why and a request is filed, nothing is validated;
- stock.picking._action_done and stock.move._action_done, whoever calls them: refused;
- action_split_transfer (the rest moved to a new transfer): the same decision;
- moves cancelled, then the transfer validated: the cancelled demand counts as not shipped;
- the demand of a move lowered, or a move taken out of the transfer: refused on an open
  transfer (the order's own changes run as superuser and are followed);
- the order's picking_policy, the transfer's move_type and the customer's flag: changed only by
  sales managers and governance administrators, logged.

An approval is bound to the transfer and its moves as approved (each move's demand and the
quantity it ships), within its validity: a change of the quantities or moves voids it, logged.
"""

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.float_utils import float_compare, float_is_zero, float_round
from odoo.tools.misc import clean_context

from .credit_hold import refuse_engine_fields

KIND = "partial_shipment"
PARTIAL_FIELDS = ("dg_partial_state",)
# Who decides that a customer or an order accepts partial deliveries: a commercial decision.
POLICY_WRITERS = ("sales_team.group_sale_manager", "distribution_governance.group_governance_admin")
# What a move's change touches of what an approval approved.
MOVE_FIELDS = {"product_uom_qty", "quantity", "picked", "state", "picking_id", "product_id",
               "product_uom", "move_line_ids"}
LINE_FIELDS = {"quantity", "picked", "move_id", "product_id", "product_uom_id", "picking_id"}


def _policy_writer(env):
    return env.su or any(env.user.has_group(group) for group in POLICY_WRITERS)


def _validating(env):
    """The transfers whose validation (or split) passed the decision in this transaction: the
    moves Odoo moves, splits and cancels for them are not users' changes. Kept in the cursor,
    out of reach of a caller's context."""
    return env.cr.cache.setdefault("dg_partial_validating", set())


class StockPickingPartial(models.Model):
    _inherit = "stock.picking"

    dg_partial_state = fields.Selection(
        [
            ("none", "No partial shipment approval"),
            ("pending", "Partial shipment to approve"),
            ("approved", "Partial shipment approved"),
            ("rejected", "Partial shipment refused"),
        ],
        string="Partial Shipment",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    dg_partial_request_ids = fields.One2many(
        "distribution.approval.request",
        "picking_id",
        string="Partial Shipment Requests",
        domain=[("kind", "=", KIND)],
        groups="distribution_governance.group_exception_user",
    )

    # ------------------------------------------------------------------ facts

    def _dg_partial_customer(self):
        self.ensure_one()
        picking = self.sudo()
        return (picking.partner_id | picking._dg_sale_orders().partner_id).commercial_partner_id

    def _dg_partial_requirement(self):
        """Why the transfer must ship complete, or False: an outgoing delivery (not a return)
        whose order delivers all at once, or whose customer requires complete delivery."""
        self.ensure_one()
        picking = self.sudo()
        if picking.picking_type_code != "outgoing" or picking.return_id:
            return False
        orders = picking._dg_sale_orders()
        one = orders.filtered(lambda o: o.picking_policy == "one")
        if one:
            return _("%s is to be delivered all at once.", ", ".join(one.mapped("name")))
        if picking.move_type == "one":
            return _("%s is to be delivered all at once.", picking.name)
        flagged = picking._dg_partial_customer().filtered("dg_complete_delivery")
        if flagged:
            return _("%s requires complete delivery.", ", ".join(flagged.mapped("display_name")))
        return False

    def _dg_partial_rows(self, simulate_draft=False):
        """What validating the transfer now ships of each move not done, in the product's unit:
        [(move, demand, shipped)]. As Odoo's validation does: when no move is picked, every
        move ships its quantity; a picked move ships its picked quantity, the others nothing; a
        cancelled move ships nothing of its demand. `simulate_draft`: a draft transfer is
        confirmed with each empty move's demand (button_validate)."""
        self.ensure_one()
        moves = self.sudo().move_ids.filtered(lambda m: m.state != "done" and not m.scrapped)
        none_picked = not any(m.picked for m in moves if m.state != "cancel")
        rows = []
        for move in moves:
            uom = move.product_id.uom_id
            demand = move.product_uom._compute_quantity(move.product_uom_qty, uom, round=False)
            if move.state == "cancel":
                shipped = 0.0
            elif simulate_draft and self.state == "draft" and float_is_zero(
                move.quantity, precision_rounding=move.product_uom.rounding
            ):
                shipped = demand
            elif move.picked or none_picked:
                shipped = move.product_uom._compute_quantity(
                    move._get_picked_quantity(), uom, round=False
                )
            else:
                shipped = 0.0
            rows.append((move, demand, shipped))
        return rows

    def _dg_partial_shortfall(self, simulate_draft=False):
        """[(product, demand, shipped)] of what the transfer would ship short now: its moves'
        demand, and for a sale line the rest its order still has to deliver (a demand lowered
        below the order's is a shortfall too). Empty when nothing ships (Odoo refuses that)."""
        self.ensure_one()
        rows = self._dg_partial_rows(simulate_draft)
        if not any(shipped > 0 for __, __, shipped in rows):
            return []
        short = []
        for move, demand, shipped in rows:
            if float_compare(shipped, demand, precision_rounding=move.product_id.uom_id.rounding) < 0:
                short.append((move.product_id, demand, shipped))
        for line in self.sudo().move_ids.sale_line_id:
            if line.product_id in [p for p, __, __ in short]:
                continue
            uom = line.product_id.uom_id
            still = line.product_uom._compute_quantity(
                line.product_uom_qty - line.qty_delivered, uom, round=False
            )
            shipped = sum(s for m, __, s in rows if m.sale_line_id == line)
            if float_compare(shipped, still, precision_rounding=uom.rounding) < 0:
                short.append((line.product_id, still, shipped))
        return short

    def _dg_partial_signature(self, simulate_draft=False):
        """The transfer's moves as an approval approves them: each move, its product, demand
        and what it ships, and whether it is cancelled."""
        self.ensure_one()
        return sorted(
            [
                move.id,
                move.product_id.id,
                float_round(demand, precision_rounding=move.product_id.uom_id.rounding),
                float_round(shipped, precision_rounding=move.product_id.uom_id.rounding),
                move.state == "cancel",
            ]
            for move, demand, shipped in self._dg_partial_rows(simulate_draft)
        )

    def _dg_partial_requests(self):
        return self.sudo().with_context(active_test=False).dg_partial_request_ids

    def _dg_partial_valid_approval(self, simulate_draft=False):
        self.ensure_one()
        now = fields.Datetime.now()
        signature = self._dg_partial_signature(simulate_draft)
        return self._dg_partial_requests().filtered(
            lambda r: r.state == "approved" and r.approved_until and r.approved_until > now
            and r._dg_partial_covers(self, signature)
        ).sorted("id")[-1:]

    def _dg_partial_blocked(self, simulate_draft=False):
        """The one decision: the transfers that would ship short of what they must ship
        complete, without an approval of exactly that."""
        return self.filtered(
            lambda p: p.state not in ("done", "cancel")
            and p._dg_partial_requirement()
            and p._dg_partial_shortfall(simulate_draft)
            and not p._dg_partial_valid_approval(simulate_draft)
        )

    def _dg_partial_reason(self, simulate_draft=False):
        self.ensure_one()
        parts = [self._dg_partial_requirement()]
        for product, demand, shipped in self._dg_partial_shortfall(simulate_draft):
            parts.append(
                _(
                    "%(product)s: %(shipped)s of %(demand)s %(uom)s.",
                    product=product.display_name,
                    shipped=shipped,
                    demand=demand,
                    uom=product.uom_id.name,
                )
            )
        return "\n".join(parts)

    def _dg_partial_value(self, shortfall):
        """What stays behind, in the company's currency (the tier's amount): the sale price of
        the order's line, else the product's cost."""
        self.ensure_one()
        company = self.company_id
        total = 0.0
        for product, demand, shipped in shortfall:
            line = self.move_ids.sale_line_id.filtered(lambda sol: sol.product_id == product)[:1]
            if line:
                unit = line.product_uom._compute_price(line.price_reduce_taxexcl, product.uom_id)
                unit = line.currency_id._convert(
                    unit, company.currency_id, company, fields.Date.context_today(self)
                )
            else:
                unit = product.with_company(company).standard_price
            total += (demand - shipped) * unit
        return company.currency_id.round(total)

    # ------------------------------------------------------------------ requests

    def _dg_partial_set_state(self, state):
        self.sudo().with_context(clean_context(self.env.context)).write({"dg_partial_state": state})

    def _dg_partial_request(self, simulate_draft=False):
        """A pending request for the transfer as it is now: the one filed, else a new one (as
        superuser, after the caller's checks; the caller is its requester)."""
        self.ensure_one()
        picking = self.sudo().with_context(clean_context(self.env.context))
        signature = picking._dg_partial_signature(simulate_draft)
        requests = picking._dg_partial_requests()
        pending = requests.filtered(
            lambda r: r.state == "pending" and r._dg_partial_covers(picking, signature)
        )
        if pending:
            return pending[:1]
        picking._dg_partial_cancel(
            requests.filtered(lambda r: r.state == "pending"),
            _("%s changed since the request.", picking.name),
        )
        shortfall = picking._dg_partial_shortfall(simulate_draft)
        reason = picking._dg_partial_reason(simulate_draft)
        amount = picking._dg_partial_value(shortfall)
        tier = self.env["distribution.approval.policy"].sudo()._tier_for(
            KIND, picking.company_id, amount
        )
        order = picking.sale_id or picking._dg_sale_orders()[:1]
        customer = picking._dg_partial_customer()[:1]
        request = self.env["distribution.approval.request"].sudo().with_context(
            clean_context(self.env.context)
        ).create(
            {
                "kind": KIND,
                "company_id": picking.company_id.id,
                "picking_id": picking.id,
                "sale_order_id": order.id or False,
                "partner_id": customer.id or False,
                "order_partner_id": customer.id or False,
                "order_currency_id": order.currency_id.id or False,
                "document_ref": picking.name,
                "requester_id": self.env.uid,
                "salesperson_id": order.user_id.id or False,
                "currency_id": picking.company_id.currency_id.id,
                "amount": amount,
                "partial_moves": signature,
                "hold_reason": reason,
                "policy_id": tier.id,
                "approver_group_id": tier.group_id.id,
                "approvals_required": tier.approvals_required,
            }
        )
        self.env["distribution.audit.log"]._record("request", request=request, reason=reason)
        request._notify_approvers(_("Partial shipment to decide: %s", picking.name))
        picking._dg_partial_set_state("pending")
        picking._message_log(
            body=_("Partial shipment, approval %(req)s requested: %(reason)s",
                   req=request.name, reason=reason),
        )
        return request

    def _dg_partial_cancel(self, requests, why):
        for request in requests:
            request.sudo().write({"state": "cancelled", "decided_at": fields.Datetime.now()})
            request._close_activities()
            self.env["distribution.audit.log"]._record("cancel", request=request, reason=why)
            request._message_log(body=_("Cancelled: %s", why))

    def _dg_partial_notice(self, blocked, simulate_draft=False):
        """What the user who tried to validate sees: for one transfer, its request to justify;
        otherwise a notification. Requests are filed for each transfer."""
        requests = self.env["distribution.approval.request"]
        for picking in blocked:
            requests |= picking._dg_partial_request(simulate_draft)
        request = requests[:1] if len(blocked) == 1 else requests.browse()
        if request and request.requester_id == self.env.user and not request.reason:
            return request._dg_justify_action()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Partial shipment needs approval"),
                "message": _(
                    "%(pickings)s must ship complete: a stock manager approves what ships short "
                    "(%(reqs)s). Nothing was validated.",
                    pickings=", ".join(blocked.mapped("name")),
                    reqs=", ".join(requests.mapped("name")),
                ),
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _dg_partial_refuse(self, blocked):
        raise UserError(
            _(
                "%s must ship complete: validating it short of its demand needs a partial "
                "shipment approval. Validate it from the transfer to request one.",
                ", ".join(blocked.mapped("name")),
            )
        )

    # ------------------------------------------------------------------ after a decision

    def _dg_partial_notify(self, request, body):
        self._message_log(body=body)
        request.sudo().message_post(
            body=body,
            partner_ids=request.requester_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )

    def _dg_partial_approved(self, request):
        self.ensure_one()
        self._dg_partial_set_state("approved")
        self.env["distribution.audit.log"]._record("release", request=request)
        self._dg_partial_notify(
            request,
            _("Partial shipment approved: %(req)s. %(picking)s can be validated with the "
              "approved quantities.", req=request.name, picking=self.name),
        )
        return _("%s: partial shipment approved; it can be validated as approved.", self.name)

    def _dg_partial_rejected(self, request, reason):
        self.ensure_one()
        self._dg_partial_set_state("rejected")
        self._dg_partial_notify(
            request,
            _("Partial shipment refused: %(req)s was rejected (%(reason)s). Next: ship the "
              "whole demand, or validate again to file a new request.",
              req=request.name, reason=reason),
        )
        return _("%s: partial shipment refused. The requester is told.", self.name)

    # ------------------------------------------------------------------ changes

    def _dg_partial_watched(self):
        """These transfers that still exist with a request pending or approved. Every write of
        a move or line asks (dozens per confirmation and validation), and nearly all transfers
        have none: a transfer whose state is in the cache exists (an unlink clears the whole
        cache), so only the others are looked up in the database."""
        pickings = self.sudo()
        cache, field = self.env.cache, self._fields["dg_partial_state"]
        cached = pickings.filtered(lambda p: cache.contains(p, field))
        return (cached | (pickings - cached).exists()).filtered(
            lambda p: p.dg_partial_state in ("pending", "approved")
        )

    def _dg_partial_after_change(self):
        """After a change of the transfers' moves or quantities: who changed a transfer while
        its request waited may not decide it; an approval or a pending request that no longer
        matches the moves is voided / cancelled, logged."""
        validating = _validating(self.env)
        # the transfers being validated first: their moves change by the dozen, and none of
        # that is a user's change (no lookup of their requests then)
        changed = self.filtered(lambda p: p.id not in validating)
        if not changed:
            return
        for picking in changed._dg_partial_watched().filtered(
            lambda p: p.state not in ("done", "cancel")
        ):
            requests = picking._dg_partial_requests()
            signature = picking._dg_partial_signature()
            what = _("%s: its moves or quantities changed.", picking.name)
            for request in requests.filtered(lambda r: r.state == "pending"):
                if self.env.uid not in request.changed_by_ids.ids:
                    request.sudo().write({"changed_by_ids": [Command.link(self.env.uid)]})
                    self.env["distribution.audit.log"]._record(
                        "change_pending", request=request, reason=what
                    )
            for request in requests.filtered(
                lambda r: r.state == "approved" and not r._dg_partial_covers(picking, signature)
            ):
                request.sudo().write({"state": "voided"})
                self.env["distribution.audit.log"]._record("void", request=request, reason=what)
                request._message_log(body=_("Voided: %s", what))
                picking._message_log(body=_("Partial shipment approval %(req)s voided: %(what)s",
                                            req=request.name, what=what))
            picking._dg_partial_cancel(
                requests.filtered(
                    lambda r: r.state == "pending" and not r._dg_partial_covers(picking, signature)
                ),
                what,
            )
            live = requests.filtered(lambda r: r.state in ("pending", "approved"))
            if not live:
                picking._dg_partial_set_state("none")

    # ------------------------------------------------------------------ entry points

    @api.model_create_multi
    def create(self, vals_list):
        refuse_engine_fields(
            self, vals_list, PARTIAL_FIELDS,
            self.env._("The partial shipment approval is the system's: %s cannot be set."),
        )
        return super().create(vals_list)

    def write(self, vals):
        refuse_engine_fields(
            self, [vals], PARTIAL_FIELDS,
            self.env._("The partial shipment approval is the system's: %s cannot be set."),
        )
        loosened = self.browse()
        if "move_type" in vals and vals["move_type"] != "one":
            loosened = self.filtered(
                lambda p: p.move_type == "one" and p.picking_type_code == "outgoing"
                and p.state not in ("done", "cancel")
            )
            if loosened and not _policy_writer(self.env):
                raise AccessError(
                    _(
                        "%s is to be delivered all at once: only a sales manager or a governance "
                        "administrator may allow partial deliveries.",
                        ", ".join(loosened.mapped("name")),
                    )
                )
        res = super().write(vals)
        for picking in loosened.sudo():
            what = _("%(picking)s: partial deliveries allowed by %(user)s.",
                     picking=picking.name, user=self.env.user.name)
            picking._message_log(body=what)
            self.env["distribution.audit.log"]._record(
                "partial_policy", order=picking.sale_id, reason=what
            )
        return res

    def button_validate(self):
        blocked = self._dg_partial_blocked(simulate_draft=True)
        if blocked:
            self.check_access("write")
            return self._dg_partial_notice(blocked, simulate_draft=True)
        return super().button_validate()

    def action_split_transfer(self):
        # the rest goes to a new transfer: this one then ships short of its demand
        blocked = self._dg_partial_blocked()
        if blocked:
            self.check_access("write")
            return self._dg_partial_notice(blocked)
        validating = _validating(self.env)
        ids = set(self.ids) - validating
        validating.update(ids)
        try:
            return super().action_split_transfer()
        finally:
            validating.difference_update(ids)

    def _action_done(self):
        blocked = self._dg_partial_blocked()
        if blocked:
            self._dg_partial_refuse(blocked)
        approved = {
            picking: picking._dg_partial_valid_approval()
            for picking in self
            if picking.dg_partial_state == "approved"
        }
        validating = _validating(self.env)
        ids = set(self.ids) - validating
        validating.update(ids)
        try:
            res = super()._action_done()
        finally:
            validating.difference_update(ids)
        for picking, request in approved.items():
            if request and picking.state == "done":
                self.env["distribution.audit.log"]._record(
                    "partial_done", request=request,
                    reason=_("%s validated as approved.", picking.name),
                )
        return res


class StockMovePartial(models.Model):
    _inherit = "stock.move"

    def _dg_partial_open_pickings(self):
        """The open transfers of these moves that must ship complete."""
        return self.sudo().picking_id.filtered(
            lambda p: p.state not in ("draft", "done", "cancel") and p._dg_partial_requirement()
        )

    def write(self, vals):
        if not MOVE_FIELDS & set(vals):
            return super().write(vals)
        moves = self.sudo()
        pickings = moves.picking_id
        if not self.env.su and {"picking_id", "product_uom_qty", "product_uom", "product_id"} & set(vals):
            guarded = self._dg_partial_open_pickings().filtered(
                lambda p: p.id not in _validating(self.env)
            )
            if guarded:
                moves = self.filtered(lambda m: m.picking_id in guarded)
                if "picking_id" in vals and any(m.picking_id.id != vals["picking_id"] for m in moves):
                    raise UserError(_(
                        "%s must ship complete: its moves stay in it (a partial shipment needs "
                        "an approval; validate it to request one).",
                        ", ".join(guarded.mapped("name")),
                    ))
                if {"product_uom_qty", "product_uom", "product_id"} & set(vals) and any(
                    m._dg_partial_lowers(vals) for m in moves
                ):
                    raise UserError(_(
                        "%s must ship complete: its demand is its order's and is not lowered "
                        "here (a partial shipment needs an approval; validate it to request one).",
                        ", ".join(guarded.mapped("name")),
                    ))
        res = super().write(vals)
        (pickings | moves.picking_id)._dg_partial_after_change()
        return res

    def _dg_partial_lowers(self, vals):
        """Would `vals` lower the move's demand, in the product's unit, or change its product?"""
        self.ensure_one()
        if "product_id" in vals and vals["product_id"] != self.product_id.id:
            return True
        uom = self.env["uom.uom"].browse(vals.get("product_uom") or self.product_uom.id)
        qty = vals.get("product_uom_qty", self.product_uom_qty) or 0.0
        unit = self.product_id.uom_id
        return float_compare(
            uom._compute_quantity(qty, unit, round=False),
            self.product_uom._compute_quantity(self.product_uom_qty, unit, round=False),
            precision_rounding=unit.rounding,
        ) < 0

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.sudo().picking_id._dg_partial_after_change()
        return moves

    def unlink(self):
        # a cancelled move deleted would take its demand out of the transfer unseen
        if not self.env.su:
            guarded = self._dg_partial_open_pickings().filtered(
                lambda p: p.id not in _validating(self.env)
            )
            if guarded:
                raise UserError(_(
                    "%s must ship complete: its moves stay in it (a partial shipment needs an "
                    "approval; validate it to request one).",
                    ", ".join(guarded.mapped("name")),
                ))
        pickings = self.sudo().picking_id
        res = super().unlink()
        pickings._dg_partial_after_change()
        return res

    def _action_cancel(self):
        pickings = self.sudo().picking_id
        res = super()._action_cancel()
        pickings._dg_partial_after_change()
        return res

    def _action_done(self, cancel_backorder=False):
        # Moves validated without their transfer's validation (which decided already): the
        # same decision, and only the whole transfer at once
        validating = _validating(self.env)
        moves = self.sudo().filtered(lambda m: not m.scrapped and m.picking_id.id not in validating)
        for picking in moves.picking_id:
            if picking.state in ("done", "cancel") or not picking._dg_partial_requirement():
                continue
            rest = picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")) - moves
            if (rest or picking._dg_partial_shortfall()) and not picking._dg_partial_valid_approval():
                picking._dg_partial_refuse(picking)
        return super()._action_done(cancel_backorder=cancel_backorder)


class StockMoveLinePartial(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.sudo().picking_id._dg_partial_after_change()
        return lines

    def write(self, vals):
        if not LINE_FIELDS & set(vals):
            return super().write(vals)
        pickings = self.sudo().picking_id
        res = super().write(vals)
        (pickings | self.sudo().picking_id)._dg_partial_after_change()
        return res

    def unlink(self):
        pickings = self.sudo().picking_id
        res = super().unlink()
        pickings._dg_partial_after_change()
        return res


class SaleOrderPartial(models.Model):
    _inherit = "sale.order"

    def write(self, vals):
        loosened = self.browse()
        if "picking_policy" in vals and vals["picking_policy"] != "one":
            loosened = self.filtered(lambda o: o.picking_policy == "one" and o.state == "sale")
            if loosened and not _policy_writer(self.env):
                raise AccessError(
                    _(
                        "%s is to be delivered all at once: only a sales manager or a governance "
                        "administrator may allow partial deliveries.",
                        ", ".join(loosened.mapped("name")),
                    )
                )
        res = super().write(vals)
        for order in loosened.sudo():
            what = _("%(order)s: partial deliveries allowed by %(user)s.",
                     order=order.name, user=self.env.user.name)
            order._message_log(body=what)
            self.env["distribution.audit.log"]._record("partial_policy", order=order, reason=what)
        return res

    def _dg_on_approval_expired(self, request):
        if request.kind == KIND:
            return None
        return super()._dg_on_approval_expired(request)


class ResPartnerPartial(models.Model):
    _inherit = "res.partner"

    dg_complete_delivery = fields.Boolean(
        "Requires Complete Delivery",
        copy=False,
        tracking=True,
        help="Deliveries to this customer ship complete: validating one short of its demand "
        "needs a stock manager's approval. Set by sales managers and governance administrators.",
    )

    @api.model
    def _dg_refuse_flag(self):
        raise AccessError(
            _("Only a sales manager or a governance administrator may set whether a "
              "customer requires complete delivery.")
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not _policy_writer(self.env) and (
            any(vals.get("dg_complete_delivery") for vals in vals_list)
            or self.env.context.get("default_dg_complete_delivery")
        ):
            self._dg_refuse_flag()
        return super().create(vals_list)

    def write(self, vals):
        if (
            "dg_complete_delivery" in vals
            and not _policy_writer(self.env)
            and any(p.dg_complete_delivery != bool(vals["dg_complete_delivery"]) for p in self.sudo())
        ):
            self._dg_refuse_flag()
        return super().write(vals)


class DistributionApprovalRequestPartial(models.Model):
    _inherit = "distribution.approval.request"

    # partial shipments: the transfer's moves as approved (id, product, demand, shipped,
    # cancelled), see stock_picking_partial.py
    partial_moves = fields.Json(readonly=True, copy=False)

    def _dg_partial_covers(self, picking, signature=None):
        self.ensure_one()
        if self.picking_id != picking or picking.company_id != self.company_id:
            return False
        if signature is None:
            signature = picking._dg_partial_signature()
        return [list(row) for row in (self.partial_moves or [])] == [list(r) for r in signature]

    def _dg_covers(self, order):
        if self.kind == KIND:
            # the decision is about the transfer (order: its order, from _check_can_decide)
            return self._dg_partial_covers(self.picking_id)
        return super()._dg_covers(order)

    def _check_can_decide(self):
        super()._check_can_decide()
        if self.kind == KIND and self.state == "pending" and not self._dg_partial_covers(
            self.sudo().picking_id
        ):
            raise UserError(
                _("%(picking)s changed since %(req)s was requested: it needs a new request.",
                  picking=self.document_ref, req=self.name)
            )

    def _on_approved(self):
        if self.kind == KIND and self.picking_id:
            return self.picking_id.sudo()._dg_partial_approved(self)
        return super()._on_approved()

    def _on_rejected(self, reason):
        if self.kind == KIND and self.picking_id:
            return self.picking_id.sudo()._dg_partial_rejected(self, reason)
        return super()._on_rejected(reason)

    def _dg_justify_action(self):
        action = super()._dg_justify_action()
        if self.kind == KIND:
            action["name"] = _("Request partial shipment approval for %s", self.document_ref)
        return action

    @api.model
    def _cron_expire(self):
        expired = super()._cron_expire()
        for request in expired.filtered(lambda r: r.kind == KIND and r.picking_id):
            picking = request.picking_id.sudo()
            if picking.dg_partial_state == "approved" and not picking._dg_partial_valid_approval():
                picking._dg_partial_set_state("none")
        return expired

    # ------------------------------------------------------------------ panel

    @api.model
    @api.readonly
    def get_partial_panel_data(self, res_model, res_id):
        """The partial shipment panel of a transfer or of a partial shipment request: why the
        transfer ships complete, what validating it now ships of each product, and its
        request, for a reader of the document."""
        document = self._dg_panel_document(
            res_model, res_id, ("stock.picking", self._name),
            _("The partial shipment panel is shown on transfers and approval requests only."),
            governance=False,
        )
        if not document or not self.env.user.has_group(
            "distribution_governance.group_exception_user"
        ):
            return {"visible": False}
        picking = document.sudo() if res_model == "stock.picking" else document.sudo().picking_id
        if not picking or (res_model == self._name and document.sudo().kind != KIND):
            return {"visible": False}
        requirement = picking._dg_partial_requirement()
        if not requirement and picking.dg_partial_state == "none":
            return {"visible": False}
        open_ = picking.state not in ("done", "cancel")
        rows = []
        if open_:
            for move, demand, shipped in picking._dg_partial_rows(simulate_draft=True):
                rows.append({
                    "id": move.id,
                    "product": move.product_id.display_name,
                    "uom": move.product_id.uom_id.name,
                    "demand": demand,
                    "shipped": shipped,
                    "short": max(demand - shipped, 0.0),
                    "cancelled": move.state == "cancel",
                })
        shortfall = picking._dg_partial_shortfall(simulate_draft=True) if open_ else []
        requests = picking._dg_partial_requests().sorted("id")
        current = requests.filtered(lambda r: r.state == "pending")[-1:] or requests[-1:]
        request_row = False
        if current:
            full = current.with_env(self.env).has_access("read")
            request_row = current._ui_row(full=full)
        state_labels = dict(picking._fields["dg_partial_state"]._description_selection(self.env))
        return {
            "visible": True,
            "picking_id": picking.id,
            "open": open_,
            "requirement": requirement or "",
            "state": picking.dg_partial_state,
            "state_label": state_labels[picking.dg_partial_state],
            "short_count": len(shortfall),
            "approved_now": bool(open_ and shortfall and picking._dg_partial_valid_approval(True)),
            "rows": rows,
            "request": request_row,
        }


class DistributionAuditLogPartial(models.Model):
    _inherit = "distribution.audit.log"

    event = fields.Selection(
        selection_add=[
            ("partial_done", "Partial shipment validated as approved"),
            ("partial_policy", "Partial deliveries allowed"),
        ],
        ondelete={"partial_done": "cascade", "partial_policy": "cascade"},
    )
