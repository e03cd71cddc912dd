"""Urgent order override: a salesperson asks to expedite a confirmed order; a warehouse manager
approves it from the order or its transfer. The same approval engine as the credit and price
holds (distribution.approval.request, its tiers, decisions, segregation of duties and audit log),
another kind: `urgent_override`.

Approval sets the urgent priority on the order's open transfers and re-reserves: the order's
moves get the stock first, ahead of competing reserved moves of lower priority of the same
products in the same warehouse (unreserved, then reserved again after it). A rejection changes
nothing in the warehouse.

Under the company's urgent-order governance, the urgent priority of a sale order's transfers
and moves is the engine's (see readme/USAGE.md, "Urgent order override"): a user making one
urgent by write (the star widget), create (values, `default_priority`), copy, import or through
its moves is refused unless the order's override is approved, whatever his role. Code running
as superuser (Odoo's procurement, backorders) only carries a priority already set: confirmation
and the procurement strip `default_*` keys before they create transfers.

An approval is bound to the order, its customer, company, currency, lines (product, quantity,
unit) and the open transfers it was asked for: a change cancels a pending request (logged); a
change after approval voids it and takes the urgent priority back.
"""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.float_utils import float_compare
from odoo.tools.misc import clean_context

from . import input_checks
from .credit_hold import refuse_engine_fields

KIND = "urgent_override"
URGENT_FIELDS = ("dg_urgent_state",)
URGENT = "1"
OPEN_PICKING = ("draft", "waiting", "confirmed", "assigned")


def refuse_urgent_fields(model, vals_list):
    refuse_engine_fields(
        model,
        vals_list,
        URGENT_FIELDS,
        model.env._(
            "The urgent override is decided by the system and the warehouse managers: %s "
            "cannot be set."
        ),
    )


class ResCompanyUrgent(models.Model):
    _inherit = "res.company"

    dg_urgent_control_active = fields.Boolean(
        "Approve Urgent Orders",
        help="The urgent priority of a sales order's transfers (reserved ahead of earlier "
        "orders) is set only by an approved urgent override: a salesperson asks, a warehouse "
        "manager approves.",
    )


class ResConfigSettingsUrgent(models.TransientModel):
    _inherit = "res.config.settings"

    dg_urgent_control_active = fields.Boolean(
        related="company_id.dg_urgent_control_active", readonly=False
    )


class SaleOrderUrgent(models.Model):
    _inherit = "sale.order"

    dg_urgent_state = fields.Selection(
        [
            ("none", "Not urgent"),
            ("pending", "Urgent: waiting for approval"),
            ("approved", "Urgent: approved"),
            ("rejected", "Urgent: refused"),
        ],
        string="Urgent Override",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    dg_urgent_can_request = fields.Boolean(
        "Can Ask to Expedite",
        compute="_compute_dg_urgent_can_request",
        help="Confirmed, with transfers to ship, under the company's urgent-order governance, "
        "no request waiting and not expedited yet.",
    )

    @api.depends("state", "dg_urgent_state", "picking_ids.state", "company_id")
    @api.depends_context("uid")
    def _compute_dg_urgent_can_request(self):
        for order in self:
            order.dg_urgent_can_request = bool(order.id) and not order.sudo()._dg_urgent_not_requestable()

    # ------------------------------------------------------------------ facts

    def _dg_urgent_controlled(self):
        self.ensure_one()
        return bool(self.company_id.dg_urgent_control_active)

    def _dg_urgent_pickings(self):
        """The order's open transfers (deliveries, and picks and packs of multi-step routes)."""
        self.ensure_one()
        return self.sudo().picking_ids.filtered(lambda p: p.state in OPEN_PICKING)

    def _dg_urgent_signature(self):
        """The goods to expedite: the order's lines (product, quantity, unit)."""
        self.ensure_one()
        return sorted(
            [line.id, line.product_id.id, line.product_uom_qty, line.product_uom.id]
            for line in self.sudo().order_line
            if not line.display_type
        )

    def _dg_urgent_covers(self, request, transfers=True):
        """The request was made for the order as it is now: confirmed, same customer, company,
        currency and lines, and (`transfers`: before the decision) the transfers it was asked
        for still open."""
        self.ensure_one()
        facts = self._dg_facts()
        if not (
            self.state == "sale"
            and facts["order_partner_id"] == request.order_partner_id.id
            and facts["partner_id"] == request.partner_id.id
            and facts["company_id"] == request.company_id.id
            and facts["order_currency_id"] == request.order_currency_id.id
            and [list(key) for key in (request.urgent_lines or [])] == self._dg_urgent_signature()
        ):
            return False
        return not transfers or (
            bool(request.urgent_picking_ids)
            and all(p.state in OPEN_PICKING for p in request.sudo().urgent_picking_ids)
        )

    def _dg_urgent_not_requestable(self):
        """Why the order cannot be expedited now, else False."""
        self.ensure_one()
        if not self._dg_urgent_controlled():
            return _("Urgent-order governance is off for %s.", self.company_id.name)
        if self.state != "sale":
            return _("%s is not a confirmed order: only confirmed orders can be expedited.", self.name)
        if self.dg_urgent_state == "pending":
            return _("An urgent override of %s already waits for a warehouse manager.", self.name)
        if self.dg_urgent_state == "approved":
            return _("%s is already expedited.", self.name)
        if not self._dg_urgent_pickings():
            return _("%s has no open transfer to expedite.", self.name)
        return False

    def _dg_urgent_approved(self):
        """Orders whose urgent priority is approved (or that are not governed)."""
        return self.sudo().filtered(
            lambda o: not o._dg_urgent_controlled() or o.dg_urgent_state == "approved"
        )

    # ------------------------------------------------------------------ request

    def action_dg_urgent_request(self):
        """The Expedite button: the justification wizard, once the order may be expedited."""
        input_checks.one_record(self, _("Expedite one order at a time."))
        self.check_access("write")
        reason = self.sudo()._dg_urgent_not_requestable()
        if reason:
            raise UserError(reason)
        return {
            "type": "ir.actions.act_window",
            "name": _("Expedite %s", self.name),
            "res_model": "distribution.urgent.request.wizard",
            "view_mode": "form",
            # the panel runs it from an RPC, without the button's clean-up of actions
            "views": [(False, "form")],
            "target": "new",
            "context": {"dg_order_id": self.id},
        }

    def dg_urgent_request(self, justification):
        """File the urgent override of the order, with the requester's justification: a
        pending request bound to the order and its open transfers, a to-do for each approver.
        Only who may change the order asks."""
        justification = input_checks.text(
            self.env, justification, _("The justification"), required=True
        )
        input_checks.one_record(self, _("Expedite one order at a time."))
        self.check_access("write")
        order = self.sudo().with_context(clean_context(self.env.context))
        reason = order._dg_urgent_not_requestable()
        if reason:
            raise UserError(reason)
        pickings = order._dg_urgent_pickings()
        amount = order._dg_amount_company()
        tier = self.env["distribution.approval.policy"].sudo()._tier_for(
            KIND, order.company_id, amount
        )
        what = _(
            "Expedite %(order)s: urgent priority on %(pickings)s, stock reserved ahead of "
            "earlier orders.",
            order=order.name,
            pickings=", ".join(pickings.mapped("name")),
        )
        request = self.env["distribution.approval.request"].sudo().with_context(
            clean_context(self.env.context)
        ).create(
            dict(
                order._dg_facts(),
                kind=KIND,
                sale_order_id=order.id,
                picking_id=pickings[:1].id,
                urgent_picking_ids=[(6, 0, pickings.ids)],
                urgent_lines=order._dg_urgent_signature(),
                document_ref=order.name,
                requester_id=self.env.uid,
                salesperson_id=order.user_id.id or False,
                currency_id=order.company_id.currency_id.id,
                amount=amount,
                order_amount=order.amount_total,
                hold_reason=what,
                reason=justification,
                policy_id=tier.id,
                approver_group_id=tier.group_id.id,
                approvals_required=tier.approvals_required,
            )
        )
        order._dg_urgent_set_state("pending")
        self.env["distribution.audit.log"]._record("request", request=request, reason=justification)
        request._notify_approvers(_("Urgent order to decide: %s", order.name))
        body = _(
            "Urgent override %(req)s requested by %(user)s: %(text)s",
            req=request.name, user=self.env.user.name, text=justification,
        )
        order._message_log(body=body)
        for picking in pickings:
            picking._message_log(body=body)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Request sent"),
                "message": _(
                    "%(req)s waits for: %(who)s.",
                    req=request.name,
                    who=request.waiting_for
                    or _("nobody yet, ask your administrator to name an approver"),
                ),
                "type": "info",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _dg_urgent_set_state(self, state):
        self.sudo().with_context(clean_context(self.env.context)).write({"dg_urgent_state": state})

    # ------------------------------------------------------------------ after a decision

    def _dg_urgent_apply(self, request):
        """After the approval: the urgent priority on the transfers asked for, the order's
        moves reserved first. Returns what the approver is told."""
        self.ensure_one()
        order = self.sudo().with_context(clean_context(self.env.context))
        order._dg_urgent_set_state("approved")
        pickings = request.sudo().urgent_picking_ids.filtered(lambda p: p.state in OPEN_PICKING)
        pickings.write({"priority": URGENT})
        moves = pickings.move_ids.filtered(lambda m: m.state not in ("draft", "done", "cancel"))
        taken = order._dg_urgent_rereserve(moves)
        parts = [_("Urgent priority on %s.", ", ".join(pickings.mapped("name")))]
        if taken:
            parts.append(_(
                "Stock reserved ahead of: %s.",
                ", ".join(f"{m.reference} ({m.product_id.display_name}: -{qty:g})" for m, qty in taken),
            ))
        reserved = ", ".join(
            f"{m.product_id.display_name} {m.quantity:g}/{m.product_uom_qty:g}" for m in moves
        )
        if reserved:
            parts.append(_("Reserved: %s.", reserved))
        summary = " ".join(parts)
        self.env["distribution.audit.log"]._record("urgent_apply", request=request, reason=summary)
        for picking in pickings:
            picking._message_log(body=_("Expedited by %(req)s: %(what)s", req=request.name, what=summary))
        for picking in {m.picking_id for m, __ in taken if m.picking_id}:
            picking._message_log(body=_(
                "Reservation released for the urgent order %(order)s (%(req)s); reserved again "
                "from what is left.", order=order.name, req=request.name,
            ))
        order._dg_notify_requester(
            request, _("Urgent override approved: %(req)s. %(what)s", req=request.name, what=summary)
        )
        return _("%(order)s expedited. %(what)s", order=order.name, what=summary)

    def _dg_urgent_rereserve(self, moves):
        """Reserve `moves` first: competing moves of the same products in the same warehouse,
        reserved, not picked and of lower priority, are unreserved, `moves` reserved, then the
        others again in their own order. Returns [(move, quantity lost)]."""
        self.ensure_one()
        short = moves.filtered(
            lambda m: m.state in ("confirmed", "partially_available", "waiting") and not m.picked
        )
        if not short:
            return []
        Move = self.env["stock.move"].sudo()
        warehouse = self.warehouse_id or short.warehouse_id[:1] or short.picking_type_id.warehouse_id[:1]
        domain = [
            ("product_id", "in", short.product_id.ids),
            ("state", "in", ("assigned", "partially_available")),
            ("picked", "=", False),
            ("priority", "!=", URGENT),
            ("id", "not in", moves.ids),
            ("company_id", "=", self.company_id.id),
        ]
        if warehouse:
            domain.append(("location_id", "child_of", warehouse.view_location_id.id))
        else:
            domain.append(("location_id", "in", short.location_id.ids))
        competing = Move.search(domain, order="priority desc, date asc, id asc")
        before = {move: move.quantity for move in competing}
        competing._do_unreserve()
        short._action_assign()
        competing._action_assign()
        return [
            (move, before[move] - move.quantity)
            for move in competing
            if float_compare(move.quantity, before[move], precision_rounding=move.product_uom.rounding) < 0
        ]

    def _dg_urgent_reject(self, request, reason):
        self.ensure_one()
        self._dg_urgent_set_state("rejected")
        body = _("Urgent override refused: %(req)s was rejected (%(reason)s). Priorities and "
                 "reservations are unchanged.", req=request.name, reason=reason)
        for picking in request.sudo().urgent_picking_ids:
            picking._message_log(body=body)
        self._dg_notify_requester(request, body)
        return _("%s: urgent override refused; the transfers keep their place.", self.name)

    def _dg_on_approval_expired(self, request):
        # An urgent override is carried out when it is approved: the priority and the
        # reservations it gave stay; its expiry only ends the approval's validity.
        if request.kind == KIND:
            return None
        return super()._dg_on_approval_expired(request)

    # ------------------------------------------------------------------ changes

    def _dg_urgent_after_change(self, what):
        """After a change of these orders (lines, customer, cancellation, a transfer shipped):
        a pending request that no longer covers the order is cancelled, an approval voided and
        its urgent priority taken back (logged); who changed a pending one may not decide it."""
        for order in self.sudo():
            requests = order._dg_requests(KIND)
            if not requests.filtered(lambda r: r.state in ("pending", "approved")):
                continue
            text = what or _("%s: its lines, customer or transfers changed.", order.name)
            approved = requests.filtered(lambda r: r.state == "approved")
            if order.state == "sale" and not order._dg_urgent_pickings():
                # everything shipped: an approval carried out stays as it was
                approved = approved.browse()
            voided = approved.filtered(lambda r: not order._dg_urgent_covers(r, transfers=False))
            for request in voided:
                request.sudo().write({"state": "voided"})
                self.env["distribution.audit.log"]._record("void", request=request, reason=text)
                request._message_log(body=_("Voided: %s", text))
            order._dg_requests_after_change(
                requests.filtered(lambda r: r.state == "pending"), text
            )
            if voided:
                order._dg_urgent_withdraw(voided[-1], text)
            elif order.dg_urgent_state == "pending" and not order._dg_requests(KIND).filtered(
                lambda r: r.state == "pending"
            ):
                order._dg_urgent_set_state("none")

    def _dg_urgent_withdraw(self, request, why):
        """An approval voided: its urgent priority taken back from the open transfers;
        reservations stay."""
        self.ensure_one()
        self._dg_urgent_set_state("none")
        pickings = self._dg_urgent_pickings().filtered(lambda p: p.priority == URGENT)
        pickings.sudo().write({"priority": "0"})
        self.env["distribution.audit.log"]._record("urgent_reset", request=request, reason=why)
        body = _("Urgent priority taken back (%(req)s voided): %(why)s", req=request.name, why=why)
        self._message_log(body=body)
        for picking in pickings:
            picking._message_log(body=body)

    @api.model_create_multi
    def create(self, vals_list):
        refuse_urgent_fields(self, vals_list)
        if self.env.su:
            self = self.with_context(
                {k: v for k, v in self.env.context.items()
                 if k[len("default_"):] not in URGENT_FIELDS}
            )
        return super().create(vals_list)

    def write(self, vals):
        refuse_urgent_fields(self, [vals])
        watched = {"partner_id", "partner_invoice_id", "company_id", "currency_id", "order_line"}
        watch = set(vals) & watched and self._dg_urgent_watched()
        res = super().write(vals)
        if watch:
            watch._dg_urgent_after_change(False)
        return res

    def _dg_urgent_watched(self):
        return self.sudo().filtered(lambda o: o.dg_urgent_state in ("pending", "approved"))

    def _action_cancel(self):
        res = super()._action_cancel()
        cancelled = self._dg_urgent_watched().filtered(lambda o: o.state == "cancel")
        for order in cancelled:
            order._dg_urgent_after_change(_("%s was cancelled.", order.name))
        return res


class SaleOrderLineUrgent(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._dg_urgent_watched()._dg_urgent_after_change(False)
        return lines

    def write(self, vals):
        if not set(vals) & {"product_id", "product_uom_qty", "product_uom", "order_id"}:
            return super().write(vals)
        orders = self.order_id | self.env["sale.order"].browse(vals.get("order_id") or [])
        watched = orders._dg_urgent_watched()
        res = super().write(vals)
        watched._dg_urgent_after_change(False)
        return res

    def unlink(self):
        orders = self.order_id._dg_urgent_watched()
        res = super().unlink()
        orders.exists()._dg_urgent_after_change(False)
        return res


def _urgent_refused(records, orders_of, before, becoming=False):
    """Records made urgent for a governed order without an approved override: refused. A
    record already urgent for the same orders before the change is left alone. `becoming`:
    before a write of the urgent priority, for the records not urgent yet (refused before
    anything is written)."""
    for record in records.sudo():
        if (record.priority == URGENT) == becoming:
            continue
        orders = orders_of(record)
        if before.get(record.id) == (URGENT, frozenset(orders.ids)):
            continue
        blocked = orders - orders._dg_urgent_approved()
        if blocked:
            raise AccessError(_(
                "%(doc)s ships %(orders)s: its urgent priority is set by an approved urgent "
                "override only. Ask to expedite the order from its form.",
                doc=record.display_name, orders=", ".join(blocked.mapped("name")),
            ))


class StockPickingUrgent(models.Model):
    _inherit = "stock.picking"

    @staticmethod
    def _dg_urgent_orders(picking):
        return picking._dg_sale_orders()

    def _dg_urgent_before(self):
        return {
            p.id: (p.priority, frozenset(self._dg_urgent_orders(p).ids)) for p in self.sudo()
        }

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        if not self.env.su:
            _urgent_refused(pickings, self._dg_urgent_orders, {})
        return pickings

    def write(self, vals):
        if self.env.su or not set(vals) & {"priority", "move_ids", "move_ids_without_package"}:
            return super().write(vals)
        if vals.get("priority") == URGENT:
            _urgent_refused(self, self._dg_urgent_orders, {}, becoming=True)
        before = self._dg_urgent_before()
        res = super().write(vals)
        _urgent_refused(self, self._dg_urgent_orders, before)
        return res


class StockMoveUrgent(models.Model):
    _inherit = "stock.move"

    @staticmethod
    def _dg_urgent_orders(move):
        return (
            move.sale_line_id.order_id | move.group_id.sale_id | move.picking_id._dg_sale_orders()
        )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        if not self.env.su:
            _urgent_refused(moves, self._dg_urgent_orders, {})
        return moves

    def write(self, vals):
        if self.env.su or not set(vals) & {"priority", "picking_id", "sale_line_id", "group_id"}:
            return super().write(vals)
        if vals.get("priority") == URGENT:
            _urgent_refused(self, self._dg_urgent_orders, {}, becoming=True)
        before = {m.id: (m.priority, frozenset(self._dg_urgent_orders(m).ids)) for m in self.sudo()}
        res = super().write(vals)
        _urgent_refused(self, self._dg_urgent_orders, before)
        return res

    def _action_done(self, cancel_backorder=False):
        moves = self.sudo()
        orders = (moves.sale_line_id.order_id | moves.group_id.sale_id).filtered(
            lambda o: o.dg_urgent_state == "pending"
        )
        res = super()._action_done(cancel_backorder=cancel_backorder)
        for order in orders:
            order._dg_urgent_after_change(_("%s: goods were delivered before the decision.", order.name))
        return res


class DistributionApprovalRequestUrgent(models.Model):
    _inherit = "distribution.approval.request"

    # urgent requests: the transfers asked for and the lines as asked (id, product, quantity,
    # unit), see _dg_urgent_covers
    urgent_picking_ids = fields.Many2many(
        "stock.picking", "distribution_approval_request_urgent_picking_rel", "request_id",
        "picking_id", string="Transfers to Expedite", readonly=True, copy=False,
    )
    urgent_lines = fields.Json(readonly=True, copy=False)

    def _dg_covers(self, order):
        if self.kind == KIND:
            self.ensure_one()
            return self.sale_order_id == order and order._dg_urgent_covers(self)
        return super()._dg_covers(order)

    def _on_approved(self):
        if self.sale_order_id and self.kind == KIND:
            return self.sale_order_id.sudo()._dg_urgent_apply(self)
        return super()._on_approved()

    def _on_rejected(self, reason):
        if self.sale_order_id and self.kind == KIND:
            return self.sale_order_id.sudo()._dg_urgent_reject(self, reason)
        return super()._on_rejected(reason)

    def _dg_justify_action(self):
        if self.kind == KIND:
            action = super()._dg_justify_action()
            action["name"] = _("Request urgent approval for %s", self.document_ref)
            return action
        return super()._dg_justify_action()

    @api.model
    @api.readonly
    def get_urgent_panel_data(self, res_model, res_id):
        """The urgent panel of a sale order, its transfer or an urgent request: where the
        override stands, the order's open transfers and their priority and reservation, the
        request with Approve / Reject for who may decide it, Expedite for who may ask."""
        document = self._dg_panel_document(
            res_model, res_id, ("sale.order", "stock.picking", self._name),
            _("The urgent panel is shown on sales orders, transfers and approval requests only."),
        )
        if not document:
            return {"visible": False}
        doc = document.sudo()
        if res_model == "stock.picking":
            order = doc._dg_sale_orders()[:1]
        elif res_model == "sale.order":
            order = doc
        else:
            order = doc.sale_order_id if doc.kind == KIND else doc.browse()
        if not order:
            return {"visible": False}
        order = order.sudo()
        if not order._dg_urgent_controlled() and order.dg_urgent_state == "none":
            return {"visible": False}
        requests = order._dg_requests(KIND).sorted("id")
        current = requests.filtered(lambda r: r.state == "pending")[-1:] or requests[-1:]
        request_row = False
        if current and current.with_env(self.env).has_access("read"):
            request_row = dict(
                current._ui_row(full=False),
                justification=current.reason or "",
                requested_by=current.requester_id.name,
            )
        can_request = (
            res_model == "sale.order"
            and order.with_env(self.env).has_access("write")
            and not order._dg_urgent_not_requestable()
        )
        return {
            "visible": True,
            "order_id": order.id,
            "order_name": order.name if order.with_env(self.env).has_access("read") else "",
            "urgent_state": order.dg_urgent_state,
            "urgent_label": dict(
                order._fields["dg_urgent_state"]._description_selection(self.env)
            )[order.dg_urgent_state],
            "can_request": can_request,
            "transfers": [
                {
                    "id": picking.id,
                    "name": picking.name,
                    "priority": picking.priority,
                    "state": picking.state,
                    "state_label": dict(
                        picking._fields["state"]._description_selection(self.env)
                    )[picking.state],
                    "reserved": sum(picking.move_ids.mapped("quantity")),
                    "demand": sum(picking.move_ids.mapped("product_uom_qty")),
                }
                for picking in order.picking_ids.sorted("id")
                if picking.state in OPEN_PICKING
            ],
            "request": request_row,
        }
