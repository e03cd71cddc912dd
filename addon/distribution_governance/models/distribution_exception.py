import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, clean_context
from odoo.tools.sql import create_index

from . import input_checks
from .distribution_exception_type import SEVERITIES
from .row_locks import lock_free_rows

_logger = logging.getLogger(__name__)

OPEN_STATES = ("new", "in_progress")
# Fraction of the SLA window left when an exception turns "at risk".
AT_RISK_FRACTION = 0.25
MAX_ESCALATION_LEVEL = 3
USER_GROUP = "distribution_governance.group_exception_user"
# Exception types whose opening and closing the credit engine writes on the order itself
# (hold, release, lift): the exception adds nothing there but its escalations.
SELF_LOGGED_TYPES = frozenset({"credit_hold"})
# Fields only the engine sets: the transition methods and detection write them as superuser
# after their own checks. A user's write() or create() (over RPC, from a form, through a
# `default_*` context key, a copy or an import) is refused.
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "state",
        "escalation_level",
        "escalated_at",
        "resolution_id",
        "resolution_note",
        "resolved_by_id",
        "resolved_at",
        "cause_key",
        "origin",
        "sla_deadline",
        "sla_warning_at",
        "sla_breached_at_close",
        "detected_at",
        "company_id",
        # computed from the type and the linked documents; written through, they would change
        # the type's code or the product's unit
        "type_code",
        "warehouse_id",
        "order_user_id",
        "product_uom_id",
    }
)
# The facts of an exception: what it is about and what resolving it produced. Detection sets
# them, an exception manager may correct them; anyone else works the exception as it is.
OPERATIONAL_FIELDS = frozenset(
    {
        "product_id",
        "quantity_expected",
        "quantity_actual",
        "quantity_missing",
        "sale_order_id",
        "picking_id",
        "scrap_id",
        "res_model",
        "res_id",
        "result_picking_id",
        "result_purchase_id",
        "result_scrap_id",
    }
)


class DistributionException(models.Model):
    _name = "distribution.exception"
    _description = "Distribution Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sla_deadline asc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Reference", required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    type_id = fields.Many2one(
        "distribution.exception.type",
        string="Type",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    type_code = fields.Char(related="type_id.code", store=True, index=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
        readonly=True,
        # every state is a kanban column, empty or not: a card can be dropped on any of them
        group_expand="_group_expand_states",
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        copy=False,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    description = fields.Text()
    origin = fields.Selection(
        [("auto", "Detected automatically"), ("manual", "Created by hand")],
        default="manual",
        required=True,
        readonly=True,
    )
    cause_key = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="What caused the exception; detection never opens two exceptions for one cause.",
    )
    # Links to the documents involved
    # check_company: an exception never points at (or blocks) another company's documents
    partner_id = fields.Many2one("res.partner", string="Partner", index=True, check_company=True)
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", index=True, check_company=True
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", index=True, check_company=True
    )
    product_id = fields.Many2one(
        "product.product", string="Product", index=True, check_company=True
    )
    scrap_id = fields.Many2one("stock.scrap", string="Scrap", readonly=True, check_company=True)
    res_model = fields.Char("Related Model", readonly=True)
    res_id = fields.Many2oneReference("Related Record", model_field="res_model", readonly=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", compute="_compute_warehouse_id", store=True, index=True
    )
    # who sells the order the exception is about (its own order, else its transfer's): the
    # record rule of salespeople limited to their documents reads it (one indexed column,
    # not a walk through orders and transfers on every search)
    order_user_id = fields.Many2one(
        "res.users",
        string="Order Salesperson",
        compute="_compute_order_user_id",
        store=True,
        index=True,
        copy=False,
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity_expected = fields.Float("Expected Qty", digits="Product Unit of Measure")
    quantity_actual = fields.Float("Actual Qty", digits="Product Unit of Measure")
    quantity_missing = fields.Float("Missing Qty", digits="Product Unit of Measure")
    # SLA and escalation
    detected_at = fields.Datetime(
        readonly=True,
        help="When the cause occurred (e.g. the promised date of a late delivery); the SLA "
        "runs from here.",
    )
    sla_deadline = fields.Datetime("SLA Deadline", readonly=True, index=True, tracking=True)
    sla_warning_at = fields.Datetime("At Risk From", readonly=True)
    sla_status = fields.Selection(
        [("on_track", "On Track"), ("at_risk", "At Risk"), ("breached", "Breached")],
        string="SLA Status",
        compute="_compute_sla_status",
        search="_search_sla_status",
    )
    sla_breached_at_close = fields.Boolean(readonly=True, copy=False)
    escalation_level = fields.Integer(readonly=True, default=0, tracking=True)
    escalated_at = fields.Datetime(readonly=True)
    # Resolution
    resolution_id = fields.Many2one(
        "distribution.exception.resolution", string="Resolution", readonly=True, tracking=True
    )
    resolution_note = fields.Text(readonly=True)
    resolved_by_id = fields.Many2one("res.users", string="Resolved By", readonly=True)
    resolved_at = fields.Datetime(readonly=True, index=True)
    result_picking_id = fields.Many2one(
        "stock.picking", string="Resulting Transfer", readonly=True
    )
    result_purchase_id = fields.Many2one(
        "purchase.order", string="Resulting RFQ", readonly=True
    )
    result_scrap_id = fields.Many2one("stock.scrap", string="Resulting Scrap", readonly=True)
    # the form mirrors what write() allows: the facts are readonly to non-managers (the
    # default serves a new record's form, whose first onchange does not compute it)
    user_can_manage = fields.Boolean(
        compute="_compute_user_can_manage", default=lambda self: self._is_manager()
    )
    # What the current user may do with the exception, judged by the rules the actions apply
    # (see _take_refusal, _resolve_refusal): views show buttons from these, never from a copy.
    user_can_take = fields.Boolean(compute="_compute_user_actions")
    user_can_resolve = fields.Boolean(compute="_compute_user_actions")

    def init(self):
        # One open exception per cause, even under concurrent detection.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS distribution_exception_open_cause_uniq
                ON distribution_exception (cause_key)
             WHERE cause_key IS NOT NULL AND state IN ('new', 'in_progress')
            """
        )
        # The open exceptions in the views' order (the To-triage kanban's columns and list, the
        # breached counts of the systray and the triage figures): read from the few open ones,
        # not through the deadlines of the many closed before them.
        # The counts read company and warning time from it too (index-only); those of an owner
        # (mine, mine breached, unassigned) from the second.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS distribution_exception_open_sla_idx
                ON distribution_exception (sla_deadline, id DESC)
                   INCLUDE (company_id, sla_warning_at)
             WHERE state IN ('new', 'in_progress')
            """
        )
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS distribution_exception_open_owner_idx
                ON distribution_exception (owner_id, sla_deadline) INCLUDE (company_id)
             WHERE state IN ('new', 'in_progress')
            """
        )
        # the KPI dashboard counts exceptions opened per day
        create_index(
            self.env.cr,
            "distribution_exception_create_date_idx",
            self._table,
            ["create_date"],
        )
        # The exception board was a client action; its xml id now names the exceptions' window
        # action, so that menus and links to it keep working. An xml id cannot change model:
        # the old record goes, and the data file creates the new one.
        self.env.cr.execute(
            """
            WITH board AS (
                DELETE FROM ir_model_data
                 WHERE module = 'distribution_governance' AND name = 'action_exception_board'
                   AND model = 'ir.actions.client'
             RETURNING res_id
            )
            DELETE FROM ir_act_client WHERE id IN (SELECT res_id FROM board)
            """
        )

    # ------------------------------------------------------------------ computes

    @api.depends("sale_order_id.user_id", "picking_id.sale_id.user_id")
    def _compute_order_user_id(self):
        for rec in self:
            rec.order_user_id = (rec.sale_order_id or rec.picking_id.sale_id).user_id

    @api.depends("picking_id.picking_type_id.warehouse_id", "sale_order_id.warehouse_id")
    def _compute_warehouse_id(self):
        for rec in self:
            rec.warehouse_id = (
                rec.picking_id.picking_type_id.warehouse_id or rec.sale_order_id.warehouse_id
            )

    @api.depends_context("uid")
    def _compute_user_can_manage(self):
        self.user_can_manage = self._is_manager()

    @api.depends_context("uid")
    @api.depends("state", "owner_id", "type_id")
    def _compute_user_actions(self):
        worker = self._is_worker()
        for rec in self:
            mine_already = rec.owner_id == self.env.user and rec.state == "in_progress"
            rec.user_can_take = worker and not mine_already and not rec._take_refusal()
            rec.user_can_resolve = worker and not rec._resolve_refusal()

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, __ in self._fields["state"].selection]

    @api.depends("sla_deadline", "sla_warning_at", "state", "resolved_at")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for rec in self:
            if not rec.sla_deadline:
                rec.sla_status = "on_track"
                continue
            moment = rec.resolved_at if rec.state in ("resolved", "cancelled") else now
            moment = moment or now
            if moment > rec.sla_deadline:
                rec.sla_status = "breached"
            elif rec.state in OPEN_STATES and rec.sla_warning_at and moment >= rec.sla_warning_at:
                rec.sla_status = "at_risk"
            else:
                rec.sla_status = "on_track"

    @api.model
    def _sla_status_domain(self, status, open_only=False):
        """The exceptions of an SLA status. `open_only`: among open exceptions only, the same
        rule without its closed half, so that the open exceptions' index serves it."""
        now = fields.Datetime.now()
        open_breached = [("state", "in", OPEN_STATES), ("sla_deadline", "<", now)]
        if open_only and status == "breached":
            return open_breached
        breached = expression.OR(
            [
                open_breached,
                [("state", "not in", OPEN_STATES), ("sla_breached_at_close", "=", True)],
            ]
        )
        at_risk = [
            ("state", "in", OPEN_STATES),
            ("sla_warning_at", "<=", now),
            ("sla_deadline", ">=", now),
        ]
        if status == "breached":
            return breached
        if status == "at_risk":
            return at_risk
        if status == "on_track":
            return ["!", *expression.normalize_domain(expression.OR([breached, at_risk]))]
        raise UserError(_("Unknown SLA status: %s", status))

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on SLA status: %s", operator))
        values = [value] if isinstance(value, str) else list(value or [])
        if not values:
            domain = expression.FALSE_DOMAIN
        else:
            domain = expression.OR([self._sla_status_domain(v) for v in values])
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)]
        return domain

    def _read_group_groupby(self, groupby_spec, query):
        # SLA status is computed, yet exceptions are grouped by it (search view, pivot, the
        # kanban's progress bars): the same rule as its search, in SQL
        if groupby_spec != "sla_status":
            return super()._read_group_groupby(groupby_spec, query)
        self.check_field_access_rights("read", ["sla_status"])

        def column(name):
            return self._field_to_sql(query.table, name, query)

        return SQL(
            """CASE
                 WHEN %(state)s IN %(open)s AND %(deadline)s < %(now)s THEN 'breached'
                 WHEN %(state)s NOT IN %(open)s AND COALESCE(%(closed_late)s, FALSE)
                     THEN 'breached'
                 WHEN %(state)s IN %(open)s AND %(warning)s <= %(now)s THEN 'at_risk'
                 ELSE 'on_track'
               END""",
            state=column("state"),
            open=OPEN_STATES,
            deadline=column("sla_deadline"),
            warning=column("sla_warning_at"),
            closed_late=column("sla_breached_at_close"),
            now=fields.Datetime.now(),
        )

    @api.model
    def _sla_window(self, type_rec, severity):
        return timedelta(hours=type_rec.sla_hours_for(severity))

    def _sla_values(self, start, type_rec, severity):
        window = self._sla_window(type_rec, severity)
        deadline = start + window
        return {
            "sla_deadline": deadline,
            "sla_warning_at": deadline - window * AT_RISK_FRACTION,
        }

    # ------------------------------------------------------------------ ORM

    def _check_client_values(self, vals):
        """Refuse values a client sent that the ORM would only reject with a crash, before
        anything is written."""
        severity = vals.get("severity", "medium")
        if not isinstance(severity, str) or severity not in dict(SEVERITIES):
            raise UserError(_("Unknown severity: %s", severity))
        if vals.get("description"):
            input_checks.text(self.env, vals["description"], _("The description"))

    def _check_user_fields(self, names):
        """Refuse, to anyone but the engine, the fields only the engine sets, and to anyone but
        an exception manager the facts of the exception."""
        if self.env.su:
            return
        protected = PROTECTED_FIELDS & names
        if protected:
            raise AccessError(
                _(
                    "Use the exception's actions (take ownership, resolve, cancel, reopen) "
                    "to change: %s",
                    ", ".join(sorted(protected)),
                )
            )
        operational = OPERATIONAL_FIELDS & names
        if operational and not self._is_manager():
            raise AccessError(
                _(
                    "Only an exception manager can set what an exception is about "
                    "(detection sets it): %s",
                    ", ".join(sorted(operational)),
                )
            )

    @api.model
    def _caller_defaults(self, vals):
        """The values create() would take from the caller rather than the model: `default_*`
        keys of the context and the user's own defaults (ir.default). A user may set those,
        so they are checked like the values themselves."""
        names = {key[len("default_"):] for key in self.env.context if key.startswith("default_")}
        names |= set(self.env["ir.default"]._get_model_defaults(self._name))
        names = [name for name in names if name in self._fields and name not in vals]
        return self.default_get(names) if names else {}

    @api.model_create_multi
    def create(self, vals_list):
        is_super = self.env.su
        checked = []
        for vals in vals_list:
            if not isinstance(vals, dict):
                raise UserError(_("An exception is created from a dictionary of values."))
            if not is_super:
                # what is checked is what is created: no default slips in afterwards
                vals = dict(self._caller_defaults(vals), **vals)
                # An empty value sets nothing (a copy carries the original's empty fields).
                # The company is chosen on creation (the record rules bound it), fixed after.
                self._check_user_fields(
                    {name for name, value in vals.items() if value} - {"company_id"}
                )
                owner = vals.get("owner_id")
                if owner not in (None, False, self.env.uid) and not self._is_manager():
                    raise AccessError(_("Only an exception manager can assign exceptions."))
            self._check_client_values(vals)
            type_id = vals.get("type_id")
            type_rec = self.env["distribution.exception.type"].browse(
                type_id if input_checks.is_id(type_id) else ()
            )
            if not type_rec.exists():
                raise ValidationError(_("An exception needs an existing exception type."))
            if not is_super and type_rec.code == "credit_hold":
                # a credit hold exists because the credit check held an order, and closes with
                # its credit decision: one opened by hand could never close
                raise AccessError(_("Credit holds are opened by the credit check, not by hand."))
            vals.setdefault("severity", type_rec.default_severity)
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
                    "distribution.exception"
                ) or _("New")
            vals["detected_at"] = vals.get("detected_at") or fields.Datetime.now()
            vals.update(self._sla_values(vals["detected_at"], type_rec, vals["severity"]))
            checked.append(vals)
        records = super().create(checked)
        for rec in records:
            # The addon's chatter entries are logs: nobody is notified, and a user without an
            # email address (whom message_post refuses as author) is not stopped by them.
            rec._message_log(
                body=_(
                    "%(type)s exception opened (%(origin)s), SLA until %(deadline)s.",
                    type=rec.type_id.name,
                    origin=dict(rec._fields["origin"]._description_selection(rec.env))[
                        rec.origin
                    ],
                    deadline=rec.company_id._dg_format_datetime(rec.sla_deadline),
                ),
            )
        records._log_on_documents(
            # env._: a lambda's frame has no `self` for _() to find the language in (a cron, a
            # shell, an XML-RPC seed logged "no translation language detected")
            lambda rec: rec.env._(
                "Opened, severity %(severity)s. %(description)s",
                severity=dict(rec._fields["severity"]._description_selection(rec.env))[
                    rec.severity
                ],
                description=rec.description or "",
            ),
            skip_self_logged=True,
        )
        return records

    def copy_data(self, default=None):
        # A duplicate is a new exception, opened by hand: what the engine decided about the
        # original (state, SLA, cause, resolution) starts over. What the caller asks for in
        # `default` stays, and create() judges it.
        vals_list = super().copy_data(default)
        for vals in vals_list:
            for name in PROTECTED_FIELDS - {"company_id"} - set(default or ()):
                vals.pop(name, None)
        return vals_list

    def write(self, vals):
        if not self.env.su:
            self._check_user_fields(set(vals))
            if "owner_id" in vals and not self._is_manager():
                new_owner = vals["owner_id"]
                if any(
                    rec.owner_id and rec.owner_id != self.env.user for rec in self
                ) or new_owner not in (False, self.env.user.id):
                    raise AccessError(_("Only an exception manager can assign exceptions."))
            # a lower severity lengthens the SLA: only a manager may buy that time
            if "severity" in vals and not self._is_manager():
                rank = [key for key, __ in SEVERITIES]
                new_rank = rank.index(vals["severity"]) if vals["severity"] in rank else -1
                if any(new_rank < rank.index(rec.severity) for rec in self):
                    raise AccessError(
                        _("Only an exception manager can lower a severity: it lengthens the SLA.")
                    )
            # the type decides the SLA, the resolution codes and whether a credit decision
            # closes it: changing it afterwards would dodge all three
            if "type_id" in vals and any(rec.type_id.id != vals["type_id"] for rec in self):
                raise AccessError(
                    _("The type of an exception cannot be changed; cancel it and open a new one.")
                )
        self._check_client_values(vals)
        severity_changed = "severity" in vals
        res = super().write(vals)
        if severity_changed:
            for rec in self.filtered(lambda r: r.state in OPEN_STATES):
                start = rec.detected_at or rec.create_date or fields.Datetime.now()
                rec.sudo().write(rec._sla_values(start, rec.type_id, rec.severity))
        return res

    @api.constrains("origin", "cause_key")
    def _check_cause_key_only_detected(self):
        # detection reuses the open exception of a cause: one opened by hand must never hold a
        # cause, or it would capture the next detection of it (a credit hold, say)
        if any(rec.cause_key and rec.origin != "auto" for rec in self):
            raise ValidationError(_("Only a detected exception has a cause key."))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_cancelled_by_manager(self):
        if not self.env.su and not self._is_manager():
            raise AccessError(_("Only an exception manager can delete exceptions."))
        if any(rec.state != "cancelled" for rec in self):
            raise UserError(_("Only cancelled exceptions can be deleted; cancel it first."))

    # ------------------------------------------------------------------ rights

    def _is_manager(self):
        return self.env.su or self.env.user.has_group(
            "distribution_governance.group_exception_manager"
        )

    def _is_worker(self):
        return self.env.su or self.env.user.has_group(USER_GROUP)

    def _check_batch(self):
        """The records an action was called on: some, not too many, all existing."""
        if not self:
            raise UserError(_("Select at least one exception."))
        if not all(input_checks.is_id(id_) for id_ in self._ids):
            raise UserError(_("Exceptions are designated by their ids."))
        if len(self) > input_checks.MAX_IDS:
            raise UserError(
                _("Too many exceptions at once (at most %s).", input_checks.MAX_IDS)
            )
        if len(self.exists()) != len(self):
            raise MissingError(_("Some of these exceptions no longer exist; reload the page."))

    def _check_user(self):
        self._check_batch()
        if not self._is_worker():
            raise AccessError(_("You are not an exception user."))
        self.check_access("write")

    def _check_manager(self, action):
        self._check_user()
        if not self._is_manager():
            raise AccessError(_("Only an exception manager can %s exceptions.", action))

    def _without_caller_defaults(self):
        """These records without the `default_*` keys of the caller's context: they would
        fill what the engine creates as superuser (an exception born resolved, an RFQ born
        confirmed), so the engine never runs with them."""
        return self.with_context(clean_context(self.env.context))

    def _state_label(self, state=None):
        selection = dict(self._fields["state"]._description_selection(self.env))
        return selection[state or self.state]

    def _closed_refusal(self, action):
        """Why `action` does not apply to these exceptions: some are closed; or False."""
        closed = self.filtered(lambda r: r.state not in OPEN_STATES)
        if not closed:
            return False
        return _(
            "Cannot %(action)s %(refs)s: it is already %(state)s.",
            action=action,
            refs=", ".join(closed.mapped("name")),
            state=closed[0]._state_label(),
        )

    def _ensure_open(self, action):
        refusal = self._closed_refusal(action)
        if refusal:
            raise UserError(refusal)

    # The rules of each action, one place for the action that enforces them and for the views
    # and panel that offer it (user_can_take, user_can_resolve, _ui_row): each answers why the
    # current user may not do it to this exception, or False. Batch checks (rights on the
    # records, exception user or manager) stay in the actions.

    def _take_refusal(self):
        self.ensure_one()
        if self.state not in OPEN_STATES:
            return self._closed_refusal(_("take ownership of"))
        if self.owner_id and self.owner_id != self.env.user and not self._is_manager():
            return _(
                "%(refs)s already belongs to %(owner)s; ask an exception manager to reassign it.",
                refs=self.name,
                owner=self.owner_id.name,
            )
        return False

    def _resolve_refusal(self, engine=False):
        """`engine`: the credit engine itself may resolve a credit hold; nobody else."""
        self.ensure_one()
        if self.state not in OPEN_STATES:
            return self._closed_refusal(_("resolve"))
        if self.type_code == "credit_hold" and not engine:
            return _(
                "%s closes with the credit decision: approve or reject its request in Approvals.",
                self.name,
            )
        if not self.type_id.resolution_code_ids:
            return _(
                "%(ref)s cannot be resolved: its type %(type)s has no resolution code.",
                ref=self.name,
                type=self.type_id.name,
            )
        return False

    def _raise_refusals(self, refusal_of):
        for rec in self:
            refusal = refusal_of(rec)
            if refusal:
                raise UserError(refusal)

    # ------------------------------------------------------------------ feedback

    def _refs(self):
        """How a message names these exceptions: their references, or how many."""
        if len(self) <= 3:
            return ", ".join(self.mapped("name"))
        return _("%s exceptions", len(self))

    @api.model
    def _notification(self, message, kind="success"):
        """What an action answers: a notification of what it did, then the caller's screen
        reloads (a form or list after a button, the kanban after a move, a wizard closes)."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _log_on_documents(self, message, skip_self_logged=False):
        """`message` (a text, or a function of the exception giving one) in the chatter of each
        exception's order and transfer, after a link to the exception.

        A log, as every chatter entry of the addon: it notifies nobody (an order's followers
        include its customer, who must not hear of internal exceptions) and works for authors
        without an email address. Written as superuser: whoever acts on the exception may not
        write the order or transfer it is about."""
        for rec in self:
            if skip_self_logged and rec.type_code in SELF_LOGGED_TYPES:
                continue
            documents = [doc for doc in (rec.sudo().sale_order_id, rec.sudo().picking_id) if doc]
            if not documents:
                continue
            body = _(
                "Exception %(link)s (%(type)s): %(message)s",
                link=rec._get_html_link(),
                type=rec.type_id.name,
                message=message(rec) if callable(message) else message,
            )
            for document in documents:
                document._message_log(body=body)

    # ------------------------------------------------------------------ transitions

    def action_take_ownership(self):
        self._check_user()
        self._raise_refusals(lambda rec: rec._take_refusal())
        self.sudo().write({"owner_id": self.env.user.id, "state": "in_progress"})
        return self._notification(_("%s: yours now, in progress.", self._refs()))

    def action_assign(self, user_id):
        self._check_manager(_("assign"))
        self._ensure_open(_("assign"))
        user_id = input_checks.record_id(
            self.env, user_id, _("Choose an internal user to assign the exceptions to.")
        )
        user = self.env["res.users"].browse(user_id).exists()
        if not user or user.share:
            raise UserError(_("Choose an internal user to assign the exceptions to."))
        for rec in self:
            if rec.company_id not in user.company_ids:
                raise UserError(
                    _(
                        "%(user)s cannot work %(ref)s: they have no access to %(company)s.",
                        user=user.name,
                        ref=rec.name,
                        company=rec.company_id.name,
                    )
                )
            if not user.has_group(USER_GROUP):
                raise UserError(_("%s is not an exception user.", user.name))
        self.sudo().write({"owner_id": user.id, "state": "in_progress"})
        return self._notification(
            _("%(refs)s assigned to %(user)s.", refs=self._refs(), user=user.name)
        )

    def action_open_resolve_wizard(self):
        """The resolve wizard for these exceptions, or why they cannot be resolved."""
        self._check_user()
        self._raise_refusals(lambda rec: rec._resolve_refusal())
        if len(self.type_id) > 1:
            raise UserError(_("Resolve exceptions of one type at a time."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_governance.action_distribution_exception_resolve_wizard"
        )
        action["context"] = {"active_model": self._name, "active_ids": self.ids}
        return action

    def action_resolve(self, resolution_id, note=None):
        self._check_user()
        self._ensure_open(_("resolve"))
        choose = _("Choose a resolution code to resolve an exception.")
        resolution = self.env["distribution.exception.resolution"].browse(
            input_checks.record_id(self.env, resolution_id, choose) if resolution_id else ()
        ).exists()
        if not resolution:
            raise UserError(choose)
        note = input_checks.text(self.env, note, _("The note"))
        self._raise_refusals(lambda rec: rec._resolve_refusal(engine=self.env.su))
        for rec in self:
            if resolution.type_id != rec.type_id:
                raise UserError(
                    _(
                        "Resolution “%(code)s” does not apply to %(type)s exceptions.",
                        code=resolution.name,
                        type=rec.type_id.name,
                    )
                )
            if resolution.note_required and not note:
                raise UserError(_("Resolution “%s” needs a note.", resolution.name))
        # all or nothing: a playbook refusing the third exception undoes the first two
        with self.env.cr.savepoint():
            for rec in self._without_caller_defaults():
                if resolution.playbook:
                    getattr(rec, f"_playbook_{resolution.playbook}")()
                rec.sudo()._close_resolved(
                    resolution,
                    note,
                    self.env.user,
                    _("Resolved: %(code)s. %(note)s", code=resolution.name, note=note),
                    owner=rec.owner_id or self.env.user,
                )
        results = [
            name
            for created in (self.result_picking_id, self.result_purchase_id, self.result_scrap_id)
            for name in created.sudo().mapped("display_name")
        ]
        message = _("%(refs)s resolved: %(code)s.", refs=self._refs(), code=resolution.name)
        if results:
            message = _("%(message)s Created: %(docs)s.", message=message, docs=", ".join(results))
        return self._notification(message)

    def _close_resolved(self, resolution, note, user, message, owner=None):
        """Resolve (already checked by the caller): who, when, code, note, SLA met or not."""
        now = fields.Datetime.now()
        for rec in self:
            values = {
                "state": "resolved",
                "resolution_id": resolution.id,
                "resolution_note": note or False,
                "resolved_by_id": user.id,
                "resolved_at": now,
                "sla_breached_at_close": bool(rec.sla_deadline and now > rec.sla_deadline),
            }
            if owner:
                values["owner_id"] = owner.id
            rec.write(values)
            rec.activity_unlink(["mail.mail_activity_data_todo"])
            rec._message_log(body=message)
        self._log_on_documents(message, skip_self_logged=True)

    def action_cancel(self, reason=None):
        self._check_manager(_("cancel"))
        self._ensure_open(_("cancel"))
        reason = input_checks.text(self.env, reason, _("The reason"))
        self.sudo().write({"state": "cancelled", "resolved_at": fields.Datetime.now()})
        for rec in self:
            rec.activity_unlink(["mail.mail_activity_data_todo"])
            rec._message_log(body=_("Cancelled. %s", reason))
        self._log_on_documents(_("Cancelled. %s", reason))
        return self._notification(_("%s cancelled.", self._refs()))

    def action_reopen(self):
        self._check_manager(_("reopen"))
        still_open = self.filtered(lambda r: r.state in OPEN_STATES)
        if still_open:
            raise UserError(_("%s is still open.", ", ".join(still_open.mapped("name"))))
        for rec in self:
            if rec.cause_key and self.sudo().search_count(
                [("cause_key", "=", rec.cause_key), ("state", "in", OPEN_STATES)]
            ):
                raise UserError(
                    _("%s cannot be reopened: a newer exception for the same cause is open.", rec.name)
                )
        self.sudo().write(
            {
                "state": "in_progress",
                "resolution_id": False,
                "resolution_note": False,
                "resolved_by_id": False,
                "resolved_at": False,
                "sla_breached_at_close": False,
            }
        )
        for rec in self:
            rec._message_log(body=_("Reopened."))
        self._log_on_documents(_("Reopened."))
        return self._notification(_("%s reopened, in progress.", self._refs()))

    def action_move(self, state):
        """A kanban card dropped in the column of `state`: the action that leads there, with
        its rules. In progress: take ownership (reopen a closed one, for managers); resolved:
        the resolve wizard; cancelled: cancel (managers). Nothing leads back to new."""
        if not isinstance(state, str) or state not in dict(self._fields["state"].selection):
            raise UserError(_("Unknown exception state: %s", state))
        input_checks.one_record(self, _("Move one exception at a time."))
        self._check_user()
        if state == "new":
            raise UserError(
                _(
                    "%(ref)s cannot go back to %(state)s: an exception leaves it once someone "
                    "works it. An exception manager may assign it to someone else.",
                    ref=self.name,
                    state=self._state_label("new"),
                )
            )
        if state == self.state:
            return False
        if state == "in_progress":
            if self.state in OPEN_STATES:
                return self.action_take_ownership()
            return self.action_reopen()
        if state == "resolved":
            return self.action_open_resolve_wizard()
        return self.action_cancel()

    # ------------------------------------------------------------------ detection API

    @api.model
    def _raise_exception(self, type_code, cause_key, values):
        """Open an exception of `type_code` for `cause_key` unless one is open already.

        The detection entry point of every flow (and of the approvals module): idempotent per
        cause, safe under concurrency thanks to the partial unique index. Returns the open
        exception, new or existing.
        """
        Exception_ = self._without_caller_defaults().sudo()
        existing = Exception_.search(
            [("cause_key", "=", cause_key), ("state", "in", OPEN_STATES)], limit=1
        )
        if existing:
            return existing
        type_rec = self.env["distribution.exception.type"].sudo().search(
            [("code", "=", type_code)], limit=1
        )
        if not type_rec:
            _logger.warning("No exception type %s; %s not recorded", type_code, cause_key)
            return Exception_
        vals = dict(values, type_id=type_rec.id, cause_key=cause_key, origin="auto")
        try:
            with self.env.cr.savepoint():
                return Exception_.create(vals)
        except psycopg2.errors.UniqueViolation:
            # Another transaction opened it between our search and create.
            return Exception_.search(
                [("cause_key", "=", cause_key), ("state", "in", OPEN_STATES)], limit=1
            )

    @api.model
    def _auto_resolve(self, cause_keys, resolution_code, note=None):
        """Close the open exceptions of these causes because their cause went away. Asked at
        every validated transfer, and nearly always none is open: looked up first in one query
        on the index of the open causes, the search and its closing for what it finds only."""
        if not cause_keys:
            return self.browse()
        self.flush_model(["cause_key", "state"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM distribution_exception WHERE cause_key IN %s AND state IN %s",
                tuple(cause_keys),
                OPEN_STATES,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        if not ids:
            return self.browse()
        return self._auto_close([("id", "in", ids)], resolution_code, note)

    @api.model
    def _auto_close(self, domain, resolution_code, note=None):
        """Close the open exceptions of `domain` (their cause went away, their document was
        cancelled) with the resolution of `resolution_code` of their type; logged on each
        exception and its documents."""
        records = self._without_caller_defaults().sudo().search(
            expression.AND([domain, [("state", "in", OPEN_STATES)]])
        )
        system = self.env.ref("base.user_root") if records else None
        for rec in records:
            resolution = rec.type_id.resolution_code_ids.filtered(
                lambda r: r.code == resolution_code
            )[:1]
            rec._close_resolved(
                resolution,
                note,
                system,
                _("Closed automatically: %s", note or resolution.name or resolution_code),
            )
        return records

    # ------------------------------------------------------------------ SLA & escalation

    @api.model
    def _cron_escalate(self):
        """Raise the escalation level of breached exceptions, once per level.

        Level n is reached when the deadline is passed by (n - 1) SLA windows. Rows are locked
        one by one (see lock_free_rows) so parallel cron workers never escalate one exception
        twice, and a row busy elsewhere waits for the next run instead of failing this one.
        """
        now = fields.Datetime.now()
        self.flush_model(["state", "sla_deadline", "escalation_level"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM distribution_exception
                 WHERE state IN %s AND sla_deadline < %s AND escalation_level < %s
                 ORDER BY sla_deadline
                """,
                OPEN_STATES,
                now,
                MAX_ESCALATION_LEVEL,
            )
        )
        due = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        escalated = self.browse()
        for rec in lock_free_rows(due):
            window = rec.sla_deadline - (rec.detected_at or rec.create_date or rec.sla_deadline)
            overdue = now - rec.sla_deadline
            if window.total_seconds() > 0:
                level = 1 + int(overdue.total_seconds() // window.total_seconds())
            else:
                level = 1
            level = min(level, MAX_ESCALATION_LEVEL)
            if level <= rec.escalation_level:
                continue
            rec.write({"escalation_level": level, "escalated_at": now})
            rec._notify_escalation(level)
            escalated |= rec
        return escalated

    def _escalation_users(self):
        self.ensure_one()
        group = self.type_id.escalation_group_id or self.env.ref(
            "distribution_governance.group_exception_manager"
        )
        users = group.users.filtered(
            lambda u: not u.share and u.active and self.company_id in u.company_ids
        )
        return users

    def _notify_escalation(self, level):
        self.ensure_one()
        users = self._escalation_users()
        summary = _("Escalation level %(level)s: %(ref)s", level=level, ref=self.name)
        for user in users:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=_("SLA deadline %s passed.", fields.Datetime.to_string(self.sla_deadline)),
                user_id=user.id,
            )
        message = _(
            "SLA breached: escalated to level %(level)s (%(who)s).",
            level=level,
            who=", ".join(users.mapped("name")) or _("nobody in the escalation group"),
        )
        self._message_log(body=message)
        self._log_on_documents(message)

    # ------------------------------------------------------------------ playbooks
    # A playbook runs its Odoo operations as superuser (confirming and reserving a transfer,
    # validating a scrap reach further than the rights they start from), so it first checks,
    # as the resolver, the rights of what it does: it never does more than they could by hand.

    def _check_playbook_rights(self, action, models=(), documents=()):
        """Refuse unless the acting user may `action` themselves.

        `models`: (model, operation) pairs, the access rights on what the playbook creates or
        changes; `documents`: (records, operation) pairs, the records it works from, checked
        with their record rules.
        """
        self.ensure_one()
        operations = {"read": _("read"), "create": _("create"), "write": _("change")}
        for model, operation in models:
            if not self.env[model].has_access(operation):
                raise AccessError(
                    _(
                        "%(ref)s: resolving it this way would %(action)s, but you may not "
                        "%(operation)s %(model)s records.",
                        ref=self.name,
                        action=action,
                        operation=operations[operation],
                        model=self.env[model]._description,
                    )
                )
        for records, operation in documents:
            if records and not records.has_access(operation):
                raise AccessError(
                    _(
                        "%(ref)s: resolving it this way would %(action)s, but you may not "
                        "%(operation)s %(documents)s.",
                        ref=self.name,
                        action=action,
                        operation=operations[operation],
                        # named as the exception's own links show them (see _ui_row)
                        documents=", ".join(records.sudo().mapped("display_name")),
                    )
                )

    def _playbook_backorder(self):
        """Short pick: make sure the missing quantity ships later."""
        self.ensure_one()
        picking = self.picking_id
        if not picking or not self.product_id or self.quantity_missing <= 0:
            raise UserError(_("%s has no missing quantity to ship later.", self.name))
        self._check_playbook_rights(
            _("create a backorder"),
            models=[("stock.picking", "create"), ("stock.move", "create")],
            documents=[(picking, "write"), (self.sale_order_id, "read")],
        )
        open_backorder = picking.backorder_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
            and self.product_id in p.move_ids.product_id
        )
        if open_backorder:
            self.sudo().result_picking_id = open_backorder[:1]
            return
        new_picking = picking.sudo().copy(
            {
                "move_ids": [],
                "backorder_id": picking.id,
                "origin": picking.origin or picking.name,
                "scheduled_date": fields.Datetime.now(),
            }
        )
        original = picking.move_ids.filtered(lambda m: m.product_id == self.product_id)[:1]
        self.env["stock.move"].sudo().create(
            {
                "name": self.product_id.display_name,
                "product_id": self.product_id.id,
                "product_uom_qty": self.quantity_missing,
                "product_uom": self.product_id.uom_id.id,
                "picking_id": new_picking.id,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
                "company_id": picking.company_id.id,
                "sale_line_id": original.sale_line_id.id,
                "group_id": picking.group_id.id,
            }
        )
        new_picking.action_confirm()
        new_picking.action_assign()
        self.sudo().result_picking_id = new_picking

    def _playbook_cancel_remainder(self):
        """Short pick: the customer will not get the rest; cancel what is still to ship."""
        self.ensure_one()
        picking = self.picking_id
        if not picking:
            raise UserError(_("%s is not linked to a transfer.", self.name))
        action = _("cancel what remains to ship")
        self._check_playbook_rights(
            action,
            models=[("stock.move", "write")],
            documents=[(picking, "read"), (self.sale_order_id, "read")],
        )
        moves = picking.backorder_ids.move_ids.filtered(
            lambda m: m.product_id == self.product_id and m.state not in ("done", "cancel")
        )
        self._check_playbook_rights(action, documents=[(moves, "write")])
        moves.sudo()._action_cancel()
        self.sudo().result_picking_id = moves.picking_id[:1]

    def _playbook_replenish(self):
        """Stockout: a request for quotation to the product's main vendor."""
        self.ensure_one()
        if not self.product_id or self.quantity_missing <= 0:
            raise UserError(_("%s has no missing quantity to buy.", self.name))
        seller = self.product_id._select_seller(
            quantity=self.quantity_missing, uom_id=self.product_id.uom_id
        ) or self.product_id.seller_ids.filtered(
            lambda s: not s.company_id or s.company_id == self.company_id
        )[:1]
        if not seller:
            raise UserError(
                _(
                    "%s has no vendor: add one on the product, then resolve again.",
                    self.product_id.display_name,
                )
            )
        self._check_playbook_rights(
            _("create a request for quotation"),
            models=[("purchase.order", "create"), ("purchase.order.line", "create")],
            documents=[(self.sale_order_id, "read")],
        )
        picking_type = self.warehouse_id.in_type_id or self.env["stock.picking.type"].search(
            [("code", "=", "incoming"), ("company_id", "=", self.company_id.id)], limit=1
        )
        order = self.env["purchase.order"].sudo().with_company(self.company_id).create(
            {
                "partner_id": seller.partner_id.id,
                "company_id": self.company_id.id,
                "picking_type_id": picking_type.id,
                "origin": self.name,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_id.id,
                            "product_qty": self.quantity_missing,
                            "product_uom": self.product_id.uom_id.id,
                        },
                    )
                ],
            }
        )
        self.sudo().result_purchase_id = order

    def _playbook_replacement(self):
        """Damaged goods: send the customer the same quantity again."""
        self.ensure_one()
        picking = self.picking_id
        # rights first: the checks below read the transfer
        self._check_playbook_rights(
            _("send a replacement delivery"),
            models=[("stock.picking", "create"), ("stock.move", "create")],
            documents=[(picking, "read"), (self.sale_order_id, "read")],
        )
        if not picking or picking.picking_type_code != "outgoing" or not self.product_id:
            raise UserError(
                _("%s is not linked to a customer delivery to replace.", self.name)
            )
        qty = self.quantity_missing or self.quantity_actual
        new_picking = picking.sudo().copy(
            {"move_ids": [], "origin": _("Replacement of %s", picking.name)}
        )
        self.env["stock.move"].sudo().create(
            {
                "name": self.product_id.display_name,
                "product_id": self.product_id.id,
                "product_uom_qty": qty,
                "product_uom": self.product_id.uom_id.id,
                "picking_id": new_picking.id,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
                "company_id": picking.company_id.id,
            }
        )
        new_picking.action_confirm()
        new_picking.action_assign()
        self.sudo().result_picking_id = new_picking

    def _playbook_restock(self):
        """Return: the goods passed inspection and stay in stock where the return put them."""
        self.ensure_one()
        self._check_playbook_rights(
            _("keep the returned goods in stock"),
            documents=[(self.picking_id, "read"), (self.sale_order_id, "read")],
        )
        if not self.picking_id or self.picking_id.state != "done":
            raise UserError(_("%s: the return is not received yet.", self.name))

    def _playbook_scrap_return(self):
        """Return: the goods failed inspection; scrap them from where the return put them."""
        self.ensure_one()
        picking = self.picking_id
        self._check_playbook_rights(
            _("scrap the returned goods"),
            models=[("stock.scrap", "create"), ("stock.move", "create")],
            documents=[(picking, "read"), (self.sale_order_id, "read")],
        )
        if not picking or picking.state != "done" or not self.product_id:
            raise UserError(_("%s: the return is not received yet.", self.name))
        scrap = self.env["stock.scrap"].sudo().create(
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "scrap_qty": self.quantity_actual,
                "location_id": picking.location_dest_id.id,
                "picking_id": picking.id,
                "company_id": picking.company_id.id,
                "origin": self.name,
            }
        )
        scrap.with_context(dg_no_damage_exception=True).do_scrap()
        self.sudo().result_scrap_id = scrap

    # ------------------------------------------------------------------ UI read API
    # The exception panel of the order and transfer forms and the systray item read through
    # these, one call each; the exception views read the model itself.

    def _selection_label(self, field):
        return dict(self._fields[field]._description_selection(self.env))[self[field]]

    def _ui_row(self):
        self.ensure_one()
        # The names of the linked records, as Odoo shows a many2one: a salesperson who may
        # read only their own orders still sees what an exception of theirs is about.
        links = self.sudo()
        take_refusal = self._take_refusal()
        resolve_refusal = self._resolve_refusal()
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type_id.name,
            "type_code": self.type_code,
            "severity": self.severity,
            "severity_label": self._selection_label("severity"),
            "state": self.state,
            "state_label": self._selection_label("state"),
            "owner": [self.owner_id.id, self.owner_id.name] if self.owner_id else False,
            "partner": links.partner_id.display_name or False,
            "sale_order": [links.sale_order_id.id, links.sale_order_id.name]
            if links.sale_order_id
            else False,
            "picking": [links.picking_id.id, links.picking_id.name] if links.picking_id else False,
            "product": links.product_id.display_name or False,
            "quantity_missing": self.quantity_missing,
            "uom": links.product_uom_id.name or False,
            "description": self.description or "",
            "sla_deadline": fields.Datetime.to_string(self.sla_deadline)
            if self.sla_deadline
            else False,
            "sla_warning_at": fields.Datetime.to_string(self.sla_warning_at)
            if self.sla_warning_at
            else False,
            "sla_status": self.sla_status,
            "sla_status_label": self._selection_label("sla_status"),
            "escalation_level": self.escalation_level,
            # what the user may do, and why not, as the actions will judge it
            "can_take": self.user_can_take,
            "can_resolve": self.user_can_resolve,
            "why_not_take": False if self.user_can_take else (take_refusal or False),
            "why_not_resolve": False if self.user_can_resolve else (resolve_refusal or False),
        }

    @api.model
    def _ui_rights(self):
        return {
            "can_work": self._is_worker(),
            "can_manage": self._is_manager(),
            "user_id": self.env.uid,
            "server_now": fields.Datetime.to_string(fields.Datetime.now()),
        }

    @api.model
    @api.readonly
    def get_panel_data(self, res_model, res_id):
        """Open exceptions of one sale order or picking, for the panel in its form."""
        fields_by_model = {"sale.order": "sale_order_id", "stock.picking": "picking_id"}
        rights = self._ui_rights()
        # The opening checks of every panel (model, unsaved form, role, existence, read access).
        document = self.env["distribution.approval.request"]._dg_panel_document(
            res_model, res_id, fields_by_model,
            _("Exceptions are shown on sales orders and transfers only."),
            governance=not self.env.su,
        )
        if not document:
            return dict(rights, exceptions=[])
        field, res_id = fields_by_model[res_model], document.id
        records = self.search([(field, "=", res_id), ("state", "in", OPEN_STATES)])
        return dict(rights, exceptions=[rec._ui_row() for rec in records])

    @api.model
    @api.readonly
    def get_systray_data(self):
        """Counts of the addon's single systray item: what is mine (my open exceptions, those
        of them past their SLA, the approvals I may decide) and, for exception managers, the
        breaches of every visible company. Each capability adds its own keys."""
        if not self._is_worker():
            return {"can_work": False}
        open_domain = [("state", "in", OPEN_STATES)]
        mine = open_domain + [("owner_id", "=", self.env.uid)]
        breached = self._sla_status_domain("breached", open_only=True)
        data = {
            "can_work": True,
            "my_open": self.search_count(mine),
            "my_breached": self.search_count(mine + breached),
        }
        if self._is_manager():
            data["breached"] = self.search_count(open_domain + breached)
        user = self.env.user
        # override approvers, and sales managers who approve prices
        if user.has_group("distribution_governance.group_override_approver") or user.has_group(
            "sales_team.group_sale_manager"
        ):
            data["pending_approvals"] = self.env["distribution.approval.request"].get_pending_count()
        return data

    @api.model
    @api.readonly
    def get_triage_counts(self):
        """The figures above the triage kanban and list, each the count of one search filter
        over the open exceptions: mine, unassigned, breached, at risk."""
        if not self._is_worker():
            return {}
        open_domain = [("state", "in", OPEN_STATES)]
        return {
            key: self.search_count(open_domain + domain)
            for key, domain in (
                ("mine", [("owner_id", "=", self.env.uid)]),
                ("unassigned", [("owner_id", "=", False)]),
                ("breached", self._sla_status_domain("breached", open_only=True)),
                ("at_risk", self._sla_status_domain("at_risk", open_only=True)),
            )
        }
