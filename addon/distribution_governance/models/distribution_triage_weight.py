import math

from odoo import fields, models
from odoo.tools import SQL

# The features two exceptions of one type are compared on, with what they are called in the
# weights' list. Each has a stored column on distribution.exception (see exception_triage.py).
TRIAGE_FEATURES = [
    ("warehouse", "Warehouse"),
    ("categ", "Product Category"),
    ("partner", "Customer"),
    ("route", "Route or Carrier"),
    ("weekday", "Weekday"),
    ("hour_band", "Time of Day (3-hour band)"),
    ("qty_band", "Quantity Band"),
]
FEATURE_KEYS = [key for key, __ in TRIAGE_FEATURES]
# Before a company has history: what a distributor's exceptions usually share when they end
# the same way (the customer first, then the product's category, where and how it ships).
# Same scale as the learned weights (natural log of the lift, see _learn).
DEFAULT_WEIGHTS = {
    "warehouse": 0.5,
    "categ": 0.8,
    "partner": 1.0,
    "route": 0.5,
    "weekday": 0.2,
    "hour_band": 0.2,
    "qty_band": 0.4,
}
# How many resolved cases with the feature weigh as much as the default weight: below it the
# default dominates, well above it what the company's own history says.
SMOOTHING_CASES = 30
# the neighbour query adds weights as integers of this many parts (weights have 4 decimals)
WEIGHT_SCALE = 10000


def feature_sql(alias, feature):
    """The value of `feature` of the exception row `alias`, in SQL."""
    column = {
        "warehouse": "warehouse_id",
        "categ": "triage_categ_id",
        "partner": "partner_id",
        "route": "triage_route_key",
        "weekday": "triage_weekday",
        "hour_band": "triage_hour",
        "qty_band": "triage_qty_band",
    }[feature]
    if feature == "hour_band":
        return SQL("(%s / 3)", SQL.identifier(alias, column))
    return SQL.identifier(alias, column)


def blend_weight(learned, cases, feature):
    """The weight used: the learned one, shrunk towards the default while cases are few."""
    default = DEFAULT_WEIGHTS[feature]
    return round((cases * learned + SMOOTHING_CASES * default) / (cases + SMOOTHING_CASES), 4)


def learned_weight(pairs, agree, base_pairs, base_agree):
    """ln(lift): how much more often two resolved exceptions sharing the feature were resolved
    with the same code than any two of their type; never below 0 (a feature that says nothing,
    or misleads, is not used)."""
    if not pairs or not base_pairs or not base_agree:
        return 0.0
    lift = (agree / pairs) / (base_agree / base_pairs)
    return max(0.0, math.log(lift)) if lift > 0 else 0.0


class DistributionTriageWeight(models.Model):
    """How much agreeing on a feature counts when the triage suggestion looks for the resolved
    exceptions most like a new one, per company and exception type. Learned nightly from the
    company's resolved exceptions by distribution.exception._cron_triage_refresh; read-only."""

    _name = "distribution.triage.weight"
    _description = "Triage Feature Weight"
    _order = "company_id, type_id, weight desc, feature"
    _rec_name = "feature"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    type_id = fields.Many2one(
        "distribution.exception.type", required=True, ondelete="cascade", readonly=True
    )
    feature = fields.Selection(TRIAGE_FEATURES, required=True, readonly=True)
    weight = fields.Float(
        digits=(16, 4),
        readonly=True,
        help="Added to the similarity of two exceptions that share this feature.",
    )
    default_weight = fields.Float(digits=(16, 4), readonly=True)
    cases = fields.Integer(
        "Resolved Cases", readonly=True, help="Resolved exceptions of the type with this feature."
    )
    agreement_same = fields.Float(
        "Same Resolution When Shared (%)",
        digits=(16, 1),
        readonly=True,
        help="Of the pairs of resolved exceptions sharing this feature, how many were resolved "
        "with the same code.",
    )
    agreement_base = fields.Float(
        "Same Resolution Overall (%)",
        digits=(16, 1),
        readonly=True,
        help="Of all pairs of resolved exceptions of the type, how many were resolved with the "
        "same code.",
    )
    refreshed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "company_type_feature_unique",
            "unique(company_id, type_id, feature)",
            "One weight per company, exception type and feature.",
        ),
    ]

    def _learn(self, company, before=None):
        """{type_id: {feature: row}} learned from `company`'s resolved exceptions (those
        resolved before `before` when given). Each row: weight, cases, agreement_same,
        agreement_base. Two grouped queries, whatever the size of the history."""
        self.env["distribution.exception"].flush_model()
        cutoff = SQL(" AND e.resolved_at < %s", before) if before else SQL()
        history = SQL(
            """SELECT e.type_id, e.resolution_id, e.warehouse_id, e.triage_categ_id, e.partner_id,
                      e.triage_route_key, e.triage_weekday, e.triage_hour, e.triage_qty_band
                 FROM distribution_exception e
                WHERE e.company_id = %s AND e.state = 'resolved'
                  AND e.resolution_id IS NOT NULL%s""",
            company.id,
            cutoff,
        )
        values = SQL(", ").join(
            SQL("(%s, (%s)::text)", key, feature_sql("e", key)) for key in FEATURE_KEYS
        )
        self.env.cr.execute(
            SQL(
                """
                WITH h AS (%s),
                cell AS (
                    SELECT e.type_id, v.feature, v.value, e.resolution_id, count(*) AS n
                      FROM h e CROSS JOIN LATERAL (VALUES %s) AS v(feature, value)
                     WHERE v.value IS NOT NULL
                     GROUP BY 1, 2, 3, 4
                ),
                val AS (
                    SELECT type_id, feature, value, sum(n) AS n, sum(n * (n - 1) / 2) AS agree
                      FROM cell GROUP BY 1, 2, 3
                )
                SELECT type_id, feature, sum(n), sum(n * (n - 1) / 2), sum(agree)
                  FROM val GROUP BY 1, 2
                """,
                history,
                values,
            )
        )
        by_feature = {(t, f): (int(n), int(p), int(a)) for t, f, n, p, a in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                """
                SELECT type_id, sum(n), sum(n * (n - 1) / 2)
                  FROM (SELECT e.type_id, e.resolution_id, count(*) AS n
                          FROM (%s) e GROUP BY 1, 2) c
                 GROUP BY 1
                """,
                history,
            )
        )
        learned = {}
        for type_id, n, base_agree in self.env.cr.fetchall():
            n, base_agree = int(n), int(base_agree)
            base_pairs = n * (n - 1) // 2
            rows = learned[type_id] = {}
            for feature in FEATURE_KEYS:
                cases, pairs, agree = by_feature.get((type_id, feature), (0, 0, 0))
                rows[feature] = {
                    "weight": blend_weight(
                        learned_weight(pairs, agree, base_pairs, base_agree), cases, feature
                    ),
                    "cases": cases,
                    "agreement_same": round(100.0 * agree / pairs, 1) if pairs else 0.0,
                    "agreement_base": round(100.0 * base_agree / base_pairs, 1)
                    if base_pairs
                    else 0.0,
                }
        return learned

    def _refresh(self, companies):
        """Learn the weights of `companies` again, replacing the previous ones."""
        Weight = self.sudo()
        now = fields.Datetime.now()
        for company in companies:
            learned = self._learn(company)
            Weight.search([("company_id", "=", company.id)]).unlink()
            Weight.create(
                [
                    dict(
                        row,
                        company_id=company.id,
                        type_id=type_id,
                        feature=feature,
                        default_weight=DEFAULT_WEIGHTS[feature],
                        refreshed_at=now,
                    )
                    for type_id, rows in learned.items()
                    for feature, row in rows.items()
                ]
            )
