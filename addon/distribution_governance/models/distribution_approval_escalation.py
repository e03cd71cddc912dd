from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from . import input_checks
from .row_locks import lock_free_rows


class DistributionApprovalPolicy(models.Model):
    """A tier's SLA: a request pending longer escalates, to the next tier or to a group."""

    _inherit = "distribution.approval.policy"

    sla_hours = fields.Integer(
        "SLA (hours)",
        default=0,
        help="How long a request of this tier may wait for its decision; past it, the request "
        "is overdue and escalates (when the tier names where). 0: no SLA.",
    )
    escalation_tier_id = fields.Many2one(
        "distribution.approval.policy",
        "Escalate to Tier",
        domain="[('id', '!=', id), ('kind', '=', kind)]",
        help="An overdue request moves to this tier: its approver group decides it, and its "
        "SLA counts from the escalation.",
    )
    escalation_group_id = fields.Many2one(
        "res.groups",
        "Escalate to Group",
        help="Without a next tier: an overdue request moves to this group, once.",
    )

    @api.constrains("sla_hours", "escalation_tier_id", "escalation_group_id", "kind")
    def _check_escalation(self):
        for tier in self:
            if tier.sla_hours < 0:
                raise ValidationError(_("Tier %s: the SLA cannot be negative.", tier.name))
            if tier.escalation_tier_id and tier.escalation_group_id:
                raise ValidationError(
                    _("Tier %s escalates to a tier or to a group, not both.", tier.name)
                )
            if tier.escalation_tier_id == tier:
                raise ValidationError(_("Tier %s cannot escalate to itself.", tier.name))
            if tier.escalation_tier_id and tier.escalation_tier_id.kind != tier.kind:
                raise ValidationError(
                    _("Tier %s escalates to a tier of the same kind of requests.", tier.name)
                )


class DistributionApprovalRequest(models.Model):
    """Aging and escalation of pending requests, whatever their kind."""

    _inherit = "distribution.approval.request"

    escalated_at = fields.Datetime("Escalated On", readonly=True, copy=False)
    escalation_count = fields.Integer("Escalations", readonly=True, default=0, copy=False)
    escalation_final = fields.Boolean(
        readonly=True, copy=False,
        help="Escalated to a group: it escalates no further.",
    )
    due_at = fields.Datetime(
        "Decision Due",
        compute="_compute_due_at",
        store=True,
        index=True,
        help="When the request passes its tier's SLA (counted from the request, or from its "
        "last escalation).",
    )
    overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_overdue",
        help="Pending past its tier's SLA.",
    )
    age = fields.Char(
        "Age", compute="_compute_age",
        help="How long the request waited: until now while pending, else until its decision.",
    )

    @api.depends("create_date", "escalated_at", "escalation_final", "policy_id.sla_hours")
    def _compute_due_at(self):
        for req in self:
            start = req.escalated_at or req.create_date
            sla = req.policy_id.sla_hours
            req.due_at = start + timedelta(hours=sla) if sla and start and not req.escalation_final else False

    def _compute_overdue(self):
        now = fields.Datetime.now()
        for req in self:
            req.overdue = req.state == "pending" and bool(req.due_at) and req.due_at < now

    def _search_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search “Overdue” with = or != and true or false."))
        domain = [("state", "=", "pending"), ("due_at", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.depends("create_date", "decided_at", "state")
    def _compute_age(self):
        now = fields.Datetime.now()
        for req in self:
            if not req.create_date:
                req.age = False
                continue
            end = now if req.state == "pending" else (req.decided_at or req.write_date or now)
            hours = max(int((end - req.create_date).total_seconds() // 3600), 0)
            if hours < 1:
                req.age = _("< 1 h")
            elif hours < 24:
                req.age = _("%s h", hours)
            else:
                req.age = _("%(days)s d %(hours)s h", days=hours // 24, hours=hours % 24)

    # ------------------------------------------------------------------ escalation

    @api.model
    def _cron_escalate(self):
        """Pending requests past their tier's SLA move to the tier's escalation (next tier or
        group), with to-dos for their new approvers. Each request is locked for the run (see
        lock_free_rows) and judged again once locked: parallel runs escalate it once."""
        now = fields.Datetime.now()
        self.flush_model(["state", "due_at", "policy_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT r.id FROM distribution_approval_request r
                  JOIN distribution_approval_policy p ON p.id = r.policy_id
                 WHERE r.state = 'pending' AND r.due_at < %s
                   AND (p.escalation_tier_id IS NOT NULL OR p.escalation_group_id IS NOT NULL)
                 ORDER BY r.id
                """,
                now,
            )
        )
        candidates = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        escalated = self.sudo().browse()
        for req in lock_free_rows(candidates):
            req.invalidate_recordset()
            if req.state == "pending" and req.due_at and req.due_at < now and req._dg_escalate(now):
                escalated |= req
        self._dg_notify_new_delegates()
        return escalated

    can_escalate = fields.Boolean(compute="_compute_can_escalate")

    @api.depends("state", "policy_id", "escalation_final")
    @api.depends_context("uid")
    def _compute_can_escalate(self):
        admin = self.env.user.has_group("distribution_governance.group_governance_admin")
        for req in self:
            req.can_escalate = admin and req._dg_escalation_target()

    def _dg_escalation_target(self):
        tier = self.policy_id
        return bool(
            self.state == "pending"
            and not self.escalation_final
            and (tier.escalation_tier_id or tier.escalation_group_id)
        )

    def action_escalate(self):
        """A governance administrator escalates a pending request before its SLA runs out
        (an urgent one): the same step as the cron's, logged under his name."""
        input_checks.one_record(self, _("Escalate one request at a time."))
        self.check_access("read")
        if not self.env.user.has_group("distribution_governance.group_governance_admin"):
            raise AccessError(_("Only a governance administrator escalates a request by hand."))
        self._lock_pending()
        if not self._dg_escalation_target():
            raise UserError(_("%s has nowhere to escalate: its tier names no next tier or group.", self.name))
        self._dg_escalate(fields.Datetime.now(), by=self.env.user)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _dg_escalate(self, now, by=None):
        self.ensure_one()
        tier = self.policy_id
        before = self.approver_group_id
        if tier.escalation_tier_id:
            target = tier.escalation_tier_id
            values = {"policy_id": target.id, "approver_group_id": target.group_id.id}
            to = _("tier %(tier)s (%(group)s)", tier=target.name, group=target.group_id.full_name)
        elif tier.escalation_group_id:
            target = tier.escalation_group_id
            values = {"approver_group_id": target.id, "escalation_final": True}
            to = target.full_name
        else:
            return False
        self.sudo().write(
            dict(values, escalated_at=now, escalation_count=self.escalation_count + 1)
        )
        if by:
            reason = _(
                "Escalated by %(user)s from %(before)s to %(to)s.",
                user=by.name,
                before=before.full_name or _("any approver"),
                to=to,
            )
        else:
            reason = _(
                "Pending past the %(sla)s h SLA of tier %(tier)s: escalated from %(before)s to %(to)s.",
                sla=tier.sla_hours,
                tier=tier.name,
                before=before.full_name or _("any approver"),
                to=to,
            )
        by = by or self.env.ref("base.user_root")
        self.env["distribution.audit.log"]._record("escalate", request=self, reason=reason, user=by)
        self.sudo()._message_log(body=reason)
        # the to-dos follow the request: those who may no longer decide it lose theirs
        approvers = self._approvers()
        self.sudo().activity_ids.filtered(lambda a: a.user_id not in approvers).unlink()
        self._notify_approvers(_("Escalated: %s", self.document_ref or self.name))
        return True

    @api.model
    def _dg_notify_new_delegates(self):
        """Delegations that started since they were made (a day in the future, the approver's
        time zone): their delegates get the to-dos of what they may now decide; those that
        ended: their delegates lose the to-dos of what they may no longer decide."""
        Delegation = self.env["distribution.approval.delegation"].sudo()
        today = fields.Date.today()
        around = [today - timedelta(days=2), today + timedelta(days=1)]
        Delegation.search(
            [("date_from", ">=", around[0]), ("date_from", "<=", around[1])]
        )._dg_notify_delegates()
        ended = Delegation.search([("date_to", ">=", around[0]), ("date_to", "<=", around[1])])
        Delegation._dg_drop_stale_todos(ended.filtered(lambda d: not d._dg_is_current()).delegate_id)


class DistributionAuditLog(models.Model):
    _inherit = "distribution.audit.log"

    event = fields.Selection(
        selection_add=[("escalate", "Escalated: past its SLA")], ondelete={"escalate": "cascade"}
    )
