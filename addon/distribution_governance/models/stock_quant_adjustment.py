"""Large inventory adjustments: applying a count whose change is above a threshold needs a stock
manager's approval. The same approval engine as the credit hold and the pricing policy
(distribution.approval.request, its tiers, decisions, segregation of duties and audit log),
another kind: `inventory_adjustment`.

A count (a quant's Counted Quantity) is above the threshold when the change it applies (Odoo's
Difference, in the product's unit) is above the quantity threshold, or its value (the change
times the product's cost, in the company's currency) above the value threshold; the thresholds
are the warehouse's when it has its own, else the company's (Inventory settings).

Paths to a changed on-hand quantity, each meeting the one check of `_dg_inventory_over` (see
readme/USAGE.md, "Large inventory adjustments"):
- Apply (a line's button, Apply / Apply All and their reason wizard, the conflict wizard): the
  counts above the threshold become one pending request per company, bound to the quants and
  their counted quantities; the others are applied as Odoo does;
- every other way Odoo applies a count (`_apply_inventory`: the On Hand Quantity edited in
  place, a create or an import with it, the product's Update Quantity wizard, the tracked-product
  confirmation, a stock manager deleting a quant): refused above the threshold;
- a stock move to or from an inventory-loss location (or marked `is_inventory`) validated
  outside an applied count: refused above the threshold;
- `quantity` written or created on a quant outside a stock move, a done adjustment's move line
  edited or added to: refused.

Approval applies exactly the counts approved, as the approver; a recount, a cleared count or a
stock move on one of its quants voids the request; a rejection leaves the stock as it was and
clears the count.
"""

from contextlib import contextmanager

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import float_compare, float_is_zero, format_amount
from odoo.tools.misc import clean_context

from .credit_hold import refuse_engine_fields

KIND = "inventory_adjustment"
MANAGER = "stock.group_stock_manager"
QUANT_ENGINE_FIELDS = ("dg_inventory_request_id", "dg_inventory_approval", "dg_counted_by_id")
THRESHOLD_FIELDS = ("dg_inventory_value_threshold", "dg_inventory_qty_threshold")
# A change of any of these on a quant of a pending request voids the request.
WATCHED_QUANT_FIELDS = {
    "inventory_quantity", "inventory_diff_quantity", "inventory_quantity_set", "quantity",
    "inventory_quantity_auto_apply", "product_id", "location_id", "lot_id", "package_id",
    "owner_id",
}


@contextmanager
def _cache_flag(env, key, values=True):
    """Mark, for the current transaction's code only (the cursor's cache: no RPC reaches it),
    that the engine is at work; nested marks add up and are undone in turn."""
    cache = env.cr.cache
    previous = cache.get(key)
    if isinstance(values, set):
        cache[key] = (previous or set()) | values
    else:
        cache[key] = True
    try:
        yield
    finally:
        if previous is None:
            cache.pop(key, None)
        else:
            cache[key] = previous


def refuse_inventory_fields(model, vals_list):
    refuse_engine_fields(
        model,
        vals_list,
        QUANT_ENGINE_FIELDS,
        model.env._(
            "Inventory approvals are decided by the system and the stock managers: %s cannot be "
            "set."
        ),
    )


class ResCompanyInventoryApproval(models.Model):
    _inherit = "res.company"

    dg_inventory_control_active = fields.Boolean(
        "Approve Large Inventory Adjustments",
        help="Applying a count whose change is above a threshold needs a stock manager's "
        "approval.",
    )
    dg_inventory_value_threshold = fields.Monetary(
        "Adjustment Value Threshold",
        currency_field="currency_id",
        help="A count changing the stock by more than this value (the change times the "
        "product's cost) needs approval. 0: no value threshold.",
    )
    dg_inventory_qty_threshold = fields.Float(
        "Adjustment Quantity Threshold",
        digits="Product Unit of Measure",
        help="A count changing the stock by more than this many units (the product's unit) "
        "needs approval. 0: no quantity threshold.",
    )

    @api.constrains(*THRESHOLD_FIELDS)
    def _check_dg_inventory_thresholds(self):
        for company in self:
            if company.dg_inventory_value_threshold < 0 or company.dg_inventory_qty_threshold < 0:
                raise ValidationError(_("The inventory adjustment thresholds cannot be negative."))


class ResConfigSettingsInventoryApproval(models.TransientModel):
    _inherit = "res.config.settings"

    dg_inventory_control_active = fields.Boolean(
        related="company_id.dg_inventory_control_active", readonly=False
    )
    dg_inventory_value_threshold = fields.Monetary(
        related="company_id.dg_inventory_value_threshold", readonly=False
    )
    dg_inventory_qty_threshold = fields.Float(
        related="company_id.dg_inventory_qty_threshold", readonly=False
    )


class StockWarehouseInventoryApproval(models.Model):
    _inherit = "stock.warehouse"

    dg_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    dg_inventory_value_threshold = fields.Monetary(
        "Adjustment Value Threshold",
        currency_field="dg_currency_id",
        help="This warehouse's own value threshold for inventory adjustments; 0: the company's.",
    )
    dg_inventory_qty_threshold = fields.Float(
        "Adjustment Quantity Threshold",
        digits="Product Unit of Measure",
        help="This warehouse's own quantity threshold for inventory adjustments; 0: the "
        "company's.",
    )

    @api.constrains(*THRESHOLD_FIELDS)
    def _check_dg_inventory_thresholds(self):
        for warehouse in self:
            if warehouse.dg_inventory_value_threshold < 0 or warehouse.dg_inventory_qty_threshold < 0:
                raise ValidationError(_("The inventory adjustment thresholds cannot be negative."))

    def _dg_refuse_thresholds(self, vals_list):
        # Stock managers edit warehouses; raising their own threshold would let them apply what
        # should wait for another manager: the thresholds are the governance administrators'.
        if self.env.su or self.env.user.has_group("distribution_governance.group_governance_admin"):
            return
        if any(set(vals) & set(THRESHOLD_FIELDS) for vals in vals_list) or any(
            key[len("default_"):] in THRESHOLD_FIELDS for key in self.env.context
            if key.startswith("default_")
        ):
            raise AccessError(
                _("Only a governance administrator sets a warehouse's inventory thresholds.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._dg_refuse_thresholds(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._dg_refuse_thresholds([vals])
        return super().write(vals)


class StockQuantInventoryApproval(models.Model):
    _inherit = "stock.quant"

    dg_inventory_request_id = fields.Many2one(
        "distribution.approval.request",
        string="Approval Request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The pending approval of this count: the stock changes once a stock manager "
        "approves it.",
    )
    # the badge of Physical Inventory and its filter; written with the request (not computed:
    # installing the addon computes nothing over every quant)
    dg_inventory_approval = fields.Selection(
        [("pending", "Pending approval")],
        string="Approval",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    dg_counted_by_id = fields.Many2one(
        "res.users",
        string="Counted By",
        readonly=True,
        copy=False,
        help="Who set the counted quantity last: he may not approve its adjustment.",
    )

    def _dg_inventory_bind(self, request):
        """Mark the quants pending on `request`, or free them (an empty one); as the engine."""
        self.sudo().write(
            {
                "dg_inventory_request_id": request.id or False,
                "dg_inventory_approval": "pending" if request else False,
            }
        )

    # ------------------------------------------------------------------ facts

    def _dg_inventory_thresholds(self):
        """(value threshold, quantity threshold) for this quant: its warehouse's own, else its
        company's; (0, 0) when the company does not control adjustments."""
        self.ensure_one()
        company = self.company_id or self.location_id.company_id
        if not company.dg_inventory_control_active:
            return 0.0, 0.0
        warehouse = self.location_id.warehouse_id
        return (
            warehouse.dg_inventory_value_threshold or company.dg_inventory_value_threshold,
            warehouse.dg_inventory_qty_threshold or company.dg_inventory_qty_threshold,
        )

    def _dg_inventory_line(self):
        """The count as it would be applied (the change is Odoo's Difference, what
        _apply_inventory moves), its value and whether it is above the threshold."""
        self.ensure_one()
        quant = self.sudo()
        company = quant.company_id or quant.location_id.company_id
        change = quant.inventory_diff_quantity
        cost = quant.product_id.with_company(company).standard_price
        value = company.currency_id.round(abs(change) * cost)
        value_max, qty_max = quant._dg_inventory_thresholds()
        rounding = quant.product_uom_id.rounding
        over = bool(
            (value_max and company.currency_id.compare_amounts(value, value_max) > 0)
            or (qty_max and float_compare(abs(change), qty_max, precision_rounding=rounding) > 0)
        )
        return {
            "quant_id": quant.id,
            "product_id": quant.product_id.id,
            "product": quant.product_id.display_name,
            "location_id": quant.location_id.id,
            "location": quant.location_id.display_name,
            "lot_id": quant.lot_id.id or False,
            "package_id": quant.package_id.id or False,
            "owner_id": quant.owner_id.id or False,
            "uom": quant.product_uom_id.name,
            "on_hand": quant.quantity,
            "counted": quant.inventory_quantity,
            "change": change,
            "value": value,
            "counted_by": quant.dg_counted_by_id.id or False,
            "over": over,
            "value_threshold": value_max,
            "qty_threshold": qty_max,
        }

    def _dg_inventory_over(self):
        """The quants whose count, applied now, is above their threshold."""
        allowed = self.env.cr.cache.get("dg_inventory_approved") or set()
        # on what _apply_inventory moves (the Difference), counted or not
        return self.filtered(lambda q: q.id not in allowed and q._dg_inventory_line()["over"])

    @staticmethod
    def _dg_inventory_line_text(env, line, currency):
        return env._(
            "%(product)s in %(location)s: %(change)+g %(uom)s (%(value)s)",
            product=line["product"],
            location=line["location"],
            change=line["change"],
            uom=line["uom"],
            value=format_amount(env, line["value"], currency),
        )

    def _dg_inventory_refuse(self):
        company = self.company_id[:1] or self.env.company
        lines = "\n".join(
            self._dg_inventory_line_text(self.env, q._dg_inventory_line(), company.currency_id)
            for q in self
        )
        raise UserError(
            _(
                "These counts change the stock beyond the threshold: a stock manager approves "
                "them first. Set them as Counted Quantity in Physical Inventory and Apply to "
                "request the approval.\n%s",
                lines,
            )
        )

    # ------------------------------------------------------------------ entry points

    @api.model_create_multi
    def create(self, vals_list):
        refuse_inventory_fields(self, vals_list)
        if self.env.su:
            self = self.with_context(
                {k: v for k, v in self.env.context.items()
                 if k[len("default_"):] not in QUANT_ENGINE_FIELDS}
            )
        if any("quantity" in vals for vals in vals_list):
            locations = self.env["stock.location"].browse(
                [vals["location_id"] for vals in vals_list
                 if "quantity" in vals and isinstance(vals.get("location_id"), int)]
            )
            self._dg_inventory_refuse_quantity(locations)
        return super().create(vals_list)

    def write(self, vals):
        refuse_inventory_fields(self, [vals])
        if "quantity" in vals:
            self._dg_inventory_refuse_quantity(self.location_id)
        if not set(vals) & WATCHED_QUANT_FIELDS:
            return super().write(vals)
        if {"inventory_quantity", "inventory_diff_quantity"} & set(vals):
            # whoever sets a count (as himself or through Odoo's sudo paths) counted it
            vals = dict(vals, dg_counted_by_id=self.env.uid)
        pending = self.sudo().filtered("dg_inventory_request_id")
        res = super().write(vals)
        if pending:
            pending._dg_inventory_after_change()
        return res

    def _dg_inventory_refuse_quantity(self, locations):
        """On-hand quantities change through stock moves (`_update_available_quantity`), never
        by a write of `quantity`: that would change the stock with no move and no approval."""
        if self.env.su or self.env.cr.cache.get("dg_inventory_moving"):
            return
        if any((loc.company_id or self.env.company).dg_inventory_control_active
               for loc in locations.sudo()):
            raise AccessError(
                _("On-hand quantities change through stock moves and inventory counts only.")
            )

    @api.model
    def _update_available_quantity(self, *args, **kwargs):
        with _cache_flag(self.env, "dg_inventory_moving"):
            return super()._update_available_quantity(*args, **kwargs)

    def _apply_inventory(self):
        """Every path Odoo applies a count by: above the threshold only what an approval being
        applied covers goes through."""
        over = self._dg_inventory_over()
        if over:
            over._dg_inventory_refuse()
        with _cache_flag(self.env, "dg_inventory_applying"):
            return super()._apply_inventory()

    def action_apply_inventory(self):
        """Apply: counts above the threshold wait for a stock manager (one request per
        company, reused while it covers them); the others are applied as Odoo does."""
        if self.env.context.get("set_inventory_quantity_auto_apply"):
            # the On Hand Quantity edited in place: _apply_inventory decides (refuses)
            return super().action_apply_inventory()
        over = self._dg_inventory_over()
        if not over:
            return super().action_apply_inventory()
        if self.filtered("is_outdated"):
            # stock moved since the count: Odoo's conflict wizard first, it applies through here
            return super().action_apply_inventory()
        self.check_access("write")
        if not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(_("Applying inventory counts needs the Inventory User rights."))
        requests = over._dg_inventory_request()
        rest = self - over
        res = super(StockQuantInventoryApproval, rest).action_apply_inventory() if rest else None
        if isinstance(res, dict):
            return res
        if len(requests) == 1:
            return requests._dg_inventory_notice(bool(rest))
        return requests[:1]._dg_inventory_notice(bool(rest), count=len(requests))

    def _dg_inventory_request(self):
        """The pending requests for these counts: those already covering them, and a new one per
        company for the others. As superuser, after the caller's checks."""
        Request = self.env["distribution.approval.request"].sudo().with_context(
            clean_context(self.env.context)
        )
        requests = Request.browse()
        quants = self.sudo().with_context(clean_context(self.env.context))
        for request in quants.dg_inventory_request_id:
            if request.state == "pending" and not request._dg_inventory_covers():
                request._dg_inventory_void(_("The counts changed since the request."))
        for company in quants.company_id:
            todo = quants.filtered(lambda q, c=company: q.company_id == c)
            covered = todo.dg_inventory_request_id.filtered(lambda r: r.state == "pending")
            requests |= covered
            for request in covered:
                todo -= request._dg_inventory_quants()
            if todo:
                requests |= todo._dg_inventory_new_request(Request, company)
        return requests

    def _dg_inventory_new_request(self, Request, company):
        lines = [quant._dg_inventory_line() for quant in self]
        amount = sum(line["value"] for line in lines)
        currency = company.currency_id
        tier = self.env["distribution.approval.policy"].sudo()._tier_for(KIND, company, amount)
        reason = "\n".join(self._dg_inventory_line_text(self.env, line, currency) for line in lines)
        counters = self.env["res.users"].browse(
            {line["counted_by"] for line in lines if line["counted_by"]}
        )
        request = Request.create(
            {
                "kind": KIND,
                "company_id": company.id,
                "document_ref": _(
                    "Count at %(locations)s: %(products)s",
                    locations=self._dg_inventory_names(self.location_id),
                    products=self._dg_inventory_names(self.product_id),
                ),
                "requester_id": self.env.uid,
                "currency_id": currency.id,
                "amount": amount,
                "hold_reason": reason,
                "inventory_lines": [
                    {k: v for k, v in line.items() if k not in ("over",)} for line in lines
                ],
                "inventory_counter_ids": [(6, 0, counters.ids)],
                "policy_id": tier.id,
                "approver_group_id": tier.group_id.id,
                "approvals_required": tier.approvals_required,
            }
        )
        self._dg_inventory_bind(request)
        self.env["distribution.audit.log"]._record("request", request=request, reason=reason)
        request._notify_approvers(_("Inventory adjustment to decide: %s", request.document_ref))
        request._message_log(body=_("Approval of these counts requested:\n%s", reason))
        return request

    @staticmethod
    def _dg_inventory_names(records, limit=3):
        names = records[:limit].mapped("display_name")
        return ", ".join(names) + ("…" if len(records) > limit else "")

    def _dg_inventory_after_change(self):
        for request in self.sudo().dg_inventory_request_id:
            if request.state == "pending" and not request._dg_inventory_covers():
                request._dg_inventory_void(
                    _("A count or the stock of its products changed since the request.")
                )


class StockMoveInventoryApproval(models.Model):
    _inherit = "stock.move"

    def _dg_inventory_side(self):
        """The internal location an adjustment move changes, or an empty one when the move is
        not an adjustment (scraps are not: they have their own flow)."""
        self.ensure_one()
        src, dest = self.location_id, self.location_dest_id
        adjustment = self.is_inventory or any(
            loc.usage == "inventory" and not loc.scrap_location for loc in (src, dest)
        )
        if not adjustment:
            return src.browse()
        return dest if dest.usage in ("internal", "transit") else src

    def _action_done(self, cancel_backorder=False):
        if not self.env.cr.cache.get("dg_inventory_applying"):
            self._dg_inventory_check_moves()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _dg_inventory_check_moves(self):
        """An adjustment move validated outside an applied count (a hand-made move or transfer
        from or to the inventory-loss location): refused above the threshold of its side's
        warehouse, as the count would be."""
        refused = []
        for move in self.sudo().filtered(lambda m: m.state not in ("done", "cancel")):
            location = move._dg_inventory_side()
            company = move.company_id
            if not location or not company.dg_inventory_control_active:
                continue
            warehouse = location.warehouse_id
            value_max = warehouse.dg_inventory_value_threshold or company.dg_inventory_value_threshold
            qty_max = warehouse.dg_inventory_qty_threshold or company.dg_inventory_qty_threshold
            qty = move.product_uom._compute_quantity(
                move.quantity or move.product_uom_qty, move.product_id.uom_id
            )
            value = company.currency_id.round(
                qty * move.product_id.with_company(company).standard_price
            )
            rounding = move.product_id.uom_id.rounding
            if (value_max and company.currency_id.compare_amounts(value, value_max) > 0) or (
                qty_max and float_compare(qty, qty_max, precision_rounding=rounding) > 0
            ):
                refused.append(move.product_id.display_name)
        if refused:
            raise UserError(
                _(
                    "An inventory adjustment beyond the threshold is applied from Physical "
                    "Inventory, once a stock manager approves it: %s.",
                    ", ".join(refused),
                )
            )


class StockMoveLineInventoryApproval(models.Model):
    _inherit = "stock.move.line"

    # what, changed on a done line, moves stock again (Odoo re-applies the line to the quants)
    _DG_RESTOCKING_FIELDS = {
        "quantity", "product_uom_id", "location_id", "location_dest_id", "lot_id", "package_id",
        "result_package_id", "owner_id", "quant_id",
    }

    def _dg_done_adjustments(self):
        """Lines of done adjustments (an inventory move, or to or from an inventory-loss
        location, scraps aside) of companies that control them."""
        def adjustment(line):
            locations = line.location_id | line.location_dest_id | line.move_id.location_id \
                | line.move_id.location_dest_id
            return line.move_id.is_inventory or any(
                loc.usage == "inventory" and not loc.scrap_location for loc in locations
            )

        return self.sudo().filtered(
            lambda line: line.state == "done"
            and line.company_id.dg_inventory_control_active
            and adjustment(line)
        )

    def _dg_refuse_done_adjustments(self):
        if self.env.cr.cache.get("dg_inventory_applying"):
            return
        if self._dg_done_adjustments():
            raise UserError(
                _("A done inventory adjustment is not edited: count the quantity again in "
                  "Physical Inventory (a stock manager approves it above the threshold).")
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._dg_refuse_done_adjustments()
        return lines

    def write(self, vals):
        if self._DG_RESTOCKING_FIELDS & set(vals):
            self._dg_refuse_done_adjustments()
        return super().write(vals)


class DistributionApprovalRequestInventory(models.Model):
    _inherit = "distribution.approval.request"

    # inventory requests: the counts as requested (quant, product, location, lot, package,
    # owner, on hand, counted, change, value, counter), see _dg_inventory_covers
    inventory_lines = fields.Json(readonly=True, copy=False)
    inventory_counter_ids = fields.Many2many(
        "res.users", "distribution_approval_request_counter_rel", "request_id", "user_id",
        string="Counted By", readonly=True,
        help="Who set the counts: they may not decide them.",
    )
    inventory_lines_html = fields.Html(
        "Counts to Apply", compute="_compute_inventory_lines_html", sanitize=False
    )

    @api.depends("inventory_lines")
    def _compute_inventory_lines_html(self):
        for req in self:
            if req.kind != KIND or not req.inventory_lines:
                req.inventory_lines_html = False
                continue
            currency = req.currency_id
            head = Markup(
                "<table class='table table-sm o_dg_inventory_lines'><thead><tr>"
                "<th>%s</th><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>"
            ) % (_("Product"), _("Location"), _("On Hand"), _("Counted"), _("Change"), _("Value"))
            rows = Markup("").join(
                Markup(
                    "<tr class='o_dg_inventory_line'><td>%s</td><td>%s</td>"
                    "<td class='text-end'>%s</td><td class='text-end o_dg_counted'>%s</td>"
                    "<td class='text-end o_dg_change'>%s</td><td class='text-end'>%s</td></tr>"
                )
                % (
                    line.get("product", ""),
                    line.get("location", ""),
                    "%g %s" % (line.get("on_hand", 0.0), line.get("uom", "")),
                    "%g %s" % (line.get("counted", 0.0), line.get("uom", "")),
                    "%+g" % line.get("change", 0.0),
                    format_amount(self.env, line.get("value", 0.0), currency),
                )
                for line in req.inventory_lines
            )
            req.inventory_lines_html = head + rows + Markup("</tbody></table>")

    # ------------------------------------------------------------------ facts

    def _dg_inventory_quants(self):
        self.ensure_one()
        ids = [line["quant_id"] for line in self.inventory_lines or []]
        return self.env["stock.quant"].sudo().browse(ids).exists()

    def _dg_inventory_covers(self):
        """The quants still hold the counts requested: same product, place, lot, package and
        owner, the same counted quantity, change and on-hand quantity."""
        self.ensure_one()
        lines = self.inventory_lines or []
        quants = self._dg_inventory_quants()
        if not lines or len(quants) != len(lines):
            return False
        by_id = {quant.id: quant for quant in quants}
        for line in lines:
            quant = by_id[line["quant_id"]]
            rounding = quant.product_uom_id.rounding
            if (
                quant.company_id != self.company_id
                or quant.product_id.id != line["product_id"]
                or quant.location_id.id != line["location_id"]
                or (quant.lot_id.id or False) != line["lot_id"]
                or (quant.package_id.id or False) != line["package_id"]
                or (quant.owner_id.id or False) != line["owner_id"]
                or any(
                    not float_is_zero(quant[field] - line[key], precision_rounding=rounding)
                    for field, key in (
                        ("quantity", "on_hand"),
                        ("inventory_quantity", "counted"),
                        ("inventory_diff_quantity", "change"),
                    )
                )
            ):
                return False
        return True

    def _dg_covers(self, order):
        if self.kind == KIND:
            return self._dg_inventory_covers()
        return super()._dg_covers(order)

    # ------------------------------------------------------------------ rights

    def _refusal(self, user):
        if self.kind == KIND and user != self.requester_id:
            if user in self.inventory_counter_ids:
                return "self_approval_refused", _(
                    "You counted these quantities: another stock manager must decide them."
                )
            if self.env.ref(MANAGER) not in user.groups_id:
                return "unauthorized_refused", _(
                    "Deciding inventory adjustments needs the group “%s”.",
                    self.env.ref(MANAGER).full_name,
                )
        return super()._refusal(user)

    @api.model
    def _refusal_domain(self, user):
        terms = [
            super()._refusal_domain(user),
            [("kind", "=", KIND), ("inventory_counter_ids", "in", [user.id])],
        ]
        if self.env.ref(MANAGER) not in user.groups_id:
            terms.append([("kind", "=", KIND)])
        return expression.OR(terms)

    def _check_can_decide(self):
        res = super()._check_can_decide()
        if self.kind == KIND and self.state == "pending" and not self._dg_inventory_covers():
            raise UserError(
                _("%s: the counts or the stock changed since the request; it needs a new count.",
                  self.name)
            )
        return res

    # ------------------------------------------------------------------ decisions

    def _on_approved(self):
        if self.kind == KIND:
            return self._dg_inventory_apply()
        return super()._on_approved()

    def _on_rejected(self, reason):
        if self.kind == KIND:
            return self._dg_inventory_reject(reason)
        return super()._on_rejected(reason)

    def _dg_inventory_apply(self):
        """Apply exactly the counts approved, as the approver (he made the decision: the moves
        and the trail are his), and tell the requester."""
        self.ensure_one()
        if not self._dg_inventory_covers():
            raise UserError(
                _("%s: the counts or the stock changed since the request; it needs a new count.",
                  self.name)
            )
        quants = self._dg_inventory_quants().with_context(
            clean_context(self.env.context),
            inventory_name=_("%(req)s: approved adjustment", req=self.name),
            allowed_company_ids=[self.company_id.id],
        )
        quants._dg_inventory_bind(self.browse())
        # approved_until would expire an adjustment already applied: it is spent now
        self.sudo().write({"approved_until": False})
        with _cache_flag(self.env, "dg_inventory_approved", set(quants.ids)):
            quants._apply_inventory()
        self.env["distribution.audit.log"]._record("inventory_apply", request=self)
        message = _("%(req)s: %(count)s counts applied by %(user)s.", req=self.name,
                    count=len(quants), user=self.env.user.name)
        self._message_log(body=message)
        self.sudo().message_post(
            body=message,
            partner_ids=self.requester_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        return message

    def _dg_inventory_reject(self, reason):
        """The stock stays as it was; the counts refused are cleared (the request keeps them),
        so that no Apply All re-files them unnoticed."""
        self.ensure_one()
        quants = self._dg_inventory_quants().filtered(lambda q: q.dg_inventory_request_id == self)
        quants._dg_inventory_bind(self.browse())
        quants.action_clear_inventory_quantity()
        message = _("%(req)s: counts refused (%(reason)s); the stock is unchanged and the counts "
                    "are cleared.", req=self.name, reason=reason)
        self.sudo().message_post(
            body=message,
            partner_ids=self.requester_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
        )
        return message

    def _dg_inventory_void(self, why):
        """A recount or a change: the request no longer stands for the counts (logged)."""
        self.ensure_one()
        req = self.sudo()
        req.write({"state": "voided", "decided_at": fields.Datetime.now()})
        req._close_activities()
        self.env["stock.quant"].sudo().search(
            [("dg_inventory_request_id", "=", req.id)]
        )._dg_inventory_bind(req.browse())
        self.env["distribution.audit.log"]._record("inventory_void", request=req, reason=why)
        req._message_log(body=_("Voided: %s", why))

    def _dg_inventory_notice(self, others_applied, count=1):
        """What Apply answers: the requester justifies the request; the others read where it
        stands."""
        self.ensure_one()
        if count == 1 and self.requester_id == self.env.user and not self.reason:
            return self._dg_justify_action()
        message = _("%(req)s waits for: %(who)s.", req=self.name,
                    who=self.waiting_for or _("nobody yet, ask your administrator"))
        if count > 1:
            message = _("%s approval requests wait for a stock manager.", count)
        if others_applied:
            message = _("%s The counts within the threshold are applied.", message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Inventory adjustment waits for approval"),
                "message": message,
                "type": "warning",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _dg_justify_action(self):
        action = super()._dg_justify_action()
        if self.kind == KIND:
            action["name"] = _("Request approval of %s", self.document_ref)
        return action


class DistributionAuditLogInventory(models.Model):
    _inherit = "distribution.audit.log"

    event = fields.Selection(
        selection_add=[
            ("inventory_apply", "Inventory adjustment applied"),
            ("inventory_void", "Inventory request voided: recounted or changed"),
        ],
        # the trail is append-only: the entries stay as they are (the whole log goes with the
        # module, never a part of it)
        ondelete={"inventory_apply": lambda entries: None, "inventory_void": lambda entries: None},
    )
