"""Floor capture: what a picker or receiver reports from a handheld scanner.

A capture names a transfer and what was scanned in it (product, lot, location barcodes), a
reason code and a quantity; it opens (or joins) an exception about them. The browser gives each
capture an id of its own and may send it again after a network loss: the capture row keeps that
id, unique, so a capture sent twice opens one exception.
"""

import base64
import binascii
import re

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from . import input_checks
from .distribution_exception import OPEN_STATES, USER_GROUP

STOCK_GROUP = "stock.group_stock_user"
BUS_TYPE = "distribution_governance/floor_capture"
CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# The largest photo a capture keeps (decoded); a phone picture scaled by the client fits.
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_BARCODES = 3
# The images a capture's photo may be, by the bytes they start with.
IMAGE_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
MAX_QUANTITY = 1e9
# The facts of an exception the floor adds: detection and captures set them, an exception
# manager may correct them (as the other facts, see OPERATIONAL_FIELDS).
FLOOR_OPERATIONAL_FIELDS = frozenset({"lot_id", "location_id", "move_id"})


class DistributionFloorReason(models.Model):
    _name = "distribution.floor.reason"
    _description = "Floor Capture Reason"
    _order = "sequence, id"

    name = fields.Char("Label", required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    type_id = fields.Many2one(
        "distribution.exception.type",
        string="Exception Type",
        required=True,
        # a reason lives with its type (and goes with it when the module is uninstalled)
        ondelete="cascade",
        help="The exception a capture with this reason opens.",
    )
    resolution_id = fields.Many2one(
        "distribution.exception.resolution",
        string="Default Resolution",
        domain="[('type_id', '=', type_id)]",
        help="The resolution (and its playbook) offered first when such an exception is "
        "resolved.",
    )
    playbook = fields.Selection(related="resolution_id.playbook", string="Default Playbook")
    product_required = fields.Boolean(
        default=True, help="A capture with this reason must scan a product of the transfer."
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a floor reason must be unique."),
    ]

    @api.constrains("type_id", "resolution_id")
    def _check_resolution_type(self):
        for rec in self:
            if rec.resolution_id and rec.resolution_id.type_id != rec.type_id:
                raise ValidationError(
                    _("The default resolution of %s must belong to its exception type.", rec.name)
                )


class DistributionException(models.Model):
    _inherit = "distribution.exception"

    origin = fields.Selection(
        selection_add=[("floor", "Captured on the floor")], ondelete={"floor": "set default"}
    )
    move_id = fields.Many2one("stock.move", string="Stock Move", check_company=True)
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", check_company=True)
    location_id = fields.Many2one("stock.location", string="Location", check_company=True)
    floor_reason_id = fields.Many2one(
        "distribution.floor.reason", string="Floor Reason", readonly=True, copy=False
    )

    def _check_user_fields(self, names):
        if not self.env.su:
            if "floor_reason_id" in names:
                raise AccessError(_("The floor reason is set by the floor capture."))
            facts = FLOOR_OPERATIONAL_FIELDS & names
            if facts and not self._is_manager():
                raise AccessError(
                    _(
                        "Only an exception manager can set what an exception is about "
                        "(detection sets it): %s",
                        ", ".join(sorted(facts)),
                    )
                )
        return super()._check_user_fields(names)

    @api.constrains("origin", "cause_key")
    def _check_cause_key_only_detected(self):
        # a floor capture of a detected cause (a short pick) holds the detection's key, so
        # that detection and capture meet on one exception
        if any(rec.cause_key and rec.origin not in ("auto", "floor") for rec in self):
            raise ValidationError(_("Only a detected exception has a cause key."))

    @api.model
    def _raise_exception(self, type_code, cause_key, values):
        # detection of a cause a picker already reported: one exception, with the facts the
        # detection measured (a validated short pick knows its demand and what shipped)
        exception = super()._raise_exception(type_code, cause_key, values)
        if exception.origin == "floor":
            facts = {
                key: values[key]
                for key in ("quantity_expected", "quantity_actual", "quantity_missing")
                if key in values
            }
            if facts:
                exception.sudo().write(facts)
            exception._message_log(
                body=_("Detected too: %s", values.get("description") or cause_key)
            )
        return exception

    def _playbook_scrap_damaged(self):
        """Damaged goods reported on the floor: scrap the reported quantity from where it lies."""
        self.ensure_one()
        picking = self.picking_id
        self._check_playbook_rights(
            _("scrap the damaged goods"),
            models=[("stock.scrap", "create"), ("stock.move", "create")],
            documents=[(picking, "read"), (self.sale_order_id, "read")],
        )
        qty = self.quantity_missing or self.quantity_actual
        location = self.location_id or self.move_id.location_id or picking.location_id
        if not self.product_id or qty <= 0 or not location:
            raise UserError(_("%s names no product, quantity and location to scrap.", self.name))
        scrap = self.env["stock.scrap"].sudo().create(
            {
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "scrap_qty": qty,
                "lot_id": self.lot_id.id,
                "location_id": location.id,
                "picking_id": picking.id,
                "company_id": self.company_id.id,
                "origin": self.name,
            }
        )
        # the scrap is the resolution: it must not open a damaged-goods exception of its own
        scrap.with_context(dg_no_damage_exception=True).do_scrap()
        self.sudo().result_scrap_id = scrap


class DistributionExceptionResolution(models.Model):
    _inherit = "distribution.exception.resolution"

    playbook = fields.Selection(
        selection_add=[("scrap_damaged", "Scrap the damaged goods")],
        ondelete={"scrap_damaged": "set null"},
    )


class DistributionFloorCapture(models.Model):
    _name = "distribution.floor.capture"
    _description = "Floor Capture"
    _order = "id desc"
    _check_company_auto = True

    client_id = fields.Char(required=True, readonly=True, index=True)
    exception_id = fields.Many2one(
        "distribution.exception", required=True, readonly=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    picking_id = fields.Many2one("stock.picking", readonly=True, check_company=True)
    reason_id = fields.Many2one("distribution.floor.reason", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    joined = fields.Boolean(
        readonly=True, help="The capture joined an exception already open for the same cause."
    )

    _sql_constraints = [
        ("client_id_unique", "unique(client_id)", "A floor capture is recorded once."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        # a capture row is the engine's record of a call to floor_capture(), nothing else
        if not self.env.su:
            raise AccessError(_("Floor captures are recorded through the floor capture screen."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("A floor capture cannot be changed."))
        return super().write(vals)

    # ------------------------------------------------------------------ checks

    @api.model
    def _check_floor_user(self):
        user = self.env.user
        if not (user.has_group(STOCK_GROUP) and user.has_group(USER_GROUP)) or user.share:
            raise AccessError(_("Floor capture is for warehouse users."))

    @api.model
    def _find_picking(self, ref):
        """The transfer `ref` (an id, a name or a barcode) among those the user may read and
        report on: their companies', not cancelled."""
        Picking = self.env["stock.picking"]
        if input_checks.is_id(ref):
            picking = Picking.browse(ref).exists()
            if picking and not picking.has_access("read"):
                picking = Picking
        elif isinstance(ref, str) and ref.strip() and len(ref) <= 200:
            picking = Picking.search([("name", "=", ref.strip())], limit=1)
        else:
            raise UserError(_("Scan a transfer first."))
        if not picking:
            raise UserError(
                _("Transfer “%s”: not found among your companies' transfers.", ref)
            )
        if picking.state == "cancel":
            raise UserError(_("%s is cancelled: nothing to report on it.", picking.name))
        return picking

    @api.model
    def _classify(self, picking, barcode):
        """What `barcode` names in `picking`: ("product", product), ("lot", lot) or
        ("location", location); UserError when it names nothing the transfer holds."""
        if not isinstance(barcode, str) or not barcode.strip() or len(barcode) > 200:
            raise UserError(_("An empty or unreadable scan."))
        barcode = barcode.strip()
        products = picking.move_ids.filtered(lambda m: m.state != "cancel").product_id
        product = self.env["product.product"].search(
            ["|", ("barcode", "=", barcode), ("default_code", "=", barcode)], limit=1
        )
        if product:
            if product not in products:
                raise UserError(
                    _(
                        "%(product)s is not in %(picking)s.",
                        product=product.display_name,
                        picking=picking.name,
                    )
                )
            return "product", product
        lot = self.env["stock.lot"].search(
            [
                ("name", "=", barcode),
                ("product_id", "in", products.ids),
                ("company_id", "in", [picking.company_id.id, False]),
            ],
            limit=1,
        )
        if lot:
            return "lot", lot
        location = self.env["stock.location"].search(
            [
                ("barcode", "=", barcode),
                ("company_id", "in", [picking.company_id.id, False]),
            ],
            limit=1,
        )
        if location:
            return "location", location
        raise UserError(_("Unknown barcode: %s", barcode))

    @api.model
    def _scanned(self, picking, barcodes):
        """{"product": …, "lot": …, "location": …} from the scans of one capture."""
        if barcodes in (None, False):
            barcodes = []
        if not isinstance(barcodes, list) or len(barcodes) > MAX_BARCODES:
            raise UserError(_("A capture holds at most %s scans.", MAX_BARCODES))
        found = {}
        for barcode in barcodes:
            kind, record = self._classify(picking, barcode)
            if kind in found and found[kind] != record:
                raise UserError(_("Two different scans of one kind: %s", barcode))
            found[kind] = record
        lot = found.get("lot")
        if lot:
            if found.get("product") and found["product"] != lot.product_id:
                raise UserError(
                    _("Lot %(lot)s is not of %(product)s.", lot=lot.name,
                      product=found["product"].display_name)
                )
            found["product"] = lot.product_id
        return found

    @api.model
    def _photo(self, photo):
        """(name, mimetype, raw bytes) of the photo of a capture, or None."""
        if not photo:
            return None
        if not isinstance(photo, dict) or not isinstance(photo.get("data"), str):
            raise UserError(_("The photo could not be read."))
        mimetype = photo.get("mimetype") or "image/jpeg"
        if not isinstance(mimetype, str) or mimetype not in IMAGE_SIGNATURES:
            raise UserError(_("The photo must be a JPEG, PNG, WebP or GIF image."))
        if len(photo["data"]) > MAX_PHOTO_BYTES * 4 // 3 + 4:
            raise UserError(_("The photo is too large (at most 5 MB)."))
        try:
            raw = base64.b64decode(photo["data"], validate=True)
        except (binascii.Error, ValueError):
            raise UserError(_("The photo could not be read.")) from None
        # what the bytes are, not what the client says: an attachment is served with its type
        if not any(raw.startswith(magic) for magic in IMAGE_SIGNATURES[mimetype]) or (
            mimetype == "image/webp" and raw[8:12] != b"WEBP"
        ):
            raise UserError(_("The photo's content is not %s.", mimetype))
        name = photo.get("name") if isinstance(photo.get("name"), str) else ""
        name = re.sub(r"[^\w. -]", "_", name)[:100] or "photo"
        return name, mimetype, raw

    @api.model
    def _payload(self, payload):
        """The checked facts of a capture payload (nothing written yet)."""
        if not isinstance(payload, dict):
            raise UserError(_("A capture is sent as a dictionary of values."))
        client_id = payload.get("client_id")
        if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
            raise UserError(_("The capture has no valid client id."))
        reason_code = payload.get("reason")
        reason = self.env["distribution.floor.reason"].search(
            [("code", "=", reason_code)] if isinstance(reason_code, str) else [("id", "=", 0)],
            limit=1,
        )
        if not reason:
            raise UserError(_("Choose a reason."))
        picking = self._find_picking(payload.get("picking"))
        scanned = self._scanned(picking, payload.get("barcodes"))
        product = scanned.get("product")
        if reason.product_required and not product:
            raise UserError(_("Scan the product for “%s”.", reason.name))
        quantity = payload.get("quantity") or 0.0
        if (
            isinstance(quantity, bool)
            or not isinstance(quantity, (int, float))
            or not 0 <= quantity <= MAX_QUANTITY
        ):
            raise UserError(_("The quantity must be a positive number."))
        if product and quantity <= 0:
            raise UserError(_("Enter the quantity concerned."))
        return {
            "client_id": client_id,
            "reason": reason,
            "picking": picking,
            "product": product or self.env["product.product"],
            "lot": scanned.get("lot") or self.env["stock.lot"],
            "location": scanned.get("location") or self.env["stock.location"],
            "quantity": float(quantity),
            "note": input_checks.text(self.env, payload.get("note"), _("The note")),
            "photo": self._photo(payload.get("photo")),
        }

    # ------------------------------------------------------------------ RPC

    @api.model
    @api.readonly
    def floor_data(self):
        """The screen's start: the reasons and the user's transfers to pick from."""
        self._check_floor_user()
        reasons = self.env["distribution.floor.reason"].search([])
        pickings = self.env["stock.picking"].search(
            [
                ("user_id", "=", self.env.uid),
                ("state", "in", ("confirmed", "waiting", "assigned")),
            ],
            order="scheduled_date, id",
            limit=20,
        )
        return {
            "reasons": [
                {
                    "id": r.id,
                    "code": r.code,
                    "name": r.name,
                    "type": r.type_id.name,
                    "product_required": r.product_required,
                }
                for r in reasons
            ],
            "pickings": [self._picking_row(p) for p in pickings],
        }

    @api.model
    def _picking_row(self, picking):
        return {
            "id": picking.id,
            "name": picking.name,
            "partner": picking.partner_id.display_name or "",
            "state": picking.state,
        }

    @api.model
    @api.readonly
    def floor_transfer(self, ref):
        """The transfer a scan or a tap named, with its lines."""
        self._check_floor_user()
        picking = self._find_picking(ref)
        row = self._picking_row(picking)
        row["lines"] = [
            {
                "product_id": move.product_id.id,
                "product": move.product_id.display_name,
                "quantity": move.product_uom_qty,
                "uom": move.product_uom.name,
            }
            for move in picking.move_ids.filtered(lambda m: m.state != "cancel")
        ]
        return row

    @api.model
    @api.readonly
    def floor_scan(self, picking_id, barcode):
        """What a scan names in a transfer, or a UserError saying why it is a bad scan."""
        self._check_floor_user()
        picking = self._find_picking(picking_id)
        kind, record = self._classify(picking, barcode)
        return {"kind": kind, "id": record.id, "name": record.display_name, "barcode": barcode}

    @api.model
    def floor_capture(self, payload):
        """Record one capture: the exception it opened or joined. Sent again with the same
        client id, it answers the first call's result and records nothing."""
        self._check_floor_user()
        client_id = payload.get("client_id") if isinstance(payload, dict) else None
        done = self._previous(client_id)
        if done:
            return done
        facts = self._payload(payload)
        try:
            with self.env.cr.savepoint():
                return self._record(facts)
        except psycopg2.errors.UniqueViolation:
            # the same capture sent twice at once, or its cause opened meanwhile: the other
            # call recorded it
            done = self._previous(client_id)
            if done:
                return done
        with self.env.cr.savepoint():
            return self._record(facts)

    def _previous(self, client_id):
        if not isinstance(client_id, str):
            return None
        capture = self.sudo().search([("client_id", "=", client_id)], limit=1)
        if not capture:
            return None
        if capture.user_id != self.env.user:
            # a client id is the browser's; another user's must not reveal its exception
            raise UserError(_("This capture was recorded by someone else."))
        return capture._result(duplicate=True)

    def _result(self, duplicate=False):
        self.ensure_one()
        exception = self.exception_id
        return {
            "client_id": self.client_id,
            "exception_id": exception.id,
            "name": exception.name,
            "type": exception.type_id.name,
            "joined": self.joined,
            "duplicate": duplicate,
        }

    @api.model
    def _record(self, facts):
        Exception_ = self.env["distribution.exception"]._without_caller_defaults().sudo()
        reason, picking, product = facts["reason"], facts["picking"], facts["product"]
        move = picking.move_ids.filtered(
            lambda m: m.product_id == product and m.state != "cancel"
        )[:1] if product else self.env["stock.move"]
        cause_key = False
        if reason.type_id.code == "short_pick" and product:
            # the key short-pick detection gives this cause (models/stock_picking.py)
            cause_key = f"short_pick:stock.picking:{picking.id}:product:{product.id}"
        exception = Exception_.browse()
        if cause_key:
            exception = Exception_.search(
                [("cause_key", "=", cause_key), ("state", "in", OPEN_STATES)], limit=1
            )
        joined = bool(exception)
        user = self.env.user
        note = facts["note"]
        description = _(
            "Reported on the floor by %(user)s: %(reason)s%(what)s. %(note)s",
            user=user.name,
            reason=reason.name,
            what=_(", %(qty)s %(uom)s of %(product)s", qty=facts["quantity"],
                   uom=product.uom_id.name, product=product.display_name) if product else "",
            note=note,
        )
        if not exception:
            demand = move.product_uom._compute_quantity(move.product_uom_qty, product.uom_id) \
                if move else 0.0
            exception = Exception_.create(
                {
                    "type_id": reason.type_id.id,
                    "origin": "floor",
                    "cause_key": cause_key,
                    "company_id": picking.company_id.id,
                    "partner_id": picking.partner_id.id,
                    "sale_order_id": picking.sale_id.id,
                    "picking_id": picking.id,
                    "move_id": move.id,
                    "product_id": product.id,
                    "lot_id": facts["lot"].id,
                    "location_id": (facts["location"] or move.location_id).id,
                    "floor_reason_id": reason.id,
                    "quantity_expected": demand if cause_key else 0.0,
                    "quantity_missing": facts["quantity"],
                    "description": description,
                }
            )
        else:
            exception._message_log(body=_("Also %s", description))
        if facts["photo"]:
            name, mimetype, raw = facts["photo"]
            # as superuser: a warehouse user reads the exception but may not write it; the
            # attachment is then read by whoever reads the exception (ir.attachment's rule)
            self.env["ir.attachment"].sudo().create(
                {
                    "name": name,
                    "mimetype": mimetype,
                    "raw": raw,
                    "res_model": "distribution.exception",
                    "res_id": exception.id,
                }
            )
        capture = self.sudo().create(
            {
                "client_id": facts["client_id"],
                "exception_id": exception.id,
                "user_id": user.id,
                "company_id": picking.company_id.id,
                "picking_id": picking.id,
                "reason_id": reason.id,
                "quantity": facts["quantity"],
                "joined": joined,
            }
        )
        if not joined:
            # one message to the warehouse users' group (whose views show exceptions), saying
            # nothing of the exception: each screen reloads with its own reader's rights
            self.env["bus.bus"]._sendone(self.env.ref(STOCK_GROUP), BUS_TYPE, {})
        return capture._result()
