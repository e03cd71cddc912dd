-- The triage feature columns of every exception, as the addon computes them at create
-- (models/exception_triage.py), for rows written in SQL by the bench generator; included by
-- triage.sql, and run again by scripts/bench/triage.ts after an addon update added the columns
-- to a kept database. Rows already right are not written. Without the columns (an addon before
-- issue 16) it does nothing.
--   triage_categ_id   the product's category
--   triage_route_key  'carrier:<id>' when the transfer has a carrier (stock_delivery), else
--                     'type:<picking type>' of the transfer, else NULL
--   triage_weekday    0 = Monday .. 6, and triage_hour 0..23, of detected_at (else the creation
--                     time) in the company's time zone (dg_kpi_tz, the KPI engine's)
--   triage_qty_band   0 without a positive quantity, else 1 + floor(log2(max(q, 1))) capped at
--                     8, q = quantity_missing or else quantity_expected (0 counting as none)
-- The addon has the same in SQL (_triage_fill_features, for exceptions made before its columns,
-- run by the update that adds them); the bench keeps its own, written from the contract.
SELECT EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_name = 'distribution_exception'
                  AND column_name = 'triage_qty_band') AS has_triage,
       CASE WHEN EXISTS (SELECT 1 FROM information_schema.columns
                          WHERE table_name = 'stock_picking' AND column_name = 'carrier_id')
            THEN 'sp.carrier_id' ELSE 'NULL::int' END AS carrier_column
\gset
\if :has_triage
UPDATE distribution_exception e
   SET triage_categ_id = f.categ_id, triage_route_key = f.route_key,
       triage_weekday = f.weekday, triage_hour = f.hour, triage_qty_band = f.band
  FROM (
      SELECT x.id, pt.categ_id,
             CASE WHEN :carrier_column IS NOT NULL THEN 'carrier:' || :carrier_column
                  WHEN sp.picking_type_id IS NOT NULL THEN 'type:' || sp.picking_type_id
             END AS route_key,
             (extract(isodow FROM l.local) - 1)::int AS weekday,
             extract(hour FROM l.local)::int AS hour,
             CASE WHEN q.qty IS NULL OR q.qty <= 0 THEN 0
                  ELSE least(8, 1 + floor(log(2, greatest(q.qty, 1)::numeric)))::int END AS band
        FROM distribution_exception x
        JOIN res_company c ON c.id = x.company_id
        LEFT JOIN product_product pp ON pp.id = x.product_id
        LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
        LEFT JOIN stock_picking sp ON sp.id = x.picking_id
        CROSS JOIN LATERAL (
            SELECT (COALESCE(x.detected_at, x.create_date) AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(c.dg_kpi_tz, 'UTC')
                       AS local) l
        CROSS JOIN LATERAL (
            SELECT COALESCE(NULLIF(x.quantity_missing, 0), NULLIF(x.quantity_expected, 0))
                       AS qty) q
  ) f
 WHERE f.id = e.id
   AND (e.triage_categ_id, e.triage_route_key, e.triage_weekday, e.triage_hour,
        e.triage_qty_band)
       IS DISTINCT FROM (f.categ_id, f.route_key, f.weekday, f.hour, f.band);
\else
\echo triage_features.sql: the addon has no triage feature columns yet; nothing filled
\endif
