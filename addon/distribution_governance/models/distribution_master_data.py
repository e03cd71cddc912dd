from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from . import input_checks


class DistributionMasterDataCheck(models.AbstractModel):
    """Master-data quality checks: each finding is a "master data" exception linked to the
    record, opened once and closed automatically when a later run no longer finds it."""

    _name = "distribution.master.data.check"
    _description = "Master Data Quality Checks"

    @api.model
    def _findings(self, company):
        """[(cause_key, values)] for one company; SQL aggregates, not loops over records."""
        self.env.flush_all()  # the checks read the tables directly
        cr = self.env.cr
        findings = []

        cr.execute(
            SQL(
                """
                SELECT pp.default_code, array_agg(pp.id ORDER BY pp.id)
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.active AND pp.default_code IS NOT NULL AND pp.default_code != ''
                   AND (pt.company_id IS NULL OR pt.company_id = %s)
                 GROUP BY pp.default_code HAVING count(*) > 1
                """,
                company.id,
            )
        )
        for code, product_ids in cr.fetchall():
            for product_id in product_ids:
                findings.append(
                    (
                        f"master_data:duplicate_reference:product.product:{product_id}",
                        {
                            "product_id": product_id,
                            "description": _(
                                "Internal reference %(code)s is shared by %(count)s products.",
                                code=code,
                                count=len(product_ids),
                            ),
                        },
                    )
                )

        cr.execute(
            SQL(
                """
                SELECT pp.id
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom u ON u.id = pt.uom_id
                  JOIN uom_uom po ON po.id = pt.uom_po_id
                 WHERE pp.active AND pt.is_storable AND u.category_id != po.category_id
                   AND (pt.company_id IS NULL OR pt.company_id = %s)
                """,
                company.id,
            )
        )
        for (product_id,) in cr.fetchall():
            findings.append(
                (
                    f"master_data:uom_mismatch:product.product:{product_id}",
                    {
                        "product_id": product_id,
                        "description": _(
                            "The purchase unit and the sales unit are of different categories."
                        ),
                    },
                )
            )

        # Storable products bought in (Buy route on the product or its category, or no route
        # at all) without a vendor: replenishment cannot produce a purchase order.
        buy_route = self.env.ref("purchase_stock.route_warehouse0_buy", raise_if_not_found=False)
        cr.execute(
            SQL(
                """
                SELECT pp.id
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.active AND pt.is_storable AND pt.purchase_ok
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
                   AND NOT EXISTS (SELECT 1 FROM product_supplierinfo s
                                    WHERE s.product_tmpl_id = pt.id
                                      AND (s.company_id IS NULL OR s.company_id = %(company)s))
                   AND (
                        EXISTS (SELECT 1 FROM stock_route_product r
                                 WHERE r.product_id = pt.id AND r.route_id = %(buy)s)
                     OR EXISTS (SELECT 1 FROM stock_route_categ rc
                                 WHERE rc.categ_id = pt.categ_id AND rc.route_id = %(buy)s)
                     OR (NOT EXISTS (SELECT 1 FROM stock_route_product r WHERE r.product_id = pt.id)
                         AND NOT EXISTS (SELECT 1 FROM stock_route_categ rc
                                          WHERE rc.categ_id = pt.categ_id))
                   )
                """,
                company=company.id,
                buy=buy_route.id if buy_route else 0,
            )
        )
        for (product_id,) in cr.fetchall():
            findings.append(
                (
                    f"master_data:no_replenishment:product.product:{product_id}",
                    {
                        "product_id": product_id,
                        "description": _(
                            "Storable product bought in without a vendor: replenishment "
                            "cannot create a purchase order."
                        ),
                    },
                )
            )

        cr.execute(
            SQL(
                """
                SELECT q.product_id, q.location_id, sum(q.quantity)
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE l.usage = 'internal' AND q.company_id = %s
                 GROUP BY q.product_id, q.location_id
                HAVING sum(q.quantity) < 0
                """,
                company.id,
            )
        )
        for product_id, location_id, qty in cr.fetchall():
            location = self.env["stock.location"].browse(location_id)
            findings.append(
                (
                    f"master_data:negative_quant:product.product:{product_id}:location:{location_id}",
                    {
                        "product_id": product_id,
                        "quantity_actual": qty,
                        "res_model": "stock.location",
                        "res_id": location_id,
                        "description": _(
                            "Negative stock: %(qty)s in %(location)s.",
                            qty=qty,
                            location=location.display_name,
                        ),
                    },
                )
            )

        if company.account_use_credit_limit:
            # credit_limit is company-dependent (falls back to the company's default limit);
            # an effective limit of zero means the customer is not credit-controlled.
            partners = self.env["res.partner"].with_company(company).search(
                [
                    ("customer_rank", ">", 0),
                    ("parent_id", "=", False),
                    ("company_id", "in", (False, company.id)),
                ]
            )
            for partner in partners.filtered(lambda p: p.credit_limit <= 0):
                findings.append(
                    (
                        f"master_data:no_credit_limit:res.partner:{partner.id}:company:{company.id}",
                        {
                            "partner_id": partner.id,
                            "description": _(
                                "Customer without a credit limit while credit control is on."
                            ),
                        },
                    )
                )
        return findings

    @api.model
    def run_checks(self, company_ids=None):
        """Run every check for the given (default: all) companies; returns counts."""
        # Public for the cron and server code; over RPC only a manager may trigger it, and
        # only for the companies they work in.
        if not self.env.su:
            if not self.env.user.has_group("distribution_governance.group_exception_manager"):
                raise AccessError(_("Only an exception manager can run the master-data checks."))
            if company_ids not in (None, False):
                input_checks.id_list(self.env, company_ids, _("The companies"))
            if not set(company_ids or self.env.companies.ids) <= set(self.env.companies.ids):
                raise AccessError(_("You can run the checks of your current companies only."))
            return self.sudo().run_checks(company_ids or self.env.companies.ids)
        Exception_ = self.env["distribution.exception"]
        companies = (
            self.env["res.company"].browse(company_ids)
            if company_ids
            else self.env["res.company"].search([])
        )
        opened = found = 0
        for company in companies:
            findings = self._findings(company)
            found += len(findings)
            keys = set()
            for cause_key, values in findings:
                keys.add(cause_key)
                before = Exception_.sudo().search_count([("cause_key", "=", cause_key)])
                Exception_._raise_exception(
                    "master_data", cause_key, dict(values, company_id=company.id)
                )
                opened += Exception_.sudo().search_count([("cause_key", "=", cause_key)]) - before
            stale = Exception_.sudo().search(
                [
                    ("type_code", "=", "master_data"),
                    ("origin", "=", "auto"),
                    ("company_id", "=", company.id),
                    ("state", "in", ("new", "in_progress")),
                    ("cause_key", "not in", list(keys)),
                ]
            )
            Exception_._auto_resolve(
                stale.mapped("cause_key"), "data_fixed", _("A later check no longer finds it.")
            )
        return {"found": found, "opened": opened}

    @api.model
    def action_run_checks(self):
        """Button of the exceptions menu: run the checks now for the current companies."""
        if not self.env.user.has_group("distribution_governance.group_exception_manager"):
            raise AccessError(_("Only an exception manager can run the master-data checks."))
        result = self.sudo().run_checks(self.env.companies.ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Master-data checks"),
                "message": _(
                    "%(found)s findings, %(opened)s new exceptions.",
                    found=result["found"],
                    opened=result["opened"],
                ),
                "type": "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_run_checks(self):
        self.run_checks()
