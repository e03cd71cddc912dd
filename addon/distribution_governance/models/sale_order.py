from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount
from odoo.tools.sql import column_exists, create_column, create_index
from odoo.tools.float_utils import float_compare


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "distribution.exception.document"]
    _dg_exception_field = "sale_order_id"

    dg_exception_ids = fields.One2many(
        "distribution.exception",
        "sale_order_id",
        string="Exceptions",
        groups="distribution_governance.group_exception_user",
    )

    def _dg_stockout_shortages(self):
        """(line, demanded, free) for storable lines the warehouse's free stock cannot cover.

        Read before confirmation, so the order's own reservations do not count against it; lines
        of one product share the free quantity in order.
        """
        shortages = []
        for order in self:
            remaining = {}
            for line in order.order_line.filtered(
                lambda l: l.product_id.is_storable and not l.display_type and l.product_uom_qty > 0
            ):
                product = line.product_id
                if product.id not in remaining:
                    remaining[product.id] = product.with_context(
                        warehouse_id=order.warehouse_id.id
                    ).free_qty
                demanded = line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
                free = remaining[product.id]
                if float_compare(demanded, free, precision_rounding=product.uom_id.rounding) > 0:
                    shortages.append((line, demanded, max(free, 0.0)))
                remaining[product.id] = free - demanded
        return shortages

    def _action_confirm(self):
        shortages = self._dg_stockout_shortages()
        res = super()._action_confirm()
        Exception_ = self.env["distribution.exception"]
        for line, demanded, free in shortages:
            order = line.order_id
            Exception_._raise_exception(
                "stockout",
                f"stockout:sale.order.line:{line.id}",
                {
                    "company_id": order.company_id.id,
                    "partner_id": order.partner_id.id,
                    "sale_order_id": order.id,
                    "product_id": line.product_id.id,
                    "quantity_expected": demanded,
                    "quantity_actual": free,
                    "quantity_missing": demanded - free,
                    "description": _(
                        "%(order)s needs %(qty)s %(uom)s of %(product)s; %(free)s free in %(wh)s.",
                        order=order.name,
                        qty=demanded,
                        uom=line.product_id.uom_id.name,
                        product=line.product_id.display_name,
                        free=free,
                        wh=order.warehouse_id.name,
                    ),
                },
            )
        return res


class SaleOrderCreditHold(models.Model):
    """The credit hold: a real state beside Odoo's own, checked on every confirmation path."""

    _inherit = "sale.order"

    dg_credit_hold = fields.Selection(
        [
            ("none", "No hold"),
            ("on_hold", "On credit hold"),
            ("released", "Released"),
            ("rejected", "Hold rejected"),
        ],
        string="Credit Hold",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
        index=True,
    )
    dg_hold_reason = fields.Text("Hold Reason", copy=False, readonly=True)
    # Read over RPC by governance users only; the hold logic reads them as superuser, so a
    # billing user confirming an order over credit gets it held like anyone else.
    dg_approval_request_ids = fields.One2many(
        "distribution.approval.request",
        "sale_order_id",
        string="Approval Requests",
        groups="distribution_governance.group_exception_user",
    )

    # ------------------------------------------------------------------ checks

    def _dg_amount_company(self):
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total,
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _dg_valid_approval(self):
        """The approved credit override that still covers this order at its amount."""
        self.ensure_one()
        now = fields.Datetime.now()
        amount = self._dg_amount_company()
        return self.sudo().dg_approval_request_ids.filtered(
            lambda r: r.kind == "credit_override"
            and r.state == "approved"
            and r.approved_until
            and r.approved_until > now
            and self.company_id.currency_id.compare_amounts(r.amount, amount) >= 0
        )[:1]

    def _dg_hold_reason(self):
        """(reason, exposure) when the order must be held, else (False, exposure)."""
        self.ensure_one()
        company = self.company_id
        if not (company.account_use_credit_limit and company.dg_credit_hold_active):
            return False, {}
        exposure = self.env["res.partner"]._dg_credit_exposure(self.partner_id, company, self)
        reasons = []

        def money(amount):
            return format_amount(self.env, amount, company.currency_id)

        if exposure["credit_control"] and exposure["total"] > exposure["limit"]:
            reasons.append(
                _(
                    "Credit exposure %(total)s exceeds the limit %(limit)s "
                    "(receivables %(rec)s + uninvoiced orders %(uninv)s + this order %(this)s).",
                    total=money(exposure["total"]),
                    limit=money(exposure["limit"]),
                    rec=money(exposure["receivables"]),
                    uninv=money(exposure["uninvoiced"]),
                    this=money(exposure["this_order"] or self._dg_amount_company()),
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

    # ------------------------------------------------------------------ hold / release

    def _dg_put_on_hold(self, reason, exposure, event="request"):
        self.ensure_one()
        Request = self.env["distribution.approval.request"].sudo()
        amount = self._dg_amount_company()
        pending = self.sudo().dg_approval_request_ids.filtered(lambda r: r.state == "pending")
        same = pending.filtered(
            lambda r: self.company_id.currency_id.compare_amounts(r.amount, amount) == 0
        )
        (pending - same).write({"state": "cancelled"})
        self.sudo().write({"dg_credit_hold": "on_hold", "dg_hold_reason": reason})
        if same:
            return same[:1]
        tier = self.env["distribution.approval.policy"].sudo()._tier_for(
            "credit_override", self.company_id, amount
        )
        request = Request.create(
            {
                "kind": "credit_override",
                "company_id": self.company_id.id,
                "sale_order_id": self.id,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "document_ref": self.name,
                "requester_id": self.env.uid,
                "salesperson_id": self.user_id.id or False,
                "currency_id": self.company_id.currency_id.id,
                "amount": amount,
                "exposure_receivables": exposure["receivables"],
                "exposure_uninvoiced": exposure["uninvoiced"],
                "exposure_this_order": exposure["this_order"],
                "exposure_total": exposure["total"],
                "credit_limit": exposure["limit"],
                "overdue_amount": exposure["overdue"],
                "hold_reason": reason,
                "policy_id": tier.id,
                "approver_group_id": tier.group_id.id,
                "approvals_required": tier.approvals_required,
            }
        )
        exception = self.env["distribution.exception"]._raise_exception(
            "credit_hold",
            f"credit_hold:sale.order:{self.id}",
            {
                "company_id": self.company_id.id,
                "partner_id": self.partner_id.id,
                "sale_order_id": self.id,
                "description": reason,
            },
        )
        request.exception_id = exception
        self.env["distribution.audit.log"]._record(event, request=request, reason=reason)
        request._notify_approvers(_("Credit hold to decide: %s", self.name))
        self._message_log(
            body=_("On credit hold, approval %(req)s requested: %(reason)s", req=request.name, reason=reason),
        )
        return request

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
        self.ensure_one()
        self.sudo().write({"dg_credit_hold": "released"})
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

    def _dg_reject_hold(self, request, reason):
        self.ensure_one()
        self.sudo().write({"dg_credit_hold": "rejected"})
        exception = request.exception_id
        if exception.state in ("new", "in_progress"):
            rejected = exception.type_id.resolution_code_ids.filtered(lambda r: r.code == "rejected")
            exception.sudo().action_resolve(rejected.id, reason)
        self._dg_notify_requester(
            request, _("Credit hold upheld: %(req)s was rejected (%(reason)s).", req=request.name, reason=reason)
        )

    def _dg_on_approval_expired(self, request):
        self.ensure_one()
        still_needed = self.state in ("draft", "sent") or (
            self.state == "sale"
            and any(p.state not in ("done", "cancel") for p in self.picking_ids if p.picking_type_code == "outgoing")
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

    def _dg_check_rehold(self):
        """An amount above the approved one puts a released order back on hold."""
        for order in self.filtered(lambda o: o.dg_credit_hold == "released"):
            approved = order.sudo().dg_approval_request_ids.filtered(
                lambda r: r.state == "approved"
            ).sorted("id")[-1:]
            amount = order._dg_amount_company()
            if approved and order.company_id.currency_id.compare_amounts(amount, approved.amount) > 0:
                reason, exposure = order._dg_hold_reason()
                if reason:
                    order._dg_put_on_hold(
                        _(
                            "The amount rose from %(old)s to %(new)s above the approval. %(reason)s",
                            old=format_amount(self.env, approved.amount, order.company_id.currency_id),
                            new=format_amount(self.env, amount, order.company_id.currency_id),
                            reason=reason,
                        ),
                        exposure,
                        event="rehold",
                    )

    # ------------------------------------------------------------------ entry points

    def action_confirm(self):
        # The hold below writes as superuser and skips Odoo's confirmation, which would have
        # checked this: only who may change the order may confirm it (or get it held).
        self.check_access("write")
        held = self.browse()
        for order in self.filtered(lambda o: o.state in ("draft", "sent")):
            reason, exposure = order._dg_hold_reason()
            if reason:
                order._dg_put_on_hold(reason, exposure)
                if order.company_id.dg_credit_hold_point == "confirmation":
                    held |= order
        to_confirm = self - held
        res = super(SaleOrderCreditHold, to_confirm).action_confirm() if to_confirm else True
        if held:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": _("On credit hold"),
                    "message": _(
                        "%s stays a quotation until an approver releases the credit hold.",
                        ", ".join(held.mapped("name")),
                    ),
                    "type": "warning",
                    "sticky": False,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return res

    def write(self, vals):
        if vals.get("state") == "sale":
            # Every confirmation path ends in this write (action_confirm, portals, RPC that
            # writes the state directly): an order still needing a release never gets through.
            for order in self.filtered(
                lambda o: o.state in ("draft", "sent")
                and o.company_id.dg_credit_hold_point == "confirmation"
            ):
                reason, _exposure = order._dg_hold_reason()
                if reason:
                    raise UserError(
                        _("%(order)s is on credit hold: %(reason)s", order=order.name, reason=reason)
                    )
        res = super().write(vals)
        if "order_line" in vals:
            self._dg_check_rehold()
        return res


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    dg_invoice_discrepancy = fields.Boolean(
        "Invoice Discrepancy",
        compute="_compute_dg_invoice_discrepancy",
        store=True,
        help="Goods delivered and invoiced in different quantities (delivered-not-invoiced or "
        "invoiced-not-delivered): counted by the warehouse KPI dashboard.",
    )

    @api.depends("qty_delivered", "qty_invoiced", "display_type", "product_id.type")
    def _compute_dg_invoice_discrepancy(self):
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in self:
            line.dg_invoice_discrepancy = bool(
                not line.display_type
                and line.product_id.type == "consu"
                and float_compare(line.qty_delivered, line.qty_invoiced, precision_digits=digits)
            )

    def _auto_init(self):
        # fill the new column in one UPDATE rather than computing every existing line in Python
        cr = self.env.cr
        if not column_exists(cr, self._table, "dg_invoice_discrepancy"):
            create_column(cr, self._table, "dg_invoice_discrepancy", "boolean")
            digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            cr.execute(
                SQL(
                    """UPDATE sale_order_line sol SET dg_invoice_discrepancy = TRUE
                         FROM product_product pp
                         JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
                        WHERE pp.id = sol.product_id
                          AND sol.display_type IS NULL
                          AND tmpl.type = 'consu'
                          AND ROUND(sol.qty_delivered::numeric, %s)
                              != ROUND(sol.qty_invoiced::numeric, %s)""",
                    digits,
                    digits,
                )
            )
        result = super()._auto_init()
        create_index(
            cr,
            "sale_order_line_dg_invoice_discrepancy_idx",
            self._table,
            ["order_id"],
            where="dg_invoice_discrepancy",
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._dg_check_rehold()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"product_uom_qty", "price_unit", "discount", "tax_id"} & set(vals):
            self.order_id._dg_check_rehold()
        return res
