from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _dg_credit_exposure(self, partner, company, order=None):
        """Credit exposure of the commercial partner in the company currency.

        open receivables = posted customer invoices' residual less credit notes' residual;
        uninvoiced = confirmed orders' amount still to invoice (taxes included);
        this order = the order at hand when it is not confirmed yet (once confirmed, it is part
        of the uninvoiced amount). Two aggregate queries, whatever the number of documents.
        """
        commercial = partner.commercial_partner_id
        self.env.flush_all()
        cr = self.env.cr
        overdue_limit = fields.Date.subtract(
            fields.Date.context_today(self), days=company.dg_overdue_days or 0
        )
        cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(m.amount_residual_signed), 0),
                       COALESCE(SUM(m.amount_residual_signed)
                                FILTER (WHERE m.move_type = 'out_invoice'
                                          AND m.invoice_date_due < %(overdue)s), 0),
                       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'
                                          AND m.amount_residual_signed > 0
                                          AND m.invoice_date_due < %(overdue)s)
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.partner_id
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.company_id = %(company)s
                   AND p.commercial_partner_id = %(partner)s
                """,
                overdue=overdue_limit,
                company=company.id,
                partner=commercial.id,
            )
        )
        receivables, overdue, overdue_count = cr.fetchone()
        cr.execute(
            SQL(
                """
                SELECT o.currency_id,
                       SUM(CASE WHEN l.price_subtotal != 0
                                THEN l.untaxed_amount_to_invoice * l.price_total / l.price_subtotal
                                ELSE l.untaxed_amount_to_invoice END)
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_partner p ON p.id = o.partner_invoice_id
                 WHERE o.state = 'sale'
                   AND o.company_id = %(company)s
                   AND p.commercial_partner_id = %(partner)s
                   AND l.untaxed_amount_to_invoice != 0
                 GROUP BY o.currency_id
                """,
                company=company.id,
                partner=commercial.id,
            )
        )
        uninvoiced = 0.0
        today = fields.Date.context_today(self)
        for currency_id, amount in cr.fetchall():
            currency = self.env["res.currency"].browse(currency_id)
            uninvoiced += currency._convert(amount or 0.0, company.currency_id, company, today)
        this_order = 0.0
        if order and order.state in ("draft", "sent"):
            this_order = order._dg_amount_company()
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
