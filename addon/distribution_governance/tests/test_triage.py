"""Triage suggestions (issue 16): the model against a computation of its own written here in
plain Python from the fixture's facts, cold start, rights, applying, auto-assignment, the
offline evaluation and the nightly weights.

The fixture is a company of its own (nothing else of the database counts in its history) with
a type of its own, and 40 resolved exceptions whose features and outcomes the test chose."""

import math
import random
import statistics
from datetime import datetime, timedelta, timezone
from unittest.mock import patch
from zoneinfo import ZoneInfo

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models import exception_triage
from .common import GovernanceCase, call_rpc

EXCEPTION = "distribution.exception"
FEATURES = ("warehouse", "categ", "partner", "route", "weekday", "hour_band", "qty_band")
# the documented defaults (USAGE.md, "Triage suggestions")
DEFAULTS = {
    "warehouse": 0.5,
    "categ": 0.8,
    "partner": 1.0,
    "route": 0.5,
    "weekday": 0.2,
    "hour_band": 0.2,
    "qty_band": 0.4,
}
K, MIN_SIMILAR, MIN_SHARE, SMOOTHING = 9, 3, 0.25, 30
# the expected hours: a group of the history counts from 10 cases; working hours 08:00-18:00
# local, Monday to Friday (USAGE.md)
HOURS_MIN_CASES = 10
TZ = "America/Chicago"


# ---------------------------------------------------------------------- the reference model


def ref_qty_band(quantity):
    if not quantity or quantity <= 0:
        return 0
    band, value = 1, max(quantity, 1.0)
    while value >= 2 and band < 8:
        value /= 2
        band += 1
    return band


def ref_similarity(a, b, weights):
    """In ten-thousandths: weights have four decimals."""
    return sum(round(weights[f] * 10000) for f in FEATURES if a[f] is not None and a[f] == b[f])


def ref_neighbours(case, history, weights):
    """(the K most similar of `history` to `case`, how many were similar enough)."""
    total = sum(round(weights[f] * 10000) for f in FEATURES)
    scored = [(ref_similarity(case, h, weights), h) for h in history]
    kept = [(s, h) for s, h in scored if s > 0 and s >= total * MIN_SHARE]
    kept.sort(key=lambda x: (-x[0], -x[1]["resolved_at"].timestamp(), -x[1]["id"]))
    return [h for __, h in kept[:K]], len(kept)


def ref_ranked(values):
    order = []
    for value in values:
        if value is not None and value not in order:
            order.append(value)
    return sorted(((v, values.count(v)) for v in order), key=lambda x: -x[1])  # stable


def ref_weights(history):
    """{feature: weight} learned as documented: ln of the lift of the same resolution among
    pairs sharing the feature, at least 0, shrunk towards the default by 30 cases."""
    n = len(history)
    base_pairs = n * (n - 1) / 2
    base_agree = sum(
        c * (c - 1) / 2
        for c in (sum(1 for h in history if h["resolution"] == r) for r in
                  {h["resolution"] for h in history})
    )
    weights = {}
    for f in FEATURES:
        with_f = [h for h in history if h[f] is not None]
        pairs = agree = 0
        for value in {h[f] for h in with_f}:
            group = [h for h in with_f if h[f] == value]
            pairs += len(group) * (len(group) - 1) / 2
            for r in {h["resolution"] for h in group}:
                c = sum(1 for h in group if h["resolution"] == r)
                agree += c * (c - 1) / 2
        learned = 0.0
        if pairs and base_pairs and base_agree and agree:
            learned = max(0.0, math.log((agree / pairs) / (base_agree / base_pairs)))
        cases = len(with_f)
        weights[f] = round((cases * learned + SMOOTHING * DEFAULTS[f]) / (cases + SMOOTHING), 4)
    return weights


def ref_format_hours(hours):
    return f"{hours:.1f}".rstrip("0").rstrip(".") if hours < 10 else str(round(hours))


def ref_period(local):
    if local.weekday() >= 5:
        return "weekend"
    return "off_hours" if local.hour < 8 or local.hour >= 18 else "working"


def ref_hours(case, history, severity):
    """(median hours, cases, severity, period) of the finest group of `history` with enough
    cases: the suggested severity and the case's detection period, the period, all."""
    groups = [
        ([h for h in history if h["severity"] == severity and h["period"] == case["period"]],
         severity, case["period"]),
        ([h for h in history if h["period"] == case["period"]], None, case["period"]),
        (history, None, None),
    ]
    for group, group_severity, period in groups:
        if group and (len(group) >= HOURS_MIN_CASES or period is None):
            return statistics.median(h["hours"] for h in group), len(group), group_severity, period
    return None, 0, None, None


def ref_suggestion(case, history, weights):
    neighbours, count = ref_neighbours(case, history, weights)
    severities = ref_ranked([h["severity"] for h in neighbours])
    hours, hours_count, hours_severity, hours_period = ref_hours(
        case, history, severities[0][0] if severities else None
    )
    return {
        "neighbours": neighbours,
        "count": count,
        "resolutions": ref_ranked([h["resolution"] for h in neighbours]),
        "owners": ref_ranked([h["owner"] for h in neighbours]),
        "severities": severities,
        "hours": hours,
        "hours_count": hours_count,
        "hours_severity": hours_severity,
        "hours_period": hours_period,
    }


class TriageCase(GovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tco = env["res.company"].create({"name": "DG Triage Distributor", "dg_kpi_tz": TZ})
        cls.wh1 = env["stock.warehouse"].search([("company_id", "=", cls.tco.id)], limit=1)
        cls.wh2 = env["stock.warehouse"].create(
            {"name": "DG Triage East", "code": "DGTE", "company_id": cls.tco.id}
        )
        cls.ttype = env["distribution.exception.type"].create(
            {"name": "DG Triage Type", "code": "dg_triage_test", "default_severity": "medium"}
        )
        cls.codes = env["distribution.exception.resolution"].create(
            [
                {"name": f"DG Code {i}", "code": f"dg_code_{i}", "sequence": 10 * (4 - i),
                 "type_id": cls.ttype.id}
                for i in range(4)
            ]
        )
        categs = env["product.category"].create([{"name": f"DG Triage Cat {i}"} for i in range(3)])
        cls.products = env["product.product"].create(
            [{"name": f"DG Triage Item {i}", "categ_id": categs[i].id} for i in range(3)]
        )
        cls.partners = env["res.partner"].create([{"name": f"DG Triage Cust {i}"} for i in range(3)])
        company = {"company_id": cls.tco.id, "company_ids": [Command.set(cls.tco.ids)]}
        cls.owners = [
            new_test_user(env, login=f"dg_tri_owner{i}", name=f"Owner {i}",
                          groups="stock.group_stock_user", **company)
            for i in range(3)
        ]
        cls.manager = new_test_user(
            env, login="dg_tri_mgr", groups="stock.group_stock_manager", **company
        )
        cls.worker = new_test_user(
            env, login="dg_tri_worker", groups="stock.group_stock_user", **company
        )
        cls.rep = new_test_user(
            env, login="dg_tri_rep", groups="sales_team.group_sale_salesman", **company
        )
        cls.other_rep = new_test_user(
            env, login="dg_tri_rep2", groups="sales_team.group_sale_salesman", **company
        )
        cls.history = cls.build_history()

    # ------------------------------------------------------------------ fixture helpers

    @classmethod
    def local(cls, moment):
        return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(TZ))

    @classmethod
    def features(cls, product, partner, warehouse, detected_at, qty):
        local = cls.local(detected_at)
        return {
            "warehouse": warehouse.id if warehouse else None,
            "categ": product.categ_id.id,
            "partner": partner.id if partner else None,
            "route": None,
            "weekday": local.weekday(),
            "hour_band": local.hour // 3,
            "qty_band": ref_qty_band(qty),
            "period": ref_period(local),
        }

    @classmethod
    def open_case(cls, product, partner, warehouse, detected_at, qty, type_rec=None,
                  company=None, **extra):
        vals = {
            "type_id": (type_rec or cls.ttype).id,
            "company_id": (company or cls.tco).id,
            "product_id": product.id,
            "partner_id": partner.id if partner else False,
            "quantity_missing": qty,
            "detected_at": detected_at,
            **extra,
        }
        exc = cls.env[EXCEPTION].sudo().create(vals)
        if warehouse is not None:
            exc.write({"warehouse_id": warehouse.id if warehouse else False})
        return exc

    @classmethod
    def resolved_case(cls, product, partner, warehouse, detected_at, qty, resolution, owner,
                      severity, hours, **kwargs):
        exc = cls.open_case(product, partner, warehouse, detected_at, qty, severity=severity,
                            **kwargs)
        resolved_at = detected_at + timedelta(hours=hours)
        exc.write(
            {
                "state": "resolved",
                "resolution_id": resolution.id,
                "owner_id": owner.id,
                "resolved_by_id": owner.id,
                "resolved_at": resolved_at,
            }
        )
        return dict(
            cls.features(product, partner, warehouse, detected_at, qty),
            id=exc.id,
            resolution=resolution.id,
            owner=owner.id,
            severity=severity,
            hours=hours,
            detected_at=detected_at,
            resolved_at=resolved_at,
        )

    @classmethod
    def build_history(cls):
        """40 resolved cases: the customer mostly decides the code, the warehouse the owner."""
        rng = random.Random(16)
        start = datetime(2026, 9, 1, 6, 0)
        history = []
        for i in range(40):
            p = rng.randrange(3)
            w = rng.randrange(2)
            detected_at = start + timedelta(days=i // 2, hours=rng.choice([0, 2, 5, 9, 13]))
            code = cls.codes[p] if rng.random() < 0.75 else cls.codes[rng.randrange(4)]
            owner = cls.owners[w] if rng.random() < 0.8 else cls.owners[2]
            history.append(
                cls.resolved_case(
                    cls.products[rng.randrange(3)],
                    cls.partners[p],
                    (cls.wh1, cls.wh2)[w],
                    detected_at,
                    rng.choice([1, 3, 8, 20]),
                    code,
                    owner,
                    rng.choice(["low", "medium", "high"]),
                    rng.choice([1, 2, 3, 5, 8, 13, 21, 2.5]),
                )
            )
        return history

    def set_weights(self, weights, type_rec=None, company=None):
        Weight = self.env["distribution.triage.weight"].sudo()
        Weight.search([]).unlink()
        Weight.create(
            [
                {"company_id": (company or self.tco).id, "type_id": (type_rec or self.ttype).id,
                 "feature": f, "weight": w}
                for f, w in weights.items()
            ]
        )

    def suggest(self, user, exc):
        env = self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
        result = call_rpc(env, EXCEPTION, "get_triage_suggestion", exc.ids)
        self.assertEqual(len(result), 1)
        return result[0]


@tagged("post_install", "-at_install")
class TestTriageModel(TriageCase):
    WEIGHTS = {"warehouse": 0.7, "categ": 1.1, "partner": 1.3, "route": 0.0, "weekday": 0.3,
               "hour_band": 0.2, "qty_band": 0.5}

    def check_against_reference(self, exc, case, weights, data):
        ref = ref_suggestion(case, self.history, weights)
        self.assertGreaterEqual(len(ref["neighbours"]), MIN_SIMILAR, "fixture too sparse")
        self.assertEqual(data["basis"], "similar")
        self.assertEqual(data["similar_ids"], [h["id"] for h in ref["neighbours"]])
        self.assertEqual((data["similar_count"], data["k"]), (ref["count"], len(ref["neighbours"])))
        self.assertEqual(
            [(a["id"], a["votes"]) for a in data["alternatives"]["resolution"]],
            ref["resolutions"][:3],
        )
        self.assertEqual(
            [(a["id"], a["votes"]) for a in data["alternatives"]["owner"]], ref["owners"][:3]
        )
        self.assertEqual(
            (data["resolution"]["id"], data["resolution"]["votes"]), ref["resolutions"][0]
        )
        self.assertEqual((data["owner"]["id"], data["owner"]["votes"]), ref["owners"][0])
        self.assertEqual(
            (data["severity"]["value"], data["severity"]["votes"]), ref["severities"][0]
        )
        self.assertAlmostEqual(data["expected_hours"], ref["hours"], places=4)
        # the stored suggestion, made at creation over the whole history: the same here, where
        # the reader may read all of it
        self.assertEqual(
            (exc.triage_basis, exc.triage_resolution_id.id, exc.triage_owner_id.id,
             exc.triage_severity, exc.triage_support),
            ("similar", ref["resolutions"][0][0], ref["owners"][0][0], ref["severities"][0][0],
             len(ref["neighbours"])),
        )
        self.assertAlmostEqual(exc.triage_hours, ref["hours"], delta=0.051)
        resolution = self.env["distribution.exception.resolution"].browse(ref["resolutions"][0][0])
        owner = self.env["res.users"].browse(ref["owners"][0][0])
        self.assertIn(
            f"{ref['resolutions'][0][1]} of the {len(ref['neighbours'])} most similar were "
            f"resolved with {resolution.name}",
            data["explanation"],
        )
        self.assertIn(f"{ref['owners'][0][1]} of them were owned by {owner.name}",
                      data["explanation"])
        self.assertIn(
            f"Expected {ref_format_hours(ref['hours'])} h: the median time to resolve of "
            f"{ref['hours_count']} recent resolved cases of this type",
            data["explanation"],
        )
        return ref

    def test_suggestions_equal_an_independent_computation(self):
        self.set_weights(self.WEIGHTS)
        probes = [
            (self.products[0], self.partners[0], self.wh1, datetime(2026, 10, 5, 14, 0), 3),
            (self.products[1], self.partners[2], self.wh2, datetime(2026, 10, 6, 20, 30), 20),
            (self.products[2], self.partners[1], self.wh1, datetime(2026, 10, 7, 8, 0), 1),
            (self.products[0], None, self.wh2, datetime(2026, 10, 8, 11, 0), 8),
        ]
        tested = 0
        for product, partner, warehouse, detected_at, qty in probes:
            with self.subTest(partner=partner and partner.name, at=detected_at):
                # the warehouse comes from the documents; without them, set as the fixture's
                exc = self.open_case(product, partner, None, detected_at, qty)
                case = self.features(product, partner, None, detected_at, qty)
                self.assertEqual(
                    (exc.triage_categ_id.id, exc.triage_weekday, exc.triage_hour // 3,
                     exc.triage_qty_band),
                    (case["categ"], case["weekday"], case["hour_band"], case["qty_band"]),
                )
                data = self.suggest(self.manager, exc)
                ref = ref_suggestion(case, self.history, self.WEIGHTS)
                if len(ref["neighbours"]) >= MIN_SIMILAR:
                    self.check_against_reference(exc, case, self.WEIGHTS, data)
                    tested += 1
        self.assertGreaterEqual(tested, 3)

    def test_default_weights_without_learned_ones(self):
        self.env["distribution.triage.weight"].sudo().search([]).unlink()
        product, partner = self.products[1], self.partners[1]
        detected_at = datetime(2026, 10, 9, 15, 0)
        exc = self.open_case(product, partner, None, detected_at, 8)
        exc.sudo().write({"warehouse_id": self.wh2.id})
        case = self.features(product, partner, self.wh2, detected_at, 8)
        data = self.suggest(self.manager, exc)
        ref = ref_suggestion(case, self.history, DEFAULTS)
        self.assertEqual(data["similar_ids"], [h["id"] for h in ref["neighbours"]])
        self.assertEqual((data["resolution"]["id"], data["resolution"]["votes"]),
                         ref["resolutions"][0])

    def test_cold_start_uses_the_type_defaults_and_says_so(self):
        ctype = self.env["distribution.exception.type"].create(
            {"name": "DG Cold Type", "code": "dg_cold", "default_severity": "high",
             "sla_hours_high": 6.0}
        )
        codes = self.env["distribution.exception.resolution"].create(
            [{"name": "DG Cold Late", "code": "late", "sequence": 20, "type_id": ctype.id},
             {"name": "DG Cold First", "code": "first", "sequence": 5, "type_id": ctype.id}]
        )
        at = datetime(2026, 10, 1, 15, 0)
        args = (self.products[0], self.partners[0], self.wh1)
        exc = self.open_case(*args, at, 3, type_rec=ctype)
        self.assertEqual(
            (exc.triage_basis, exc.triage_resolution_id, exc.triage_owner_id, exc.triage_severity,
             exc.triage_hours, exc.triage_support),
            ("type_default", codes[1], self.env["res.users"], "high", 6.0, 0),
        )
        data = self.suggest(self.manager, exc)
        self.assertEqual(data["explanation"], "No similar resolved case yet: the type's defaults.")
        # one, then two similar resolved cases: still too few
        for i in range(2):
            self.resolved_case(*args, at - timedelta(days=i + 1), 3, codes[0], self.owners[0],
                               "low", 2, type_rec=ctype)
            if not i:
                data = self.suggest(self.manager, exc)
                self.assertTrue(data["explanation"].startswith(
                    "Only one similar case: the type's defaults."), data["explanation"])
        data = self.suggest(self.manager, exc)
        self.assertEqual(data["basis"], "type_default")
        self.assertEqual((data["similar_count"], data["resolution"]["id"], data["owner"]),
                         (2, codes[1].id, False))
        # the hours: the type's own history's once it has some (the SLA's before)
        self.assertEqual((data["severity"]["value"], data["expected_hours"]), ("high", 2.0))
        self.assertEqual(
            data["explanation"],
            "Only 2 similar cases: the type's defaults. Expected 2 h: the median time to "
            "resolve of 2 recent resolved cases of this type.",
        )
        self.assertEqual(data["alternatives"], {"resolution": [], "owner": []})
        # the third makes it
        self.resolved_case(*args, at - timedelta(days=3), 3, codes[0], self.owners[0], "low", 4,
                           type_rec=ctype)
        data = self.suggest(self.manager, exc)
        self.assertEqual((data["basis"], data["resolution"]["id"], data["owner"]["id"]),
                         ("similar", codes[0].id, self.owners[0].id))
        self.assertEqual(data["expected_hours"], 2.0)
        self.assertEqual(data["severity"]["value"], "low")
        # three cases only: the type's median, said so
        self.assertIn(
            "Expected 2 h: the median time to resolve of 3 recent resolved cases of this type.",
            data["explanation"],
        )

    def test_expected_hours_follow_severity_and_detection_period(self):
        """The hours are the median of the type's resolved cases of the suggested severity
        detected in the same period (working hours, outside them, weekend; local time),
        else of the period, else of the type: not the neighbours'."""
        htype = self.env["distribution.exception.type"].create(
            {"name": "DG Hours Type", "code": "dg_hours"}
        )
        code = self.env["distribution.exception.resolution"].create(
            {"name": "DG Hours Code", "code": "hours", "type_id": htype.id}
        )
        args = (self.products[0], self.partners[0], self.wh1)

        def resolved(at, severity, hours):
            self.resolved_case(*args, at, 3, code, self.owners[0], severity, hours,
                               type_rec=htype)

        # Chicago is UTC-5 in September: 15:00 UTC is 10:00 local, 01:00 UTC 20:00 the day before
        for i in range(12):  # Monday to Friday, 10:00 local, high: 3 h
            resolved(datetime(2026, 9, 7 + i % 5, 15, 0) + timedelta(weeks=i // 5), "high", 3)
        for i in range(11):  # weekday evenings, 20:00 local, high: 14 h
            resolved(datetime(2026, 9, 8 + i % 4, 1, 0) + timedelta(weeks=i // 4), "high", 14)
        for i in range(6):  # Sundays noon, high: 40 h
            resolved(datetime(2026, 9, 13, 17, 0) + timedelta(weeks=i), "high", 40)
        for i in range(6):  # Saturdays noon, low: 50 h
            resolved(datetime(2026, 9, 12, 17, 0) + timedelta(weeks=i), "low", 50)
        # a Wednesday 10:00 local: high cases in working hours
        working = self.suggest(self.manager, self.open_case(*args, datetime(2026, 10, 14, 15, 0),
                                                            3, type_rec=htype))
        self.assertEqual((working["severity"]["value"], working["expected_hours"]), ("high", 3.0))
        self.assertIn(
            "Expected 3 h: the median time to resolve of 12 recent resolved cases of this type "
            "of severity High detected in working hours.",
            working["explanation"],
        )
        # a Wednesday 20:00 local: high cases outside working hours
        evening = self.open_case(*args, datetime(2026, 10, 15, 1, 0), 3, type_rec=htype)
        self.assertAlmostEqual(evening.triage_hours, 14.0)
        data = self.suggest(self.manager, evening)
        self.assertEqual((data["severity"]["value"], data["expected_hours"]), ("high", 14.0))
        self.assertIn("of 11 recent resolved cases of this type of severity High detected "
                      "outside working hours.", data["explanation"])
        # a Saturday noon: the 9 neighbours (6 Saturdays, 3 Sundays) suggest low and their
        # median is 50 h; 6 low cases at the weekend are too few: the 12 weekend cases' median
        data = self.suggest(self.manager, self.open_case(*args, datetime(2026, 10, 17, 17, 0), 3,
                                                         type_rec=htype))
        self.assertEqual((data["severity"]["value"], data["severity"]["votes"]), ("low", 6))
        self.assertEqual(data["expected_hours"], 45.0)
        self.assertIn(
            "Expected 45 h: the median time to resolve of 12 recent resolved cases of this type "
            "detected at the weekend (too few of the suggested severity).",
            data["explanation"],
        )

    def test_a_resolution_joins_the_history_at_once(self):
        ctype = self.env["distribution.exception.type"].create(
            {"name": "DG Live Type", "code": "dg_live"}
        )
        code = self.env["distribution.exception.resolution"].create(
            {"name": "DG Live Code", "code": "live", "type_id": ctype.id}
        )
        at = datetime(2026, 10, 2, 15, 0)
        args = (self.products[2], self.partners[2], self.wh1, at, 3)
        opened = [self.open_case(*args, type_rec=ctype) for __ in range(4)]
        self.assertEqual(self.suggest(self.manager, opened[0])["similar_count"], 0)
        for exc in opened[1:]:
            exc.with_user(self.manager).action_resolve(code.id)
        data = self.suggest(self.manager, opened[0])
        self.assertEqual((data["basis"], data["similar_count"]), ("similar", 3))
        self.assertEqual(sorted(data["similar_ids"]), sorted(e.id for e in opened[1:]))

    def test_what_no_longer_applies_gets_no_vote(self):
        """An archived code, an owner gone (archived, or without the exception role) keep their
        cases among the neighbours but get no vote."""
        at = datetime(2026, 10, 5, 14, 0)
        case = self.features(self.products[0], self.partners[0], None, at, 3)
        ref = ref_suggestion(case, self.history, DEFAULTS)
        code = self.env["distribution.exception.resolution"].browse(ref["resolutions"][0][0])
        owner = self.env["res.users"].browse(ref["owners"][0][0])
        code.active = False
        owner.groups_id = [Command.set(self.env.ref("base.group_user").ids)]
        self.assertFalse(owner.has_group("distribution_governance.group_exception_user"))
        history = [
            dict(h, resolution=None if h["resolution"] == code.id else h["resolution"],
                 owner=None if h["owner"] == owner.id else h["owner"])
            for h in self.history
        ]
        expected = ref_suggestion(case, history, DEFAULTS)
        exc = self.open_case(self.products[0], self.partners[0], None, at, 3)
        data = self.suggest(self.manager, exc)
        self.assertEqual(data["similar_ids"], [h["id"] for h in ref["neighbours"]])
        self.assertEqual([(a["id"], a["votes"]) for a in data["alternatives"]["resolution"]],
                         expected["resolutions"][:3])
        self.assertEqual([(a["id"], a["votes"]) for a in data["alternatives"]["owner"]],
                         expected["owners"][:3])
        self.assertNotEqual(exc.triage_owner_id, owner)
        self.assertNotEqual(exc.triage_resolution_id, code)

    def test_only_the_most_recent_history_counts(self):
        """The neighbours come from the TRIAGE_HISTORY most recently resolved cases."""
        exc = self.open_case(self.products[0], self.partners[0], None,
                             datetime(2026, 10, 5, 14, 0), 3)
        recent = sorted(self.history, key=lambda h: (h["resolved_at"], h["id"]))[-12:]
        case = self.features(self.products[0], self.partners[0], None,
                             datetime(2026, 10, 5, 14, 0), 3)
        ref = ref_suggestion(case, recent, DEFAULTS)
        with patch.object(exception_triage, "TRIAGE_HISTORY", 12):
            data = self.suggest(self.manager, exc)
        self.assertEqual(data["similar_ids"], [h["id"] for h in ref["neighbours"]])
        self.assertEqual(data["similar_count"], ref["count"])
        self.assertLess(data["similar_count"], 12)

    def test_features_in_sql_equal_those_of_create(self):
        picking_type = self.wh1.out_type_id
        picking = self.env["stock.picking"].create(
            {"picking_type_id": picking_type.id, "partner_id": self.partners[0].id,
             "company_id": self.tco.id}
        )
        exc = self.open_case(self.products[1], self.partners[0], None,
                             datetime(2026, 7, 4, 4, 30), 0, picking_id=picking.id,
                             quantity_expected=130)
        self.assertEqual(exc.warehouse_id, self.wh1)
        local = self.local(datetime(2026, 7, 4, 4, 30))  # 23:30 the day before in Chicago
        expected = (self.products[1].categ_id, f"type:{picking_type.id}", local.weekday(),
                    local.hour, 8)
        if "carrier_id" in picking._fields and picking.carrier_id:
            expected = expected[:1] + (f"carrier:{picking.carrier_id.id}",) + expected[2:]

        def features():
            return (exc.triage_categ_id, exc.triage_route_key, exc.triage_weekday,
                    exc.triage_hour, exc.triage_qty_band)

        self.assertEqual(features(), expected)
        self.assertEqual((local.hour, local.weekday()), (23, 4))
        self.env.cr.execute(
            """UPDATE distribution_exception SET triage_categ_id = NULL, triage_route_key = NULL,
               triage_weekday = NULL, triage_hour = NULL, triage_qty_band = NULL
               WHERE id = %s""",
            [exc.id],
        )
        exc.invalidate_recordset()
        self.env[EXCEPTION]._triage_fill_features()
        self.assertEqual(features(), expected)
        for qty, band in ((0, 0), (0.5, 1), (1, 1), (2, 2), (3, 2), (4, 3), (127, 7), (128, 8),
                          (10**6, 8)):
            with self.subTest(qty=qty):
                exc.sudo().write({"quantity_missing": qty, "quantity_expected": 0})
                self.assertEqual(exc.triage_qty_band, band)
                self.env[EXCEPTION]._triage_fill_features()
                exc.invalidate_recordset()
                self.assertEqual(exc.triage_qty_band, band)

    def test_nobody_writes_the_suggestion(self):
        exc = self.open_case(self.products[0], self.partners[0], None, datetime(2026, 10, 3), 3)
        env = self.env(user=self.manager, context={"allowed_company_ids": self.tco.ids})
        for field, value in (("triage_owner_id", self.manager.id), ("triage_hit", True),
                             ("triage_applied_owner", True), ("triage_weekday", 3)):
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    call_rpc(env, EXCEPTION, "write", exc.ids, {field: value})
        with self.assertRaises(AccessError):
            call_rpc(env, EXCEPTION, "create",
                     {"type_id": self.ttype.id, "triage_resolution_id": self.codes[0].id})
        with self.assertRaises(AccessError):
            call_rpc(env, EXCEPTION, "create", {"type_id": self.ttype.id},
                     context={"allowed_company_ids": self.tco.ids,
                              "default_triage_applied_owner": True})
        copy = exc.with_env(env).copy()
        self.assertFalse(copy.triage_applied)
        self.assertEqual(copy.triage_basis, "similar")


@tagged("post_install", "-at_install")
class TestTriageRights(TriageCase):
    def test_a_rep_limited_to_his_orders_learns_nothing_from_others(self):
        rtype = self.env["distribution.exception.type"].create(
            {"name": "DG Rights Type", "code": "dg_rights"}
        )
        code_mine, code_theirs = self.env["distribution.exception.resolution"].create(
            [{"name": "DG Mine", "code": "mine", "type_id": rtype.id},
             {"name": "DG Theirs", "code": "theirs", "type_id": rtype.id}]
        )
        partner = self.partners[0]

        def order(user):
            return self.env["sale.order"].create(
                {"partner_id": partner.id, "user_id": user.id, "company_id": self.tco.id}
            )

        at = datetime(2026, 10, 1, 15, 0)
        args = (self.products[0], partner, self.wh1)
        theirs = [
            self.resolved_case(*args, at - timedelta(days=i + 1), 3, code_theirs, self.owners[1],
                               "high", 9, type_rec=rtype, sale_order_id=order(self.other_rep).id)
            for i in range(6)
        ]
        mine = [
            self.resolved_case(*args, at - timedelta(days=i + 10), 3, code_mine, self.owners[0],
                               "low", 1, type_rec=rtype, sale_order_id=order(self.rep).id)
            for i in range(2)
        ]
        # the other company's history, as similar as can be, never counts
        other_type_code = self.env["distribution.exception.resolution"].create(
            {"name": "DG Elsewhere", "code": "elsewhere", "type_id": rtype.id}
        )
        elsewhere = [
            self.resolved_case(self.products[0], partner, False, at - timedelta(hours=i + 1), 3,
                               other_type_code, self.env.user, "critical", 50, type_rec=rtype,
                               company=self.company_b)
            for i in range(5)
        ]
        exc = self.open_case(*args, at, 3, type_rec=rtype, sale_order_id=order(self.rep).id)
        # the stored suggestion (superuser, the whole company) sees the others' cases...
        self.assertEqual((exc.triage_basis, exc.triage_resolution_id), ("similar", code_theirs))
        # ...the rep's suggestion only his own: too few, the type's defaults
        data = self.suggest(self.rep, exc)
        self.assertEqual(data["basis"], "type_default")
        self.assertEqual(data["similar_count"], 2)
        self.assertEqual(sorted(data["similar_ids"]), sorted(h["id"] for h in mine))
        self.assertNotIn(self.owners[1].name, str(data))
        self.assertNotIn("DG Theirs", str(data))
        # a manager reads everything of his company, nothing of the other
        admin = new_test_user(
            self.env, login="dg_tri_both", groups="stock.group_stock_manager",
            company_id=self.tco.id, company_ids=[Command.set((self.tco | self.company_b).ids)],
        )
        data = self.suggest(admin, exc)
        self.assertEqual(data["similar_count"], 8)
        self.assertEqual(set(data["similar_ids"]), {h["id"] for h in theirs + mine})
        self.assertFalse({h["id"] for h in elsewhere} & set(data["similar_ids"]))
        self.assertEqual(data["resolution"]["id"], code_theirs.id)
        # an exception the caller may not read: nothing at all
        hidden = self.open_case(*args, at, 3, type_rec=rtype,
                                sale_order_id=order(self.other_rep).id)
        env = self.env(user=self.rep, context={"allowed_company_ids": self.tco.ids})
        self.assertEqual(call_rpc(env, EXCEPTION, "get_triage_suggestion", hidden.ids), [])
        portal = new_test_user(self.env, login="dg_tri_portal", groups="base.group_portal")
        self.assertEqual(
            call_rpc(self.env(user=portal), EXCEPTION, "get_triage_suggestion", exc.ids), []
        )
        with self.assertRaises(UserError):
            call_rpc(env, EXCEPTION, "get_triage_suggestion", "abc")


@tagged("post_install", "-at_install")
class TestTriageApply(TriageCase):
    def fresh(self):
        exc = self.open_case(self.products[0], self.partners[0], None,
                             datetime(2026, 10, 5, 14, 0), 3)
        exc.sudo().write({"warehouse_id": self.wh1.id})
        return exc

    def messages(self, exc):
        return exc.message_ids.mapped("body")

    def test_apply_owner_severity_and_resolution(self):
        exc = self.fresh()
        env = self.env(user=self.manager, context={"allowed_company_ids": self.tco.ids})
        data = self.suggest(self.manager, exc)
        self.assertEqual(data["basis"], "similar")
        self.assertTrue(data["can_apply"]["owner"])
        owner = self.env["res.users"].browse(data["owner"]["id"])
        self.assertTrue(call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "owner"))
        self.assertEqual((exc.owner_id, exc.state), (owner, "in_progress"))
        self.assertTrue(exc.triage_applied_owner and exc.triage_applied)
        self.assertFalse(exc.triage_applied_severity or exc.triage_applied_resolution)
        self.assertTrue(any("Applied the triage suggestion: owner" in str(b)
                            for b in self.messages(exc)))
        # severity: when it differs
        exc.sudo().severity = "critical"
        data = self.suggest(self.manager, exc)
        severity = data["severity"]["value"]
        self.assertTrue(data["can_apply"]["severity"])
        call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "severity")
        self.assertEqual(exc.severity, severity)
        self.assertTrue(exc.triage_applied_severity)
        # resolution: the wizard, with it chosen; nothing resolved yet
        action = call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "resolution")
        self.assertEqual(action["res_model"], "distribution.exception.resolve.wizard")
        self.assertEqual(action["context"]["default_resolution_id"], data["resolution"]["id"])
        self.assertEqual(exc.state, "in_progress")
        self.assertTrue(exc.triage_applied_resolution)
        wizard = self.env["distribution.exception.resolve.wizard"].with_env(env).with_context(
            action["context"]).create({})
        self.assertEqual(wizard.resolution_id.id, data["resolution"]["id"])
        wizard.action_resolve()
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(exc.triage_hit, exc.resolution_id == exc.triage_resolution_id)
        self.assertEqual(self.suggest(self.manager, exc)["can_apply"],
                         {"owner": False, "severity": False, "resolution": False})
        # closed: refused
        with self.assertRaises(UserError):
            call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "owner")
        # an alternative that was not offered: refused
        other = self.fresh()
        with self.assertRaises(UserError):
            call_rpc(env, EXCEPTION, "action_apply_triage", other.ids, "owner", self.manager.id)
        with self.assertRaises(UserError):
            call_rpc(env, EXCEPTION, "action_apply_triage", other.ids, "playbook")

    def test_triage_hit_is_the_final_resolution(self):
        exc = self.fresh()
        suggested = exc.triage_resolution_id
        self.assertTrue(suggested)
        other = (self.codes - suggested)[0]
        exc.with_user(self.manager).action_resolve(other.id)
        self.assertFalse(exc.triage_hit)
        exc.with_user(self.manager).action_reopen()
        exc.with_user(self.manager).action_resolve(suggested.id)
        self.assertTrue(exc.triage_hit)
        found = self.env[EXCEPTION].search([("triage_hit", "=", True), ("id", "=", exc.id)])
        self.assertEqual(found, exc)

    def test_who_may_not_assign_is_refused(self):
        exc = self.fresh()
        data = self.suggest(self.worker, exc)
        self.assertNotEqual(data["owner"]["id"], self.worker.id)
        self.assertFalse(data["can_apply"]["owner"])
        self.assertTrue(data["can_apply"]["resolution"])
        env = self.env(user=self.worker, context={"allowed_company_ids": self.tco.ids})
        with self.assertRaises(AccessError):
            call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "owner")
        self.assertFalse(exc.owner_id or exc.triage_applied_owner)
        # lowering a severity is a manager's
        exc.sudo().severity = "critical"
        with self.assertRaises(AccessError):
            call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "severity")
        self.assertEqual(exc.severity, "critical")
        self.assertFalse(exc.triage_applied_severity)
        # resolving is his: the wizard opens
        action = call_rpc(env, EXCEPTION, "action_apply_triage", exc.ids, "resolution")
        self.assertEqual(action["res_model"], "distribution.exception.resolve.wizard")


@tagged("post_install", "-at_install")
class TestTriageAutoAssign(TriageCase):
    def test_auto_assign_setting(self):
        at = datetime(2026, 10, 5, 14, 0)
        args = (self.products[0], self.partners[0], None, at, 3)
        off = self.open_case(*args)
        self.assertTrue(off.triage_owner_id)
        self.assertFalse(off.owner_id or off.triage_auto_assigned)
        settings = self.env["res.config.settings"].with_company(self.tco).create(
            {"triage_auto_assign": True}
        )
        settings.execute()
        self.assertTrue(self.tco.triage_auto_assign)
        on = self.open_case(*args)
        self.assertEqual(on.owner_id, on.triage_owner_id)
        self.assertTrue(on.triage_auto_assigned)
        self.assertEqual(on.state, "new")
        self.assertTrue(any("Assigned by triage suggestion" in str(b) for b in on.message_ids.mapped("body")))
        # the type's defaults name no owner: nobody assigned
        ctype = self.env["distribution.exception.type"].create({"name": "DG AA", "code": "dg_aa"})
        cold = self.open_case(*args, type_rec=ctype)
        self.assertFalse(cold.owner_id or cold.triage_auto_assigned)
        # an owner given at creation stays
        given = self.open_case(*args, owner_id=self.worker.id)
        self.assertEqual(given.owner_id, self.worker)
        self.assertFalse(given.triage_auto_assigned)


@tagged("post_install", "-at_install")
class TestTriageLearning(TriageCase):
    def test_cron_fills_the_weights(self):
        self.env["distribution.triage.weight"].sudo().search([]).unlink()
        self.env.ref("distribution_governance.cron_triage_refresh").method_direct_trigger()
        weights = self.env["distribution.triage.weight"].search(
            [("company_id", "=", self.tco.id), ("type_id", "=", self.ttype.id)]
        )
        expected = ref_weights(self.history)
        self.assertEqual(sorted(weights.mapped("feature")), sorted(FEATURES))
        for row in weights:
            with self.subTest(feature=row.feature):
                self.assertAlmostEqual(row.weight, expected[row.feature], places=4)
        # the customer decides the code in this history: it weighs most; the route (never
        # known) keeps its default
        by_feature = {row.feature: row for row in weights}
        self.assertEqual(max(weights, key=lambda row: row.weight).feature, "partner")
        self.assertGreater(by_feature["partner"].agreement_same, by_feature["partner"].agreement_base)
        self.assertEqual(by_feature["route"].weight, DEFAULTS["route"])
        self.assertEqual(by_feature["partner"].cases, 40)
        # read-only, and of the user's companies only
        env = self.env(user=self.manager, context={"allowed_company_ids": self.tco.ids})
        with self.assertRaises(AccessError):
            call_rpc(env, "distribution.triage.weight", "write", weights[:1].ids, {"weight": 9})
        other = new_test_user(self.env, login="dg_tri_nob", groups="stock.group_stock_manager")
        self.assertFalse(
            self.env["distribution.triage.weight"].with_user(other).search(
                [("id", "in", weights.ids)]
            )
        )

    def test_evaluation_equals_an_independent_computation(self):
        split = datetime(2026, 9, 14, 0, 0)
        train = sorted((h for h in self.history if h["resolved_at"] < split),
                       key=lambda h: (h["resolved_at"], h["id"]))
        tests = [h for h in self.history if h["detected_at"] >= split]
        self.assertTrue(train and tests)
        weights = ref_weights(train)
        counts = dict.fromkeys(("p1", "p3", "o1", "o3", "pb", "ob"), 0)
        errors, baseline_errors = [], []
        majority_code = ref_ranked([h["resolution"] for h in train])[0][0]
        majority_owner = ref_ranked([h["owner"] for h in train])[0][0]
        median_hours = statistics.median(h["hours"] for h in train)
        first_codes = self.codes.sorted(lambda c: (c.sequence, c.id)).ids[:3]
        for case in tests:
            ref = ref_suggestion(case, train, weights)
            if len(ref["neighbours"]) >= MIN_SIMILAR:
                codes = [c for c, __ in ref["resolutions"]]
                owners = [o for o, __ in ref["owners"]]
                hours = ref["hours"]
            else:
                codes, owners = first_codes, []
                # the type's defaults: the hours of its default severity in the history
                hours = ref_hours(case, train, self.ttype.default_severity)[0]
            counts["p1"] += codes[:1] == [case["resolution"]]
            counts["p3"] += case["resolution"] in codes[:3]
            counts["o1"] += owners[:1] == [case["owner"]]
            counts["o3"] += case["owner"] in owners[:3]
            counts["pb"] += majority_code == case["resolution"]
            counts["ob"] += majority_owner == case["owner"]
            errors.append(abs(hours - case["hours"]))
            baseline_errors.append(abs(median_hours - case["hours"]))
        result = self.env[EXCEPTION]._dg_triage_evaluate(self.tco, split)
        n = len(tests)
        expected = {
            "n_train": len(train),
            "n_test": n,
            "playbook_top1": counts["p1"] / n,
            "playbook_top3": counts["p3"] / n,
            "owner_top1": counts["o1"] / n,
            "owner_top3": counts["o3"] / n,
            "playbook_baseline": counts["pb"] / n,
            "owner_baseline": counts["ob"] / n,
            "hours_mae": sum(errors) / n,
            "hours_baseline_mae": sum(baseline_errors) / n,
        }
        self.assertEqual(set(result), set(expected))
        for key, value in expected.items():
            with self.subTest(key=key):
                self.assertAlmostEqual(result[key], value, places=6)
