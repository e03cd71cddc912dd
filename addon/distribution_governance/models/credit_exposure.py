from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

# Uninvoiced value of confirmed orders, per order in its currency (see readme/USAGE.md):
# each line counts its ordered quantity less the quantity on posted invoices (credit notes
# subtract), at its tax-included unit price, whatever its invoicing policy; down payments on
# posted invoices not yet deducted reduce their order's figure; an order never counts below
# zero (what was invoiced beyond it is in the receivables).
# Lines whose posted invoices may cover them are skipped early (`qty_invoiced` >= ordered,
# and no draft invoice of the customer names them) through a partial index, and each open
# line finds its invoice lines through the relation's index: a customer with years of invoiced
# orders costs what their open orders cost.
UNINVOICED_SQL = """
WITH scope AS MATERIALIZED (
    -- the order, and the customer's confirmed orders through the invoice address's index (one
    -- branch each: an OR would hide from the planner that they are few, and a plan sized for
    -- thousands of orders costs its compilation)
    SELECT o.id, o.currency_id, o.id = %(order)s AS this_order
      FROM sale_order o
     WHERE o.id = %(order)s
    UNION
    SELECT o.id, o.currency_id, o.id = %(order)s
      FROM res_partner p
      JOIN sale_order o ON o.partner_invoice_id = p.id
     WHERE p.commercial_partner_id = %(partner)s
       AND o.state = 'sale'
       AND o.company_id = %(company)s
), lines AS MATERIALIZED (
    -- lines not covered by invoices yet, looked up order by order through the partial index
    -- sale_order_line_dg_open_idx (OFFSET 0 keeps each lookup apart: joined freely, a planner
    -- misled by stale statistics, after many orders were added, would scan every open line
    -- of every customer once per order of this one)
    SELECT l.id, l.order_id, scope.currency_id, scope.this_order, l.is_downpayment,
           l.product_uom_qty, l.price_total, l.product_uom
      FROM scope
     CROSS JOIN LATERAL (
          SELECT l.id, l.order_id, l.is_downpayment, l.product_uom_qty, l.price_total, l.product_uom
            FROM sale_order_line l
           WHERE l.order_id = scope.id
             AND l.display_type IS NULL
             AND (l.is_downpayment OR l.qty_invoiced < l.product_uom_qty)
          OFFSET 0
     ) l
    %(draft_lines)s
), orders AS (
    SELECT lines.order_id, lines.currency_id, lines.this_order,
           GREATEST(SUM(CASE
               WHEN lines.is_downpayment THEN -COALESCE(posted.amount, 0)
               WHEN lines.product_uom_qty > 0
                   THEN lines.price_total
                        * GREATEST(lines.product_uom_qty - COALESCE(posted.qty, 0), 0)
                        / lines.product_uom_qty
               ELSE 0 END), 0) AS amount
      FROM lines
      -- the line's posted invoice lines, through the index of the relation: a few rows each
      LEFT JOIN LATERAL (
          SELECT SUM(CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                     * aml.quantity / COALESCE(au.factor, lu.factor, 1)
                     * COALESCE(lu.factor, au.factor, 1)) AS qty,
                 SUM(CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END
                     * aml.price_total) AS amount
            FROM sale_order_line_invoice_rel r
            JOIN account_move_line aml ON aml.id = r.invoice_line_id
            JOIN account_move m ON m.id = aml.move_id
            LEFT JOIN uom_uom lu ON lu.id = lines.product_uom
            LEFT JOIN uom_uom au ON au.id = aml.product_uom_id
           WHERE r.order_line_id = lines.id
             AND m.state = 'posted'
             AND m.move_type IN ('out_invoice', 'out_refund')
      ) posted ON TRUE
     GROUP BY lines.order_id, lines.currency_id, lines.this_order
)
SELECT currency_id, this_order, SUM(amount) FROM orders GROUP BY currency_id, this_order
"""
# the lines of the orders on draft invoices, when the customer has any (else left out of the
# query: nothing to plan nor to deduplicate)
DRAFT_LINES_SQL = """
    UNION
    -- every line of an order with draft invoices (they count in qty_invoiced, not here)
    SELECT l.id, l.order_id, scope.currency_id, scope.this_order, l.is_downpayment,
           l.product_uom_qty, l.price_total, l.product_uom
      FROM scope
     CROSS JOIN LATERAL (
          SELECT l.id, l.order_id, l.is_downpayment, l.product_uom_qty, l.price_total, l.product_uom
            FROM sale_order_line l
           WHERE l.order_id = scope.id AND l.display_type IS NULL
          OFFSET 0
     ) l
     WHERE scope.id = ANY(%(draft_invoiced)s)
"""


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def init(self):
        super().init()
        create_index(
            self.env.cr,
            "sale_order_line_dg_open_idx",
            self._table,
            ["order_id"],
            where="display_type IS NULL AND (is_downpayment OR qty_invoiced < product_uom_qty)",
        )


class ResPartner(models.Model):
    _inherit = "res.partner"

    def init(self):
        super().init()
        # a customer's posted invoices and credit notes, for the receivables of the exposure
        # (index-only: no read of the company's invoices); on Odoo's table, dropped by the
        # uninstall hook
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS account_move_dg_receivable_idx
                   ON account_move (commercial_partner_id, company_id)
                      INCLUDE (move_type, amount_residual_signed, invoice_date_due)
                WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')"""
        )

    @api.model
    def _dg_credit_exposure(self, partner, company, order=None):
        """Credit exposure of the commercial partner in the company currency.

        open receivables = posted customer invoices' residual less credit notes' residual;
        uninvoiced = every other confirmed order of the customer at what is not on a posted
        invoice yet (tax included, whatever its invoicing policy; see UNINVOICED_SQL);
        this order = the same figure for the order at hand, confirmed or not.
        Three aggregate queries, whatever the number of documents.
        """
        commercial = partner.commercial_partner_id
        self.env.flush_all()
        cr = self.env.cr
        today = fields.Date.context_today(self)
        overdue_limit = fields.Date.subtract(today, days=company.dg_overdue_days or 0)
        cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(m.amount_residual_signed), 0),
                       COALESCE(SUM(m.amount_residual_signed)
                                FILTER (WHERE m.move_type = 'out_invoice'
                                          AND m.invoice_date_due < %(overdue)s), 0),
                       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'
                                          AND m.amount_residual_signed > 0
                                          AND m.invoice_date_due < %(overdue)s),
                       -- the orders on the customer's draft invoices, from those invoices'
                       -- lines (OFFSET 0: never from every order line, which stale
                       -- statistics can make look cheaper)
                       ARRAY(SELECT DISTINCT invoiced.order_id
                               FROM account_move d
                               JOIN account_move_line aml ON aml.move_id = d.id
                              CROSS JOIN LATERAL (
                                   SELECT l.order_id
                                     FROM sale_order_line_invoice_rel r
                                     JOIN sale_order_line l ON l.id = r.order_line_id
                                    WHERE r.invoice_line_id = aml.id
                                   OFFSET 0
                              ) invoiced
                              WHERE d.state = 'draft'
                                AND d.move_type IN ('out_invoice', 'out_refund')
                                AND d.company_id = %(company)s
                                AND d.commercial_partner_id = %(partner)s)
                  FROM account_move m
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.company_id = %(company)s
                   AND m.commercial_partner_id = %(partner)s
                """,
                overdue=overdue_limit,
                company=company.id,
                partner=commercial.id,
            )
        )
        receivables, overdue, overdue_count, draft_invoiced = cr.fetchone()
        cr.execute(
            SQL(
                UNINVOICED_SQL,
                order=order.id if order else 0,
                company=company.id,
                partner=commercial.id,
                draft_lines=SQL(DRAFT_LINES_SQL, draft_invoiced=list(draft_invoiced))
                if draft_invoiced
                else SQL(),
            )
        )
        uninvoiced = this_order = 0.0
        for currency_id, is_this_order, amount in cr.fetchall():
            currency = self.env["res.currency"].browse(currency_id)
            amount = currency._convert(amount or 0.0, company.currency_id, company, today)
            if is_this_order:
                this_order += amount
            else:
                uninvoiced += amount
        limit = commercial.with_company(company).sudo().credit_limit
        rounding = company.currency_id.round
        total = rounding(receivables + uninvoiced + this_order)
        return {
            "currency_id": company.currency_id.id,
            "currency_symbol": company.currency_id.symbol,
            "receivables": rounding(receivables),
            "uninvoiced": rounding(uninvoiced),
            "this_order": rounding(this_order),
            "total": total,
            "limit": limit,
            "credit_control": bool(company.account_use_credit_limit and limit > 0),
            "overdue": rounding(overdue),
            "overdue_count": overdue_count,
            "overdue_days": company.dg_overdue_days,
            "overdue_before": fields.Date.to_string(overdue_limit),
        }
