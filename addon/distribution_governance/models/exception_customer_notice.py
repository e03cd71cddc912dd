"""Exception-to-customer communication: the revised promise of an exception, shown on its order
and the customer's portal, and a notice to the customer prepared in Odoo's mail composer from
the template of the exception's resolution code (reviewed by the user before it is sent)."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import formatLang
from odoo.tools.sql import column_exists, create_column

from . import input_checks
from .credit_hold import refuse_engine_fields
from .distribution_exception import OPEN_STATES

NOTICE_FIELDS = ("dg_revised_promise_date",)
# what a notice is when the resolution names no template: the revised promise
NEW_PROMISE_TEMPLATE = "distribution_governance.mail_template_dg_new_promise_date"


class DistributionExceptionResolutionNotice(models.Model):
    _inherit = "distribution.exception.resolution"

    notify_customer = fields.Boolean(
        "Notify the Customer",
        help="Resolving an exception of a sales order with this code opens the customer notice "
        "in the mail composer, to review and send.",
    )
    customer_template_id = fields.Many2one(
        "mail.template",
        string="Customer Notice Template",
        domain=[("model", "=", "sale.order")],
        # a template deleted: the notice falls back to the new promise date's
        ondelete="set null",
        help="The email to the customer (on the sales order) for exceptions resolved with "
        "this code.",
    )

    @api.constrains("notify_customer", "customer_template_id")
    def _check_customer_template(self):
        for code in self:
            if code.customer_template_id and code.customer_template_id.model != "sale.order":
                raise ValidationError(
                    _("The customer notice of “%s” must be a sales order email template.", code.name)
                )
            if code.notify_customer and not code.customer_template_id:
                raise ValidationError(
                    _("“%s” notifies the customer: choose its notice template.", code.name)
                )


class DistributionExceptionCustomerNotice(models.Model):
    _inherit = "distribution.exception"

    promise_date = fields.Datetime(
        "Revised Promise",
        tracking=True,
        copy=False,
        help="The delivery date now promised to the customer. Shown on the sales order and on "
        "the customer's portal; the latest promise of the order's exceptions counts.",
    )
    can_notify_customer = fields.Boolean(
        compute="_compute_can_notify_customer",
        help="The exception has a sales order, a notice applies and you may post on the order.",
    )

    @api.depends_context("uid")
    @api.depends("sale_order_id", "resolution_id", "promise_date", "state")
    def _compute_can_notify_customer(self):
        worker = self._is_worker()
        for rec in self:
            rec.can_notify_customer = worker and bool(rec.id) and not rec._notice_refusal()

    # ------------------------------------------------------------------ rules

    def _notice_template(self):
        """The notice this exception sends: its resolution code's, else the new promise date
        when one is set; or an empty template."""
        self.ensure_one()
        template = self.resolution_id.customer_template_id
        if not template and self.promise_date:
            template = self.env.ref(NEW_PROMISE_TEMPLATE, raise_if_not_found=False)
        return (template or self.env["mail.template"]).sudo()

    def _notice_refusal(self):
        """Why the current user may not send the customer a notice about this exception; or
        False. Posting on the order is judged with the order's own rights."""
        self.ensure_one()
        order = self.sudo().sale_order_id
        if not order:
            return _("%s is about no sales order: there is no customer to notify.", self.name)
        if order.state == "cancel":
            return _("%s is cancelled: there is no delivery to tell its customer about.", order.name)
        if self.state == "cancelled":
            return self._closed_refusal(_("notify the customer of"))
        if not self._notice_template():
            return _(
                "%s has no customer notice: resolve it with a code that notifies the customer, "
                "or set its revised promise.",
                self.name,
            )
        if not order.with_env(self.env).has_access(order._mail_post_access):
            return _("You may not write to the customer of %s.", order.display_name)
        return False

    def _promise_refusal(self):
        """Why the current user may not revise the promise of this exception; or False.
        Whoever works an open exception may; a closed one's, an exception manager."""
        self.ensure_one()
        if not self.sudo().sale_order_id:
            return _("%s is about no sales order: there is no promise to revise.", self.name)
        if self.state == "cancelled":
            return self._closed_refusal(_("revise the promise of"))
        if self.state not in OPEN_STATES and not self._is_manager():
            return _(
                "%s is closed: only an exception manager can revise its promise.", self.name
            )
        return False

    def _ui_row(self):
        # the exception panel offers the notice as the form's button does
        row = super()._ui_row()
        row["can_notify_customer"] = self.can_notify_customer
        return row

    # ------------------------------------------------------------------ ORM

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        promised = records.filtered("promise_date")
        if not self.env.su:
            promised._check_promise_rights()
        promised._log_promise()
        return records

    def write(self, vals):
        if "promise_date" in vals and not self.env.su:
            self._check_promise_rights()
        res = super().write(vals)
        if "promise_date" in vals:
            self._log_promise()
        return res

    def _check_promise_rights(self):
        if not self._is_worker():
            raise AccessError(_("You are not an exception user."))
        for rec in self:
            refusal = rec._promise_refusal()
            if refusal:
                raise AccessError(refusal)

    def _log_promise(self):
        self._log_on_documents(
            lambda rec: rec.env._(
                "Revised promise: %s", rec.company_id._dg_format_datetime(rec.promise_date)
            )
            if rec.promise_date
            else rec.env._("Revised promise withdrawn.")
        )

    # ------------------------------------------------------------------ actions

    def action_notify_customer(self):
        """Odoo's mail composer on the exception's sales order with its notice, written in the
        customer's language, addressed to the customer. Nothing is sent until the user sends
        it; the message lands in the order's chatter."""
        input_checks.one_record(self, _("Notify the customer of one exception at a time."))
        self._check_batch()
        if not self._is_worker():
            raise AccessError(_("You are not an exception user."))
        self.check_access("read")
        order = self.sudo().sale_order_id
        if order and not order.with_env(self.env).has_access(order._mail_post_access):
            raise AccessError(_("You may not write to the customer of %s.", order.display_name))
        refusal = self._notice_refusal()
        if refusal:
            raise UserError(refusal)
        template = self._notice_template()
        lang = template._render_lang(order.ids)[order.id]
        # links of the mail to the portal order carry its token
        order.sudo()._portal_ensure_token()
        return {
            "type": "ir.actions.act_window",
            "name": _("Notify the Customer"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "sale.order",
                "default_res_ids": order.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_email_layout_xmlid": (
                    "mail.mail_notification_layout_with_responsible_signature"
                ),
                "email_notification_allow_footer": True,
                "force_email": True,
                "model_description": order.with_context(lang=lang).type_name,
                # the template reads the exception's product, quantities and promise from it;
                # it renders in the customer's language (its `lang`), while the dialog stays in
                # the user's
                "dg_exception_id": self.id,
            },
        }

    def action_resolve(self, resolution_id, note=None):
        res = super().action_resolve(resolution_id, note)
        # a code that notifies the customer opens the notice once the exception is resolved
        if (
            len(self) == 1
            and isinstance(res, dict)
            and res.get("tag") == "display_notification"
            and self.resolution_id.notify_customer
            and self.can_notify_customer
        ):
            res["params"]["next"] = self.action_notify_customer()
        return res


class SaleOrderCustomerNotice(models.Model):
    _inherit = "sale.order"

    dg_revised_promise_date = fields.Datetime(
        "Revised Promise Date",
        compute="_compute_dg_revised_promise_date",
        store=True,
        readonly=True,
        copy=False,
        help="The delivery date promised to the customer since an exception: the latest revised "
        "promise of the order's exceptions (cancelled ones aside). Set on the exceptions only.",
    )

    def _auto_init(self):
        # no order has a revised promise yet: the column is created empty rather than
        # computed for every existing order
        if not column_exists(self.env.cr, self._table, "dg_revised_promise_date"):
            create_column(self.env.cr, self._table, "dg_revised_promise_date", "timestamp")
        return super()._auto_init()

    @api.depends("dg_exception_ids.promise_date", "dg_exception_ids.state")
    def _compute_dg_revised_promise_date(self):
        for order in self:
            dates = (
                order.sudo()
                .dg_exception_ids.filtered(lambda e: e.state != "cancelled" and e.promise_date)
                .mapped("promise_date")
            )
            order.dg_revised_promise_date = max(dates) if dates else False

    @api.model_create_multi
    def create(self, vals_list):
        refuse_notice_fields(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        refuse_notice_fields(self, [vals])
        return super().write(vals)

    def _dg_customer_notice(self, exception_id=False):
        """What a customer notice says of the exception `exception_id` of this order (else its
        latest exception with a product): product, quantities and revised promise, in the
        rendering language and the customer's time zone. Called by the notice templates; only
        this order's exceptions are read."""
        self.ensure_one()
        exceptions = self.sudo().dg_exception_ids.filtered(lambda e: e.state != "cancelled")
        exception = exceptions.filtered(lambda e: e.id == exception_id) if exception_id else None
        exception = exception or exceptions.filtered("product_id").sorted("id", reverse=True)[:1]
        promise = exception.promise_date or self.dg_revised_promise_date
        tz = self.partner_id.tz or self.company_id.dg_kpi_tz or "UTC"
        uom = exception.product_id.uom_id.with_env(self.env)

        def quantity(qty):
            if not exception.product_id:
                return ""
            digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            return "%s %s" % (formatLang(self.env, qty, digits=digits), uom.name)

        return {
            "product": exception.product_id.with_env(self.env).display_name or "",
            "quantity_ordered": quantity(exception.quantity_expected),
            "quantity_available": quantity(exception.quantity_actual),
            "quantity_missing": quantity(exception.quantity_missing),
            # the customer's day: format_date in the template gives it in their language
            "promise_date": fields.Datetime.context_timestamp(
                self.with_context(tz=tz), promise
            ).date()
            if promise
            else False,
        }


def refuse_notice_fields(model, vals_list):
    refuse_engine_fields(
        model,
        vals_list,
        NOTICE_FIELDS,
        model.env._(
            "The revised promise of an order is set on its exceptions: %s cannot be set "
            "on the order."
        ),
    )


class MailComposeMessageNotice(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail(self, auto_commit=False):
        result = super()._action_send_mail(auto_commit=auto_commit)
        exception_id = self.env.context.get("dg_exception_id")
        if input_checks.is_id(exception_id):
            self._dg_log_notice_sent(exception_id)
        return result

    def _dg_log_notice_sent(self, exception_id):
        """The notice of an exception sent: said in the exception's chatter, when the message
        went to its order and the sender may read the exception."""
        exception = self.env["distribution.exception"].browse(exception_id).exists()
        if not exception or not exception.has_access("read"):
            return
        for composer in self:
            if (
                composer.composition_mode == "comment"
                and composer.model == "sale.order"
                and exception.sudo().sale_order_id.id in composer._evaluate_res_ids()
            ):
                exception._message_log(
                    body=_(
                        "Customer notice sent on %(order)s: %(subject)s",
                        order=exception.sudo().sale_order_id.display_name,
                        subject=composer.subject or "",
                    )
                )
