-- The exceptions and approvals of a benchmark database at the scale of issue 12, included by
-- generate.sql (same transaction, its temporary tables and parameters):
--   :approvals quotations held at confirmation by the credit engine (customers over their
--       limit, invoices overdue), each with its pending credit request, its open credit-hold
--       exception and the to-dos of its approvers; a few requests already have one of two
--       approvals, or were changed while pending by someone who may then not decide them;
--   exceptions up to :exceptions in all (the history's included), :open_exceptions of them
--   open: every type, severities from low to critical, new or in progress, owned by the
--   warehouse staff, the rep or the manager or unassigned, SLA deadlines past and to come,
--   linked to recent orders and their deliveries, products, customers, warehouses; the closed
--   ones over the year, resolved with a code of their type (about a third late) or cancelled.
-- The bench users come from master_data.py.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM res_users WHERE login = 'bench_manager') THEN
        RAISE EXCEPTION 'no bench users: run scripts/bench/master_data.py first';
    END IF;
END $$;

-- the tables written so far, as the planner should see them
ANALYZE sale_order;
ANALYZE account_move;
ANALYZE distribution_exception;

CREATE TEMP TABLE b_gov AS
SELECT (SELECT id FROM res_users WHERE login = 'bench_rep') AS rep,
       (SELECT id FROM res_users WHERE login = 'bench_manager') AS manager,
       ARRAY(SELECT id FROM res_users WHERE login LIKE 'bench\_sales\_%' ORDER BY login) AS sales,
       ARRAY(SELECT id FROM res_users WHERE login LIKE 'bench\_credit\_%' ORDER BY login) AS credit,
       ARRAY(SELECT id FROM res_users WHERE login LIKE 'bench\_wh\_%' ORDER BY login) AS staff,
       (SELECT id FROM ir_model WHERE model = 'distribution.approval.request') AS request_model,
       (SELECT res_id FROM ir_model_data
         WHERE module = 'mail' AND name = 'mail_activity_data_todo') AS todo_type;

-- Odoo's credit limit with the addon's hold at confirmation; every bench customer has a limit.
UPDATE res_company SET account_use_credit_limit = true, dg_credit_hold_active = true,
                       dg_credit_hold_point = 'confirmation'
 WHERE id = (SELECT company_id FROM b_param);
UPDATE res_partner
   SET credit_limit = jsonb_build_object((SELECT company_id FROM b_param)::text,
                                         20000 + (id % 9) * 10000)
 WHERE ref LIKE 'BENCH-C%';

-- ------------------------------------------------------------------ held quotations

-- Made over the last 10 days; a fifth are the rep's (ids ending in 0 or 5, as the bench gives
-- him a fifth of the orders), the others the salespeople's, who requested the approval
-- themselves when their confirmation was held.
CREATE TEMP TABLE b_held AS
WITH raw AS (
    SELECT p.now_ts - random() * interval '10 days' AS date_order,
           1 + floor(random() * 5)::int AS nlines, random() AS r_wh, random() AS r_cust,
           random() AS r_just, random() AS r_change, random() AS r_dec, random() AS r_exc
      FROM b_param p, generate_series(1, :approvals)
)
SELECT row_number() OVER (ORDER BY date_order) AS n, raw.*,
       p.wh_ids[1 + floor(raw.r_wh * array_length(p.wh_ids, 1))::int] AS wh_id,
       p.customer_ids[1 + floor(raw.r_cust * array_length(p.customer_ids, 1))::int] AS partner_id
  FROM raw, b_param p;

CREATE TEMP TABLE b_ids4 AS
SELECT pg_temp.reserve('sale_order_id_seq', :approvals) - 1 AS so,
       pg_temp.reserve('distribution_approval_request_id_seq', :approvals) - 1 AS req,
       pg_temp.reserve('distribution_exception_id_seq', :approvals) - 1 AS exc;

ALTER TABLE b_held ADD COLUMN id int, ADD COLUMN user_id int;
UPDATE b_held h
   SET id = i.so + h.n,
       user_id = CASE WHEN (i.so + h.n) % 5 = 0 THEN g.rep
                      ELSE g.sales[1 + (h.n % array_length(g.sales, 1))::int] END
  FROM b_ids4 i, b_gov g;

CREATE TEMP TABLE b_hline AS
WITH raw AS (
    SELECT h.n AS held_n, l AS line_no,
           p.product_ids[1 + floor(random() ^ 2 * array_length(p.product_ids, 1))::int]
               AS product_id,
           (1 + floor(random() ^ 2 * 40))::numeric AS qty
      FROM b_held h, generate_series(1, h.nlines) l, b_param p
)
SELECT raw.*, pr.uom_id, pr.display_name, pr.price
  FROM raw JOIN b_product pr ON pr.id = raw.product_id;
ANALYZE b_held;
ANALYZE b_hline;

-- What the customers owe (posted, not paid) and how much of it is overdue beyond 30 days.
CREATE TEMP TABLE b_owed AS
SELECT m.commercial_partner_id AS partner_id, sum(m.amount_residual_signed) AS receivables,
       COALESCE(sum(m.amount_residual_signed)
                FILTER (WHERE m.move_type = 'out_invoice'
                          AND m.invoice_date_due < (p.now_ts - interval '30 days')::date), 0)
           AS overdue
  FROM account_move m, b_param p
 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
   AND m.commercial_partner_id IN (SELECT DISTINCT partner_id FROM b_held)
 GROUP BY m.commercial_partner_id, p.now_ts;

CREATE TEMP TABLE b_held_facts AS
SELECT h.n, h.id, h.date_order, h.partner_id, h.user_id, h.wh_id, h.r_just, h.r_change, h.r_dec,
       h.r_exc, t.amount, COALESCE(o.receivables, 0) AS receivables,
       COALESCE(o.overdue, 0) AS overdue, 20000 + (h.partner_id % 9) * 10000 AS credit_limit,
       pol.id AS policy_id, pol.group_id, pol.approvals_required,
       h.date_order + interval '1 minute' * (1 + floor(h.r_exc * 20)) AS requested_at
  FROM b_held h
  JOIN (SELECT held_n, round(sum(qty * price), 2) AS amount FROM b_hline GROUP BY held_n) t
    ON t.held_n = h.n
  LEFT JOIN b_owed o ON o.partner_id = h.partner_id
  JOIN LATERAL (
      SELECT pol.id, pol.group_id, pol.approvals_required
        FROM distribution_approval_policy pol
       WHERE pol.kind = 'credit_override' AND pol.active
         AND (pol.company_id IS NULL OR pol.company_id = (SELECT company_id FROM b_param))
         AND t.amount >= pol.amount_min AND (COALESCE(pol.amount_max, 0) = 0 OR t.amount < pol.amount_max)
       ORDER BY pol.company_id NULLS LAST, pol.amount_min DESC
       LIMIT 1) pol ON true;
ALTER TABLE b_held_facts ADD COLUMN reason text;
UPDATE b_held_facts
   SET reason = concat_ws(E'\n',
       CASE WHEN receivables + amount > credit_limit
            THEN format('Credit exposure %s exceeds the limit %s (receivables %s + this order %s).',
                        round(receivables + amount, 2), credit_limit, round(receivables, 2), amount)
       END,
       CASE WHEN overdue > 0
            THEN format('Invoices overdue by more than 30 days (%s).', round(overdue, 2)) END,
       CASE WHEN receivables + amount <= credit_limit AND overdue <= 0
            THEN format('Credit exposure %s exceeds the limit %s.', credit_limit + amount, credit_limit)
       END);

INSERT INTO sale_order (id, company_id, partner_id, partner_invoice_id, partner_shipping_id,
                        currency_id, user_id, team_id, name, state, invoice_status,
                        currency_rate, amount_untaxed, amount_tax, amount_total, locked,
                        require_signature, require_payment, prepayment_percent, date_order,
                        validity_date, warehouse_id, picking_policy, dg_credit_hold,
                        dg_hold_reason, create_uid, write_uid, create_date, write_date)
SELECT f.id, p.company_id, f.partner_id, f.partner_id, f.partner_id, p.currency_id, f.user_id,
       p.team_id, 'SBH' || pg_temp.num(f.n, 6), 'sent', 'no', 1.0, f.amount, 0, f.amount, false,
       false, false, 1.0, f.date_order, (f.date_order + interval '30 days')::date, f.wh_id,
       'direct', 'on_hold', f.reason, f.user_id, f.user_id, f.date_order, f.requested_at
  FROM b_held_facts f, b_param p;

INSERT INTO sale_order_line (id, order_id, sequence, company_id, currency_id, order_partner_id,
                             salesman_id, product_id, product_uom, state, qty_delivered_method,
                             invoice_status, name, product_uom_qty, price_unit, discount,
                             price_subtotal, price_total, price_tax, price_reduce_taxexcl,
                             price_reduce_taxinc, technical_price_unit, qty_delivered,
                             qty_invoiced, qty_to_invoice, untaxed_amount_invoiced,
                             untaxed_amount_to_invoice, product_packaging_qty, customer_lead,
                             warehouse_id, is_downpayment, is_expense,
                             create_uid, write_uid, create_date, write_date)
SELECT nextval('sale_order_line_id_seq'), f.id, 10 + l.line_no, p.company_id, p.currency_id,
       f.partner_id, f.user_id, l.product_id, l.uom_id, 'sent', 'stock_move', 'no',
       l.display_name, l.qty, l.price, 0, round(l.qty * l.price, 2), round(l.qty * l.price, 2), 0,
       l.price, l.price, l.price, 0, 0, 0, 0, 0, 0, 0, f.wh_id, false, false,
       f.user_id, f.user_id, f.date_order, f.date_order
  FROM b_hline l JOIN b_held_facts f ON f.n = l.held_n, b_param p
 ORDER BY f.id, l.line_no;

-- The open credit-hold exception of each held order (the credit engine opens it with the
-- request): new, or taken by the manager or a credit approver.
INSERT INTO distribution_exception (id, type_id, owner_id, company_id, partner_id,
                                    sale_order_id, warehouse_id, escalation_level, name,
                                    type_code, severity, state, origin, cause_key, description,
                                    sla_breached_at_close, detected_at, sla_deadline,
                                    sla_warning_at, create_uid, write_uid, create_date, write_date)
SELECT i.exc + f.n, t.id,
       CASE WHEN f.r_exc < 0.15 THEN g.manager
            WHEN f.r_exc < 0.3 THEN g.credit[1 + (f.n % array_length(g.credit, 1))::int] END,
       p.company_id, f.partner_id, f.id, f.wh_id, 0, 'EXC/BH' || pg_temp.num(f.n, 6),
       'credit_hold', t.default_severity, CASE WHEN f.r_exc < 0.3 THEN 'in_progress' ELSE 'new' END,
       'auto', 'credit_hold:sale.order:' || f.id,
       format('SBH%s is on credit hold until a credit approver decides APR/B%s.',
              pg_temp.num(f.n, 6), pg_temp.num(f.n, 6)),
       false, f.requested_at, f.requested_at + sla.hours * interval '1 hour',
       f.requested_at + sla.hours * interval '45 minutes', f.user_id, f.user_id,
       f.requested_at, f.requested_at
  FROM b_held_facts f
  JOIN distribution_exception_type t ON t.code = 'credit_hold'
  CROSS JOIN LATERAL (
      SELECT CASE t.default_severity WHEN 'low' THEN t.sla_hours_low
                                     WHEN 'medium' THEN t.sla_hours_medium
                                     WHEN 'high' THEN t.sla_hours_high
                                     ELSE t.sla_hours_critical END AS hours) sla,
       b_ids4 i, b_gov g, b_param p;

INSERT INTO distribution_approval_request (id, company_id, sale_order_id, partner_id,
                                           order_partner_id, order_currency_id, requester_id,
                                           salesperson_id, currency_id, policy_id,
                                           approver_group_id, approvals_required, exception_id,
                                           warehouse_id, name, kind, state, document_ref, reason,
                                           hold_reason, order_amount, amount,
                                           exposure_receivables, exposure_uninvoiced,
                                           exposure_this_order, exposure_total, credit_limit,
                                           overdue_amount, create_uid, write_uid, create_date,
                                           write_date)
SELECT i.req + f.n, p.company_id, f.id, f.partner_id, f.partner_id, p.currency_id, f.user_id,
       f.user_id, p.currency_id, f.policy_id, f.group_id, f.approvals_required, i.exc + f.n,
       f.wh_id, 'APR/B' || pg_temp.num(f.n, 6), 'credit_override', 'pending',
       'SBH' || pg_temp.num(f.n, 6),
       CASE WHEN f.r_just < 0.6 THEN 'Long-standing customer, payment announced this week.' END,
       f.reason, f.amount, f.amount, round(f.receivables, 2), 0, f.amount,
       round(f.receivables + f.amount, 2), f.credit_limit, round(f.overdue, 2),
       f.user_id, f.user_id, f.requested_at, f.requested_at
  FROM b_held_facts f, b_ids4 i, b_param p;

-- A third of the requests needing two approvers have the first one.
INSERT INTO distribution_approval_decision (id, request_id, user_id, decision, reason, decided_at,
                                            create_uid, write_uid, create_date, write_date)
SELECT nextval('distribution_approval_decision_id_seq'), i.req + f.n, g.credit[1], 'approve',
       NULL, f.requested_at + interval '1 hour', g.credit[1], g.credit[1],
       f.requested_at + interval '1 hour', f.requested_at + interval '1 hour'
  FROM b_held_facts f, b_ids4 i, b_gov g
 WHERE f.approvals_required > 1 AND f.r_dec < 0.33
 ORDER BY f.n;

-- Changed while pending (lines or customer): 3 % by the manager, 2 % by a credit approver.
INSERT INTO distribution_approval_request_changed_by_rel (request_id, user_id)
SELECT i.req + f.n, CASE WHEN f.r_change < 0.03 THEN g.manager ELSE g.credit[2] END
  FROM b_held_facts f, b_ids4 i, b_gov g
 WHERE f.r_change < 0.05;

-- The approvers' to-dos: each user of the tier's group who may decide the request.
INSERT INTO mail_activity (id, res_model_id, res_model, res_id, res_name, activity_type_id,
                           user_id, summary, note, date_deadline, automated, active,
                           create_uid, write_uid, create_date, write_date)
SELECT nextval('mail_activity_id_seq'), g.request_model, 'distribution.approval.request',
       i.req + f.n, 'APR/B' || pg_temp.num(f.n, 6), g.todo_type, u.id,
       'Credit hold to decide: SBH' || pg_temp.num(f.n, 6), f.reason, f.requested_at::date, true,
       true, f.user_id, f.user_id, f.requested_at, f.requested_at
  FROM b_held_facts f
  JOIN res_groups_users_rel gu ON gu.gid = f.group_id
  JOIN res_users u ON u.id = gu.uid AND u.active AND NOT u.share
  CROSS JOIN b_ids4 i
  CROSS JOIN b_gov g
 WHERE u.id != f.user_id
   AND NOT EXISTS (SELECT 1 FROM distribution_approval_request_changed_by_rel c
                    WHERE c.request_id = i.req + f.n AND c.user_id = u.id)
   AND NOT EXISTS (SELECT 1 FROM distribution_approval_decision d
                    WHERE d.request_id = i.req + f.n AND d.user_id = u.id)
 ORDER BY f.n, u.id;

-- ------------------------------------------------------------------ exceptions at scale

CREATE TEMP TABLE b_xcount AS
SELECT greatest(0, :exceptions - count(*)) AS total,
       greatest(0, :open_exceptions - count(*) FILTER (WHERE state IN ('new', 'in_progress')))
           AS open
  FROM distribution_exception;

CREATE TEMP TABLE b_res AS
SELECT type_id, array_agg(id ORDER BY sequence, id) AS ids
  FROM distribution_exception_resolution GROUP BY type_id;

-- Open exceptions are about the last weeks' orders and run from detection: about a third are
-- past their SLA (escalated a level per SLA window past it), some at risk, the rest on track.
-- Closed ones are spread over the year.
CREATE TEMP TABLE b_xexc AS
WITH raw AS (
    SELECT k, k <= c.open AS is_open, random() AS r_type, random() AS r_sev, random() AS r_order,
           random() AS r_age, random() AS r_state, random() AS r_owner, random() AS r_link,
           random() AS r_qty, random() AS r_res, random() AS r_staff
      FROM b_xcount c, generate_series(1, c.total) k
), typed AS (
    SELECT raw.*,
           CASE WHEN r_type < 0.24 THEN 'stockout'
                WHEN r_type < 0.43 THEN 'short_pick'
                WHEN r_type < 0.68 THEN 'late_shipment'
                WHEN r_type < 0.79 THEN 'damaged_goods'
                WHEN r_type < 0.87 THEN 'return'
                WHEN r_type < 0.96 THEN 'master_data'
                ELSE 'urgent_override' END AS code,
           CASE WHEN r_sev < 0.08 THEN 'critical' WHEN r_sev < 0.30 THEN 'high'
                WHEN r_sev < 0.75 THEN 'medium' ELSE 'low' END AS severity,
           CASE WHEN is_open THEN ceil(p.orders * (1 - 0.08 * r_order))
                ELSE ceil(p.orders * r_order) END::bigint AS order_n
      FROM raw, b_param p
)
SELECT x.*, t.id AS type_id,
       CASE x.severity WHEN 'low' THEN t.sla_hours_low WHEN 'medium' THEN t.sla_hours_medium
                       WHEN 'high' THEN t.sla_hours_high ELSE t.sla_hours_critical END AS hours
  FROM typed x JOIN distribution_exception_type t ON t.code = x.code;

ALTER TABLE b_xexc ADD COLUMN detected timestamp, ADD COLUMN closed timestamp;
UPDATE b_xexc x
   SET detected = CASE WHEN x.is_open
                       THEN p.now_ts - x.hours * interval '1 hour' * 2.2 * x.r_age ^ 1.5
                       ELSE greatest(o.date_order, p.now_ts - interval '365 days')
                            + interval '1 hour' * (1 + 20 * x.r_age) END,
       closed = CASE WHEN NOT x.is_open
                     THEN least(p.now_ts, greatest(o.date_order, p.now_ts - interval '365 days')
                                + interval '1 hour' * (1 + 20 * x.r_age)
                                + x.hours * interval '1 hour' * (0.1 + 1.3 * x.r_res)) END
  FROM b_order o, b_param p
 WHERE o.n = x.order_n;
ANALYZE b_xexc;

INSERT INTO distribution_exception (id, type_id, owner_id, company_id, partner_id,
                                    sale_order_id, picking_id, product_id, warehouse_id,
                                    escalation_level, escalated_at, resolution_id,
                                    resolved_by_id, name, type_code, severity, state, origin,
                                    cause_key, description, quantity_expected, quantity_actual,
                                    quantity_missing, sla_breached_at_close, detected_at,
                                    sla_deadline, sla_warning_at, resolved_at,
                                    create_uid, write_uid, create_date, write_date)
SELECT nextval('distribution_exception_id_seq'), x.type_id, s.owner, p.company_id,
       CASE WHEN x.code = 'master_data' AND x.r_link >= 0.5 THEN NULL ELSE o.partner_id END,
       CASE WHEN x.code != 'master_data' THEN i.so + o.n END,
       CASE WHEN x.code IN ('short_pick', 'late_shipment', 'damaged_goods', 'return')
              OR (x.code = 'stockout' AND x.r_link < 0.5) THEN i.pick + o.n END,
       CASE WHEN x.code IN ('stockout', 'short_pick', 'damaged_goods', 'return')
              OR (x.code = 'master_data' AND x.r_link >= 0.5)
            THEN p.product_ids[1 + floor(x.r_qty * array_length(p.product_ids, 1))::int] END,
       CASE WHEN x.code != 'master_data' THEN o.wh_id END,
       CASE WHEN x.is_open AND x.detected + x.hours * interval '1 hour' < p.now_ts
            THEN least(3, 1 + floor(extract(epoch FROM p.now_ts - x.detected) / 3600.0 / x.hours - 1))
            ELSE 0 END,
       CASE WHEN x.is_open AND x.detected + x.hours * interval '1 hour' < p.now_ts
            THEN x.detected + x.hours * interval '1 hour' END,
       CASE WHEN s.state = 'resolved'
            THEN r.ids[1 + floor(x.r_res * array_length(r.ids, 1))::int] END,
       CASE WHEN s.state = 'resolved' THEN s.owner END,
       'EXC/BX' || pg_temp.num(x.k, 7), x.code, x.severity, s.state,
       CASE WHEN x.r_link < 0.85 THEN 'auto' ELSE 'manual' END,
       CASE WHEN x.r_link < 0.85 THEN 'bench:' || x.code || ':' || x.k END,
       format('Bench: %s on SB%s', x.code, pg_temp.num(o.n, 7)),
       q.expected, q.expected - q.missing, q.missing,
       NOT x.is_open AND x.closed > x.detected + x.hours * interval '1 hour',
       x.detected, x.detected + x.hours * interval '1 hour',
       x.detected + x.hours * interval '45 minutes', x.closed,
       p.uid, p.uid, x.detected, COALESCE(x.closed, x.detected)
  FROM b_xexc x
  JOIN b_order o ON o.n = x.order_n
  LEFT JOIN b_res r ON r.type_id = x.type_id
  CROSS JOIN b_ids i
  CROSS JOIN b_gov g
  CROSS JOIN b_param p
  CROSS JOIN LATERAL (
      SELECT CASE WHEN x.is_open AND x.r_state < 0.45 THEN 'new'
                  WHEN x.is_open THEN 'in_progress'
                  WHEN x.r_state < 0.12 THEN 'cancelled'
                  ELSE 'resolved' END AS state,
             -- new ones half unassigned; 3 % each the rep's and the manager's
             CASE WHEN x.is_open AND x.r_state < 0.45 AND x.r_owner < 0.5 THEN NULL
                  WHEN x.r_owner < 0.03 THEN g.rep
                  WHEN x.r_owner < 0.06 THEN g.manager
                  ELSE g.staff[1 + floor(x.r_staff * array_length(g.staff, 1))::int] END AS owner
  ) s
  CROSS JOIN LATERAL (
      SELECT CASE WHEN x.code IN ('stockout', 'short_pick') THEN (4 + floor(x.r_qty * 40))::numeric
             END AS expected,
             CASE WHEN x.code IN ('stockout', 'short_pick') THEN (1 + floor(x.r_qty * 4))::numeric
             END AS missing
  ) q
 ORDER BY x.detected;
