from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression

ADMIN = "distribution_governance.group_governance_admin"


class DistributionApprovalDelegation(models.Model):
    """An approver away names a delegate for some days: while it runs, the delegate decides on
    the approver's behalf the requests the approver could decide himself (his tier groups, his
    segregation of duties), of one kind or of every kind, in one company.

    No chains: what a delegate holds by delegation is not his to hand on (a delegation lends
    the approver's own authority only, see _dg_principal). One delegate per approver, kind and
    day: an approver's delegations of a company may not overlap for the same kind (an empty
    kind is every kind), so the log always says on whose behalf a decision was made."""

    _name = "distribution.approval.delegation"
    _description = "Approval Delegation"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["approver_id", "delegate_id"]

    approver_id = fields.Many2one(
        "res.users", "Approver", required=True, index=True, tracking=True, ondelete="cascade",
        default=lambda self: self.env.user, domain=[("share", "=", False)],
        help="Who is away: the requests he may decide are decided by the delegate on his behalf.",
    )
    delegate_id = fields.Many2one(
        "res.users", "Delegate", required=True, index=True, tracking=True, ondelete="cascade",
        domain=[("share", "=", False)],
        help="Who decides on the approver's behalf. Segregation of duties applies to him too: "
        "not the requests he asked for, sells, created or changed.",
    )
    date_from = fields.Date(
        "From", required=True, tracking=True, default=fields.Date.context_today,
        help="First day, in the approver's time zone.",
    )
    date_to = fields.Date("To", required=True, tracking=True, help="Last day, included.")
    kind = fields.Selection(
        selection="_kind_selection", tracking=True,
        help="The kind of requests delegated; empty: every kind.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    note = fields.Text()
    active = fields.Boolean(default=True, tracking=True)
    status = fields.Selection(
        [("scheduled", "Scheduled"), ("current", "Current"), ("ended", "Ended")],
        compute="_compute_status",
    )

    @api.model
    def _kind_selection(self):
        # the requests' kinds, whatever engines add to them
        return self.env["distribution.approval.request"]._fields["kind"].selection

    @api.depends("date_from", "date_to", "approver_id.tz")
    def _compute_status(self):
        for delegation in self:
            today = delegation._dg_today()
            if delegation.date_from and today < delegation.date_from:
                delegation.status = "scheduled"
            elif delegation.date_to and today > delegation.date_to:
                delegation.status = "ended"
            else:
                delegation.status = "current"

    @api.depends("approver_id", "delegate_id")
    def _compute_display_name(self):
        for delegation in self:
            delegation.display_name = _(
                "%(approver)s → %(delegate)s",
                approver=delegation.approver_id.name or "",
                delegate=delegation.delegate_id.name or "",
            )

    # ------------------------------------------------------------------ rules

    @api.constrains("approver_id", "delegate_id", "date_from", "date_to", "kind", "company_id", "active")
    def _check_delegation(self):
        user_group = self.env.ref("distribution_governance.group_exception_user")
        for delegation in self.sudo():
            approver, delegate = delegation.approver_id, delegation.delegate_id
            if approver == delegate:
                raise ValidationError(_("An approver cannot delegate to himself."))
            if delegation.date_to < delegation.date_from:
                raise ValidationError(_("A delegation ends on or after the day it starts."))
            for user in approver | delegate:
                if user.share or delegation.company_id not in user.company_ids:
                    raise ValidationError(
                        _(
                            "%(user)s is not an internal user of %(company)s.",
                            user=user.name,
                            company=delegation.company_id.name,
                        )
                    )
            if user_group not in delegate.groups_id:
                raise ValidationError(
                    _("%s has no governance role: he could not open the requests.", delegate.name)
                )
            tiers = self.env["distribution.approval.policy"].sudo().search(
                [("company_id", "in", (delegation.company_id.id, False))]
                + ([("kind", "=", delegation.kind)] if delegation.kind else [])
            )
            if not tiers.group_id & approver.groups_id:
                raise ValidationError(
                    _("%s decides no approval tier of these requests: there is nothing to delegate.",
                      approver.name)
                )
            if not delegation.active:
                continue
            overlap = [
                ("id", "!=", delegation.id),
                ("approver_id", "=", approver.id),
                ("company_id", "=", delegation.company_id.id),
                ("date_from", "<=", delegation.date_to),
                ("date_to", ">=", delegation.date_from),
            ]
            if delegation.kind:
                overlap.append(("kind", "in", (delegation.kind, False)))
            other = self.search(overlap, limit=1)
            if other:
                raise ValidationError(
                    _(
                        "%(approver)s already delegates these requests from %(start)s to %(end)s "
                        "(to %(delegate)s): one delegate at a time.",
                        approver=approver.name,
                        start=other.date_from,
                        end=other.date_to,
                        delegate=other.delegate_id.name,
                    )
                )

    def _dg_check_own(self):
        """An approver delegates his own authority; a governance administrator anyone's.
        Checked on the records as written (defaults and default_* context keys included)."""
        if self.env.su or self.env.user.has_group(ADMIN):
            return
        if any(delegation.approver_id != self.env.user for delegation in self):
            raise AccessError(_("You may only delegate your own approvals."))

    @api.model_create_multi
    def create(self, vals_list):
        delegations = super().create(vals_list)
        delegations._dg_check_own()
        delegations._dg_notify_delegates()
        return delegations

    def write(self, vals):
        self._dg_check_own()
        delegates = self.delegate_id
        result = super().write(vals)
        self._dg_check_own()
        if {"delegate_id", "date_from", "date_to", "kind", "active"} & set(vals):
            self._dg_drop_stale_todos(delegates)
            self._dg_notify_delegates()
        return result

    def unlink(self):
        delegates = self.delegate_id
        result = super().unlink()
        self._dg_drop_stale_todos(delegates)
        return result

    @api.model
    def _dg_drop_stale_todos(self, users):
        """A delegation that ends, moves or changes hands: its delegates' to-dos on pending
        requests they may no longer decide go."""
        if not users:
            return
        activities = self.env["mail.activity"].sudo().search(
            [("res_model", "=", "distribution.approval.request"), ("user_id", "in", users.ids)]
        )
        # grouped by request first: each request once, though the users hold several to-dos
        # on it, and no to-do read again once another request's were removed
        todos = defaultdict(lambda: self.env["mail.activity"].sudo())
        for activity in activities:
            todos[activity.res_id] |= activity
        requests = self.env["distribution.approval.request"].sudo().browse(list(todos))
        for request in requests.exists().filtered(lambda r: r.state == "pending"):
            approvers = request._approvers()
            todos[request.id].filtered(lambda a: a.user_id not in approvers).unlink()

    # ------------------------------------------------------------------ engine

    def _dg_today(self):
        """Today in the approver's time zone: the days of a delegation are his."""
        self.ensure_one()
        tz = self.approver_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz))

    def _dg_is_current(self):
        self.ensure_one()
        return self.active and self.date_from <= self._dg_today() <= self.date_to

    @api.model
    def _dg_current(self, domain):
        """The delegations of `domain` running today (each in its approver's time zone)."""
        today = fields.Date.today()
        return (
            self.sudo()
            .search(
                expression.AND(
                    [
                        domain,
                        [
                            # a day either side of UTC's today: the time zones
                            ("date_from", "<=", today + timedelta(days=1)),
                            ("date_to", ">=", today - timedelta(days=1)),
                            ("approver_id.active", "=", True),
                        ],
                    ]
                ),
                order="id",
            )
            .filtered(lambda d: d._dg_is_current())
        )

    @api.model
    def _dg_current_for(self, delegate):
        """The delegations `delegate` holds today."""
        return self._dg_current([("delegate_id", "=", delegate.id)])

    def _dg_covers_request(self, request):
        self.ensure_one()
        return self.company_id == request.company_id and (not self.kind or self.kind == request.kind)

    def _dg_scope_domain(self):
        """The requests the delegation covers, whoever may decide them."""
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.kind:
            domain.append(("kind", "=", self.kind))
        return domain

    def _dg_notify_delegates(self):
        """A delegation running now: the delegate gets the to-dos of the pending requests he
        may now decide (the ones starting later get them from the escalation cron)."""
        Request = self.env["distribution.approval.request"].sudo()
        for delegation in self.sudo().filtered(lambda d: d._dg_is_current()):
            delegate = delegation.delegate_id
            pending = Request.search(
                expression.AND(
                    [delegation._dg_scope_domain(), Request._can_decide_domain(delegate)]
                )
            )
            for request in pending:
                request._notify_approvers(_("Approval on behalf of %s", delegation.approver_id.name))


class DistributionApprovalRequest(models.Model):
    """Delegation in the approval engine: a user outside a request's tier decides it on behalf
    of an approver who delegated to him and could decide it himself."""

    _inherit = "distribution.approval.request"

    delegated_to_me = fields.Boolean(
        "Delegated to Me",
        compute="_compute_delegated_to_me",
        search="_search_delegated_to_me",
        help="A delegation running today lets me decide requests of this kind and tier.",
    )

    @api.depends_context("uid")
    def _compute_delegated_to_me(self):
        delegations = self.env["distribution.approval.delegation"]._dg_current_for(self.env.user)
        for request in self:
            request.delegated_to_me = any(
                d._dg_covers_request(request)
                and (not request.approver_group_id or request.approver_group_id in d.approver_id.groups_id)
                for d in delegations
            )

    def _search_delegated_to_me(self, operator, value):
        """What the delegate reads (a record rule): the requests of the kinds and tiers his
        running delegations cover."""
        delegations = self.env["distribution.approval.delegation"]._dg_current_for(self.env.user)
        domain = expression.OR(
            [
                expression.AND(
                    [
                        d._dg_scope_domain(),
                        [
                            "|",
                            ("approver_group_id", "=", False),
                            ("approver_group_id", "in", d.approver_id.groups_id.ids),
                        ],
                    ]
                )
                for d in delegations
            ]
            or [expression.FALSE_DOMAIN]
        )
        if (operator == "=") == bool(value):
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _dg_principal(self, user):
        """The approver `user` decides this request for: the first of the delegations he holds
        today that covers it, whose approver could decide it himself (in his own right, never
        by a delegation he holds: no chains). Empty when none."""
        self.ensure_one()
        if self.env.context.get("dg_own_right"):
            return self.env["res.users"]
        own_right = self.with_context(dg_own_right=True)
        for delegation in self.env["distribution.approval.delegation"]._dg_current_for(user):
            if delegation._dg_covers_request(self) and not own_right._refusal(delegation.approver_id):
                return delegation.approver_id
        return self.env["res.users"]

    def _dg_on_behalf_of(self, user):
        """Whom `user` would decide this request for: nobody when the tier is his own."""
        self.ensure_one()
        if not self.with_context(dg_own_right=True)._dg_outside_tier(user):
            return self.env["res.users"]
        return self._dg_principal(user)

    def _dg_outside_tier(self, user):
        return super()._dg_outside_tier(user) and not self._dg_principal(user)

    @api.model
    def _dg_outside_tier_domain(self, user):
        outside = super()._dg_outside_tier_domain(user)
        if self.env.context.get("dg_own_right"):
            return outside
        delegations = self.env["distribution.approval.delegation"]._dg_current_for(user)
        if not delegations:
            return outside
        own_right = self.with_context(dg_own_right=True)
        # the requests some approver who delegated to him could decide himself
        stands_in = expression.OR(
            [
                expression.AND(
                    [
                        d._dg_scope_domain(),
                        ["!", *expression.normalize_domain(own_right._refusal_domain(d.approver_id))],
                    ]
                )
                for d in delegations
            ]
        )
        return expression.AND([outside, ["!", *expression.normalize_domain(stands_in)]])

    def _refusal(self, user):
        refusal = super()._refusal(user)
        if refusal is None and user in self.sudo().decision_ids.on_behalf_of_id:
            return None, _("A delegate already decided this request on your behalf.")
        return refusal

    @api.model
    def _refusal_domain(self, user):
        return expression.OR(
            [
                super()._refusal_domain(user),
                [("decision_ids", "any", [("on_behalf_of_id", "=", user.id)])],
            ]
        )

    def _approvers_by_request(self):
        # the delegations running today read once for the batch, not once per request
        if not self:
            return {}
        current = self.env["distribution.approval.delegation"]._dg_current(
            [("company_id", "in", self.company_id.ids)]
        )
        return {req: req.sudo()._approvers(current) for req in self}

    def _approvers(self, current=None):
        """The tier's approvers, and the delegates who may decide the request today (among
        `current`, the delegations running today, when the caller has read them)."""
        approvers = super()._approvers()
        if current is None:
            domain = [("company_id", "=", self.company_id.id), ("kind", "in", (self.kind, False))]
            current = self.env["distribution.approval.delegation"]._dg_current(domain)
        delegates = current.filtered(
            lambda d: d.company_id == self.company_id and d.kind in (self.kind, False)
        ).delegate_id
        return approvers | delegates.filtered(
            lambda u: u.active
            and not u.share
            and self.company_id in u.company_ids
            and not self._refusal(u)
        )

    def _dg_decider_name(self):
        decision = self.sudo().decision_ids.filtered(lambda d: d.user_id == self.env.user)[-1:]
        on_behalf = decision.on_behalf_of_id
        if not on_behalf:
            return super()._dg_decider_name()
        return _("%(user)s on behalf of %(approver)s", user=self.env.user.name, approver=on_behalf.name)

    def _on_rejected(self, reason):
        decision = self.sudo().decision_ids.filtered(lambda d: d.user_id == self.env.user)[-1:]
        if decision.on_behalf_of_id:
            self._message_log(
                body=_(
                    "Rejected by %(user)s on behalf of %(approver)s: %(reason)s",
                    user=self.env.user.name,
                    approver=decision.on_behalf_of_id.name,
                    reason=reason,
                )
            )
        return super()._on_rejected(reason)

    @api.model
    def get_pending_count(self):
        count = super().get_pending_count()
        if count or not self.env["distribution.approval.delegation"]._dg_current_for(self.env.user):
            return count
        return self.search_count([("can_decide", "=", True)])


class DistributionApprovalDecision(models.Model):
    _inherit = "distribution.approval.decision"

    on_behalf_of_id = fields.Many2one(
        "res.users", "On Behalf Of", readonly=True,
        help="The approver whose delegation the decider used.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # decisions are written by the engine only (as superuser, after its checks): the
        # approver a delegate stands for is the engine's finding, never the caller's
        for vals in vals_list:
            request = self.env["distribution.approval.request"].browse(vals.get("request_id"))
            user = self.env["res.users"].browse(vals.get("user_id"))
            vals["on_behalf_of_id"] = (
                request.sudo()._dg_on_behalf_of(user).id if request and user else False
            )
        return super().create(vals_list)


class DistributionAuditLog(models.Model):
    _inherit = "distribution.audit.log"

    on_behalf_of_id = fields.Many2one(
        "res.users", "On Behalf Of", readonly=True, ondelete="restrict",
        help="A decision by a delegate: the approver he decided for.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("event") in ("approve", "reject") and vals.get("request_id"):
                decision = self.env["distribution.approval.decision"].sudo().search(
                    [("request_id", "=", vals["request_id"]), ("user_id", "=", vals.get("user_id"))],
                    limit=1,
                )
                vals["on_behalf_of_id"] = decision.on_behalf_of_id.id or False
        return super().create(vals_list)


class DistributionException(models.Model):
    _inherit = "distribution.exception"

    @api.model
    @api.readonly
    def get_systray_data(self):
        """A delegate without an approver's role counts the requests he may decide too."""
        data = super().get_systray_data()
        if (
            data.get("can_work")
            and "pending_approvals" not in data
            and self.env["distribution.approval.delegation"]._dg_current_for(self.env.user)
        ):
            data["pending_approvals"] = self.env["distribution.approval.request"].get_pending_count()
        return data
