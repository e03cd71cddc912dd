-- The resolution history of the triage bench (issue 16), run by scripts/bench/triage.ts on its
-- own database (dg_bench_triage: dg_bench_base with generate.sql's volume, 100k moves and more
-- exceptions than the other sizes so that over 100,000 are resolved):
--   psql -v ON_ERROR_STOP=1 -d dg_bench_triage -f scripts/bench/triage.sql
--
-- governance.sql closes its exceptions with a random code, a random staff member and a
-- duration drawn from the SLA alone: nothing a model could learn. This file gives the resolved
-- ones of governance.sql (names EXC/BX...) a history shaped like a distributor's, with rules a
-- team would follow and the noise real teams add (the rules below are the ground truth; the
-- model under test never sees them):
--   quantities  stockouts and short picks miss 1 to ~150 units (heavy tail: most are small),
--               so the quantity band (1..8) spreads; the open ones too (they are what the
--               suggestions are asked for);
--   playbook    per type, a rule on warehouse, product family, customer segment, quantity band,
--               weekday and hour (e.g. a stockout of 16+ units in the main warehouse WH is a
--               partial delivery, the same in BN/BS a replenishment, a small one a count in WH;
--               key accounts always get a substitute); then 25 % of the cases take any code of
--               the type instead (people decide otherwise, customers ask for something else);
--   owner       each warehouse has its team (WH staff 1-5, BN 6-9, BS 10-12) and each type its
--               specialist in the team; weekend cases go to the team's weekend duty, which
--               rotates every week (not learnable from the features: real rotation); critical
--               cases half the time to the manager; credit holds and urgent overrides to the
--               credit approvers by customer; 20 % any member of the team, 5 % anyone;
--   severity    the type's usual one, one step up for key accounts and for 16+ units, one down
--               for the smallest quantities; 20 % one step either way;
--   hours       a base per type, times the playbook's (a replenishment waits for the vendor, a
--               stock count is quick), times the severity's (critical 0.35 .. low 1.5), plus the
--               wait until the next working morning (08:00) when detected at the weekend or
--               outside 08:00-18:00, times a log-normal noise (sigma 0.45), 5 % outliers x3;
--               capped at the bench's now (the most recent cases: closed early, a small bias).
-- SLA deadline, warning and breach are recomputed from the new severity and times. Cancelled
-- and open exceptions keep their state, owner and times; generate.sql's own exceptions (EXC/B0...,
-- made from the documents' flows) keep theirs. Then every exception's triage feature columns are
-- filled as the addon computes them at create (when the addon has them).
-- Reproducible: setseed below (run once per database: triage.ts marks it).
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET work_mem = '256MB';
SET jit = off;
\o /dev/null
SELECT setseed(0.16);
\o

BEGIN;

CREATE TEMP TABLE t_param AS
SELECT (SELECT max(COALESCE(resolved_at, detected_at)) FROM distribution_exception) AS now_ts,
       (SELECT id FROM res_users WHERE login = 'bench_manager') AS manager,
       ARRAY(SELECT id FROM res_users WHERE login LIKE 'bench\_credit\_%' ORDER BY login) AS credit,
       ARRAY(SELECT id FROM res_users WHERE login LIKE 'bench\_wh\_%' ORDER BY login) AS staff,
       ARRAY(SELECT c.id FROM product_category c WHERE c.name LIKE 'Bench Family %'
              ORDER BY c.name) AS families;

DO $$
BEGIN
    IF (SELECT array_length(staff, 1) FROM t_param) IS DISTINCT FROM 12
       OR (SELECT manager FROM t_param) IS NULL THEN
        RAISE EXCEPTION 'no bench users: run scripts/bench/master_data.py first';
    END IF;
END $$;

-- Warehouse teams, as slices of the 12 warehouse staff: [first, size].
CREATE TEMP TABLE t_team AS
SELECT w.id AS wh_id, w.code,
       CASE w.code WHEN 'WH' THEN 1 WHEN 'BN' THEN 6 ELSE 10 END AS first,
       CASE w.code WHEN 'WH' THEN 5 WHEN 'BN' THEN 4 ELSE 3 END AS size
  FROM stock_warehouse w;

-- Quantities: missing = floor(e^(5 u^1.6)) (1..148: 29 % one unit, median 5), expected =
-- missing + 0..40.
UPDATE distribution_exception e
   SET quantity_missing = q.missing, quantity_expected = q.missing + q.more,
       quantity_actual = q.more
  FROM (SELECT id, floor(exp(5 * random() ^ 1.6))::numeric AS missing,
               floor(random() * 41)::numeric AS more
          FROM distribution_exception
         WHERE name LIKE 'EXC/BX%' AND type_code IN ('stockout', 'short_pick')
         ORDER BY id) q
 WHERE q.id = e.id;

-- The facts the rules read, and the draws, of each resolved governance.sql exception.
CREATE TEMP TABLE t_x AS
SELECT e.id, e.type_id, e.type_code AS code, e.partner_id, e.warehouse_id, e.detected_at,
       tm.code AS wh, tm.first, tm.size,
       -- product family 1..8 (A..H), 0 without a product
       COALESCE(array_position(p.families, pt.categ_id), 0) AS fam,
       -- key accounts: 1 customer in 37; wholesale: 2 in 5; the rest retail
       CASE WHEN e.partner_id % 37 = 0 THEN 'key' WHEN e.partner_id % 5 IN (1, 2) THEN 'wholesale'
            ELSE 'retail' END AS segment,
       COALESCE(NULLIF(e.quantity_missing, 0), NULLIF(e.quantity_expected, 0)) AS qty,
       extract(isodow FROM e.detected_at)::int AS dow,
       extract(hour FROM e.detected_at)::int AS hour,
       (extract(epoch FROM e.detected_at) / 604800)::int AS week,
       random() AS r_noise, random() AS r_pick, random() AS r_owner, random() AS r_any,
       random() AS r_sev, random() AS r_sev2, random() AS r_n1, random() AS r_n2, random() AS r_out
  FROM distribution_exception e
  LEFT JOIN t_team tm ON tm.wh_id = e.warehouse_id
  LEFT JOIN product_product pp ON pp.id = e.product_id
  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
  CROSS JOIN t_param p
 WHERE e.state = 'resolved' AND e.name LIKE 'EXC/BX%'
 ORDER BY e.id;
ALTER TABLE t_x ADD COLUMN band int, ADD COLUMN rule text, ADD COLUMN code_res text,
    ADD COLUMN sev text, ADD COLUMN owner int, ADD COLUMN hours float;
-- as the addon's triage_qty_band
UPDATE t_x SET band = CASE WHEN qty IS NULL THEN 0
                           ELSE least(8, 1 + floor(log(2, greatest(qty, 1)::numeric)))::int END;

-- The playbook each case's facts call for.
UPDATE t_x SET rule = CASE code
    WHEN 'stockout' THEN CASE
        WHEN segment = 'key' THEN 'substituted'
        WHEN band >= 5 AND wh = 'WH' THEN 'partial_ok'
        WHEN band >= 5 THEN 'replenish'
        WHEN band <= 2 AND wh = 'WH' THEN 'stock_found'
        WHEN band <= 2 AND fam IN (1, 2) THEN 'substituted'
        WHEN band <= 2 THEN 'stock_found'
        WHEN fam IN (3, 4, 5) THEN 'replenish'
        WHEN segment = 'retail' AND dow >= 6 THEN 'cancelled_document'
        ELSE 'partial_ok' END
    WHEN 'short_pick' THEN CASE
        WHEN segment = 'key' THEN 'backorder'
        WHEN band <= 1 AND segment = 'retail' THEN 'accepted'
        WHEN wh = 'BS' AND band <= 3 THEN 'cancel_remainder'
        WHEN band <= 2 AND fam >= 7 THEN 'cancel_remainder'
        ELSE 'backorder' END
    WHEN 'late_shipment' THEN CASE
        WHEN segment = 'key' THEN 'shipped'
        WHEN dow >= 5 THEN 'rescheduled'
        WHEN wh = 'BN' AND hour >= 14 THEN 'rescheduled'
        WHEN segment = 'retail' AND hour >= 20 THEN 'cancelled_delivery'
        ELSE 'shipped' END
    WHEN 'damaged_goods' THEN CASE
        WHEN segment = 'key' THEN 'replacement'
        WHEN fam >= 7 THEN 'carrier_claim'
        WHEN fam >= 4 AND wh = 'WH' THEN 'scrap'
        WHEN fam >= 4 THEN 'written_off'
        ELSE 'replacement' END
    WHEN 'return' THEN CASE
        WHEN fam >= 6 OR wh = 'BS' THEN 'scrap' ELSE 'restock' END
    WHEN 'master_data' THEN CASE
        WHEN fam > 0 OR hour < 17 THEN 'data_fixed' ELSE 'accepted_risk' END
    WHEN 'urgent_override' THEN CASE
        WHEN segment = 'retail' THEN 'rejected' ELSE 'approved' END
    WHEN 'credit_hold' THEN CASE
        WHEN segment = 'key' THEN 'released' WHEN segment = 'wholesale' THEN 'paid'
        ELSE 'rejected' END
    END;

-- 25 % noise: any code of the type (the rule's own included).
CREATE TEMP TABLE t_codes AS
SELECT type_id, array_agg(code ORDER BY sequence, id) AS codes
  FROM distribution_exception_resolution GROUP BY type_id;
UPDATE t_x x
   SET code_res = CASE WHEN x.r_noise < 0.25 OR NOT (x.rule = ANY (c.codes))
                       THEN c.codes[1 + floor(x.r_pick * array_length(c.codes, 1))::int]
                       ELSE x.rule END
  FROM t_codes c WHERE c.type_id = x.type_id;

-- Severity: the type's usual, +1 key account, +1 for 16+ units, -1 for 1 unit; 20 % ±1.
UPDATE t_x SET sev = (ARRAY['low', 'medium', 'high', 'critical'])[greatest(1, least(4,
        CASE code WHEN 'stockout' THEN 2 WHEN 'short_pick' THEN 1 WHEN 'late_shipment' THEN 2
                  WHEN 'damaged_goods' THEN 2 WHEN 'return' THEN 1 WHEN 'master_data' THEN 1
                  ELSE 3 END
        + (segment = 'key')::int + (band >= 5)::int - (band = 1)::int
        + CASE WHEN r_sev < 0.1 THEN -1 WHEN r_sev < 0.2 THEN 1 ELSE 0 END))];

-- Owner: the warehouse team's specialist of the type, the weekend duty at weekends (rotating
-- weekly), the manager for half the critical ones; credit and urgent cases to the credit
-- approvers by customer; no warehouse (master data without an order): the manager or staff 1.
UPDATE t_x x SET owner = CASE
    WHEN x.r_any < 0.05 THEN p.staff[1 + floor(x.r_owner * 12)::int]
    WHEN x.code IN ('credit_hold', 'urgent_override')
        THEN CASE WHEN x.r_any < 0.2 THEN p.manager
                  ELSE p.credit[1 + COALESCE(x.partner_id, 0) % array_length(p.credit, 1)] END
    WHEN x.sev = 'critical' AND x.r_owner < 0.5 THEN p.manager
    WHEN x.wh IS NULL THEN CASE WHEN x.hour < 12 THEN p.manager ELSE p.staff[1] END
    WHEN x.r_any < 0.25 THEN p.staff[x.first + floor(x.r_owner * x.size)::int]
    WHEN x.dow >= 6 THEN p.staff[x.first + x.week % x.size]
    ELSE p.staff[x.first + x.type_id % x.size] END
  FROM t_param p;

-- Hours: base × playbook × severity + wait for the next working morning, × log-normal noise.
UPDATE t_x SET hours =
    (CASE code WHEN 'stockout' THEN 30 WHEN 'short_pick' THEN 8 WHEN 'late_shipment' THEN 16
               WHEN 'damaged_goods' THEN 40 WHEN 'return' THEN 60 WHEN 'master_data' THEN 12
               WHEN 'urgent_override' THEN 2 WHEN 'credit_hold' THEN 6 ELSE 4 END
     * CASE code_res WHEN 'replenish' THEN 1.8 WHEN 'stock_found' THEN 0.5
                     WHEN 'substituted' THEN 0.7 WHEN 'cancelled_document' THEN 0.4
                     WHEN 'backorder' THEN 1.2 WHEN 'accepted' THEN 0.4
                     WHEN 'carrier_claim' THEN 2.5 WHEN 'written_off' THEN 0.5
                     WHEN 'rescheduled' THEN 1.3 WHEN 'accepted_risk' THEN 0.3 ELSE 1 END
     * CASE sev WHEN 'critical' THEN 0.35 WHEN 'high' THEN 0.6 WHEN 'medium' THEN 1 ELSE 1.5 END
     + CASE WHEN dow = 6 THEN 24 * 2 - hour + 8 - 1  -- Saturday: to Monday 08:00, roughly
            WHEN dow = 7 THEN 24 - hour + 8
            WHEN hour >= 18 THEN 24 - hour + 8
            WHEN hour < 8 THEN 8 - hour
            ELSE 0 END)
    * exp(0.45 * sqrt(-2 * ln(greatest(r_n1, 1e-9))) * cos(2 * pi() * r_n2))
    * CASE WHEN r_out < 0.05 THEN 3 ELSE 1 END;
ANALYZE t_x;

UPDATE distribution_exception e
   SET resolution_id = r.id, owner_id = x.owner, resolved_by_id = x.owner, severity = x.sev,
       resolved_at = least(p.now_ts, e.detected_at + x.hours * interval '1 hour'),
       write_date = least(p.now_ts, e.detected_at + x.hours * interval '1 hour'),
       sla_deadline = e.detected_at + sla.hours * interval '1 hour',
       sla_warning_at = e.detected_at + sla.hours * interval '45 minutes',
       sla_breached_at_close = least(p.now_ts, e.detected_at + x.hours * interval '1 hour')
                               > e.detected_at + sla.hours * interval '1 hour'
  FROM t_x x
  JOIN distribution_exception_resolution r ON r.type_id = x.type_id AND r.code = x.code_res
  JOIN distribution_exception_type t ON t.id = x.type_id
  CROSS JOIN LATERAL (
      SELECT CASE x.sev WHEN 'low' THEN t.sla_hours_low WHEN 'medium' THEN t.sla_hours_medium
                        WHEN 'high' THEN t.sla_hours_high ELSE t.sla_hours_critical END AS hours
  ) sla
  CROSS JOIN t_param p
 WHERE e.id = x.id;

-- The sales rep (bench_rep) sells a fifth of the orders, as bench.ts gives him in the other
-- databases when it measures; each exception's order_user_id (what his record rule reads) as the
-- addon computes it, the order's salesperson or else the transfer's order's: governance.sql
-- leaves it empty, which would let him read every exception.
UPDATE sale_order SET user_id = (SELECT id FROM res_users WHERE login = 'bench_rep')
 WHERE id % 5 = 0;
UPDATE sale_order_line l SET salesman_id = o.user_id
  FROM sale_order o WHERE o.id = l.order_id AND l.salesman_id IS DISTINCT FROM o.user_id;
UPDATE distribution_exception e
   SET order_user_id = u.user_id
  FROM (SELECT x.id, COALESCE(so.user_id, po.user_id) AS user_id
          FROM distribution_exception x
          LEFT JOIN sale_order so ON so.id = x.sale_order_id
          LEFT JOIN stock_picking sp ON sp.id = x.picking_id
          LEFT JOIN sale_order po ON po.id = sp.sale_id) u
 WHERE u.id = e.id AND e.order_user_id IS DISTINCT FROM u.user_id;

COMMIT;

\ir triage_features.sql

VACUUM ANALYZE distribution_exception;

SELECT count(*) FILTER (WHERE state = 'resolved') AS resolved,
       count(*) FILTER (WHERE state IN ('new', 'in_progress')) AS open,
       count(*) AS exceptions
  FROM distribution_exception;
