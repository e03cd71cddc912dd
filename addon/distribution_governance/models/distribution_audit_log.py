import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import clean_context

_logger = logging.getLogger(__name__)

AUDIT_EVENTS = [
    ("request", "Approval requested"),
    ("approve", "Approved"),
    ("reject", "Rejected"),
    ("self_approval_refused", "Self-approval refused"),
    ("unauthorized_refused", "Decision refused: approver lacks the tier's group"),
    ("expire", "Approval expired"),
    ("rehold", "Put back on hold"),
    ("release", "Hold released"),
    ("cancel", "Request cancelled"),
    ("justify", "Request justified"),
    ("change_pending", "Order changed while pending"),
    ("void", "Approval voided: the order changed"),
    ("clear", "Hold lifted: within credit"),
    ("price_clear", "Price hold lifted: prices within policy"),
    ("urgent_apply", "Urgent priority set, stock reserved first"),
    ("urgent_reset", "Urgent priority taken back"),
]


class DistributionAuditLog(models.Model):
    """Append-only trail of every governance decision.

    Entries are created by the approval methods only; nobody, the administrator included, may
    change or delete one: the ORM refuses and a database trigger refuses even raw SQL.
    """

    _name = "distribution.audit.log"
    _description = "Governance Audit Log"
    _order = "id desc"
    _log_access = True

    event = fields.Selection(AUDIT_EVENTS, required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    request_id = fields.Many2one(
        "distribution.approval.request", readonly=True, index=True, ondelete="restrict"
    )
    # The document by id, and its name as it was then (names can be edited afterwards).
    document_ref = fields.Char("Document (as it was)", readonly=True)
    res_model = fields.Char("Document Model", readonly=True)
    res_id = fields.Many2oneReference("Document Id", model_field="res_model", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one("res.partner", readonly=True, index=True, ondelete="restrict")
    amount = fields.Float(readonly=True)
    exposure = fields.Float(readonly=True)
    credit_limit = fields.Float(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    reason = fields.Text(readonly=True)
    repeat_count = fields.Integer(
        "Times", readonly=True, default=1,
        help="A refusal repeated by the same user on the same request with the same reason "
        "counts here instead of adding entries.",
    )
    last_repeat_at = fields.Datetime("Last Time", readonly=True)

    def init(self):
        # Entries never change, except one thing: a repeated refusal raises its count (and the
        # time of the last one). The trigger lets exactly that through, and only upwards.
        self.env.cr.execute(
            """
            CREATE OR REPLACE FUNCTION distribution_audit_log_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE'
                   AND NEW.repeat_count > OLD.repeat_count
                   AND (to_jsonb(NEW) - 'repeat_count' - 'last_repeat_at')
                       = (to_jsonb(OLD) - 'repeat_count' - 'last_repeat_at') THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'distribution_audit_log is append-only';
            END;
            $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS distribution_audit_log_append_only ON distribution_audit_log;
            CREATE TRIGGER distribution_audit_log_append_only
                BEFORE UPDATE OR DELETE ON distribution_audit_log
                FOR EACH ROW EXECUTE FUNCTION distribution_audit_log_append_only();
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_("Audit entries are written by the approval workflow only."))
        return super().create(vals_list)

    def write(self, vals):
        raise AccessError(_("The governance audit log is append-only: entries cannot be changed."))

    def unlink(self):
        raise AccessError(_("The governance audit log is append-only: entries cannot be deleted."))

    @api.model
    def _record(self, event, request=None, order=None, reason=None, user=None, **extra):
        """Append one entry (as superuser: the caller has already been checked, and may not
        read the order itself, e.g. an approver whose sales access is limited to own orders)."""
        request = (request or self.env["distribution.approval.request"]).sudo()
        order = (order or request.sale_order_id).sudo()
        snapshot = request.exposure_total if request else 0.0
        document = order or request.picking_id
        values = {
            "event": event,
            "user_id": (user or self.env.user).id,
            "company_id": (request.company_id or order.company_id or self.env.company).id,
            "request_id": request.id or False,
            "document_ref": (document.name if document else request.document_ref) or False,
            "res_model": document._name if document else False,
            "res_id": document.id if document else False,
            "sale_order_id": order.id or False,
            "partner_id": (request.partner_id or order.partner_id).commercial_partner_id.id or False,
            "amount": extra.get("amount", request.amount if request else order.amount_total),
            "exposure": extra.get("exposure", snapshot),
            "credit_limit": extra.get("credit_limit", request.credit_limit if request else 0.0),
            "currency_id": (request.currency_id or order.company_id.currency_id).id or False,
            "reason": reason or False,
        }
        return self.sudo().with_context(clean_context(self.env.context)).create(values)

    @api.model
    def _record_refusal(self, event, request, reason):
        """A refusal: the same user refused again on the same request for the same reason
        raises the count of their entry (one row, however many attempts); else a new entry."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM distribution_audit_log
                 WHERE event = %s AND user_id = %s AND request_id = %s AND reason = %s
                 ORDER BY id DESC LIMIT 1 FOR UPDATE
                """,
                event,
                self.env.uid,
                request.id,
                reason,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return self._record(event, request=request, reason=reason).id
        self.env.cr.execute(
            SQL(
                """
                UPDATE distribution_audit_log
                   SET repeat_count = repeat_count + 1, last_repeat_at = %s
                 WHERE id = %s
                """,
                fields.Datetime.now(),
                row[0],
            )
        )
        self.browse(row[0]).invalidate_recordset(["repeat_count", "last_repeat_at"])
        return row[0]

    @api.model
    def _record_in_own_transaction(self, event, request, reason):
        """Append (or count) a refusal that survives the rollback of the caller's transaction:
        refusals raise an error, which would otherwise take the entry down with them.

        The entry is committed from a cursor of its own. A request created in the caller's
        own, uncommitted transaction is not visible there; then the entry shares the fate of
        the request and is written in the caller's transaction.
        """
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT 1 FROM distribution_approval_request WHERE id = %s", [request.id]
            )
            if cr.fetchone():
                env = api.Environment(cr, self.env.uid, dict(self.env.context))
                return env["distribution.audit.log"]._record_refusal(
                    event,
                    env["distribution.approval.request"].browse(request.id),
                    reason,
                )
        return self._record_refusal(event, request, reason)
