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
# Run as the function dg_credit_uninvoiced (see _function).
UNINVOICED_SQL = """
WITH scope AS MATERIALIZED (
    -- the order, and the customer's confirmed orders through the invoice address's index (one
    -- branch each: an OR would hide from the planner that they are few, and a plan sized for
    -- thousands of orders costs its compilation)
    SELECT o.id, o.currency_id, o.id = p_order AS this_order
      FROM sale_order o
     WHERE o.id = p_order
    UNION
    SELECT o.id, o.currency_id, o.id = p_order
      FROM res_partner p
      JOIN sale_order o ON o.partner_invoice_id = p.id
     WHERE p.commercial_partner_id = p_partner
       AND o.state = 'sale'
       AND o.company_id = p_company
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
     WHERE scope.id = ANY(p_draft_invoiced)
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
# A customer's posted invoices less credit notes (all, and overdue: past `p_overdue`), and the
# orders on its draft invoices (they count in qty_invoiced: UNINVOICED_SQL reads all their lines)
RECEIVABLES_SQL = """
SELECT COALESCE(SUM(m.amount_residual_signed), 0),
       COALESCE(SUM(m.amount_residual_signed)
                FILTER (WHERE m.move_type = 'out_invoice' AND m.invoice_date_due < p_overdue), 0),
       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'
                          AND m.amount_residual_signed > 0
                          AND m.invoice_date_due < p_overdue),
       -- from the draft invoices' lines, through account_move_dg_draft_idx (OFFSET 0: never
       -- from every order line, which stale statistics can make look cheaper)
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
                AND d.company_id = p_company
                AND d.commercial_partner_id = p_partner)
  FROM account_move m
 WHERE m.state = 'posted'
   AND m.move_type IN ('out_invoice', 'out_refund')
   AND m.company_id = p_company
   AND m.commercial_partner_id = p_partner
"""


def _function(name, arguments, columns, query):
    """CREATE OR REPLACE of a PL/pgSQL function returning `query`: planning these queries
    costs more than running them, and a function's plan is kept by each database connection,
    where a query sent as text is planned anew at every order confirmed (~3 ms of ~5 for a
    customer with 250 open orders). One generic plan serves every customer: the queries are
    index lookups whatever their parameters (see their comments). The columns are named as
    the query's own (`use_column`: inside it, those names are the tables' columns)."""
    return f"""CREATE OR REPLACE FUNCTION {name}({arguments}) RETURNS TABLE ({columns})
       LANGUAGE plpgsql STABLE
       SET plan_cache_mode = force_generic_plan
       AS $function$
       #variable_conflict use_column
       BEGIN
           RETURN QUERY {query};
       END
       $function$"""


# dropped by the uninstall hook
FUNCTIONS = (
    _function(
        "dg_credit_receivables",
        "p_company integer, p_partner integer, p_overdue date",
        "receivables numeric, overdue numeric, overdue_count bigint, draft_invoiced integer[]",
        RECEIVABLES_SQL,
    ),
    _function(
        "dg_credit_uninvoiced",
        "p_order integer, p_company integer, p_partner integer, p_draft_invoiced integer[]",
        "currency_id integer, this_order boolean, amount numeric",
        UNINVOICED_SQL,
    ),
)


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
        # the orders on a customer's draft invoices (RECEIVABLES_SQL): drafts are few
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS account_move_dg_draft_idx
                   ON account_move (commercial_partner_id, company_id)
                WHERE state = 'draft' AND move_type IN ('out_invoice', 'out_refund')"""
        )
        for function in FUNCTIONS:
            self.env.cr.execute(function)

    @api.model
    def _dg_credit_exposure(self, partner, company, order=None):
        """Credit exposure of the commercial partner in the company currency.

        open receivables = posted customer invoices' residual less credit notes' residual;
        uninvoiced = every other confirmed order of the customer at what is not on a posted
        invoice yet (tax included, whatever its invoicing policy; see UNINVOICED_SQL);
        this order = the same figure for the order at hand, confirmed or not.
        One query, whatever the number of documents: the two functions of RECEIVABLES_SQL and
        UNINVOICED_SQL.
        """
        commercial = partner.commercial_partner_id
        self.env.flush_all()
        cr = self.env.cr
        today = fields.Date.context_today(self)
        overdue_limit = fields.Date.subtract(today, days=company.dg_overdue_days or 0)
        cr.execute(
            SQL(
                """SELECT r.receivables, r.overdue, r.overdue_count, u.currency_id, u.this_order,
                          u.amount
                     FROM dg_credit_receivables(%(company)s, %(partner)s, %(overdue)s) r
                     LEFT JOIN LATERAL dg_credit_uninvoiced(
                          %(order)s, %(company)s, %(partner)s, r.draft_invoiced) u ON TRUE""",
                overdue=overdue_limit,
                company=company.id,
                partner=commercial.id,
                order=order.id if order else 0,
            )
        )
        rows = cr.fetchall()
        receivables, overdue, overdue_count = rows[0][:3]
        uninvoiced = this_order = 0.0
        for __, __, __, currency_id, is_this_order, amount in rows:
            if currency_id is None:
                continue  # no order to count
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
