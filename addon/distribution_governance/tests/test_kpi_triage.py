from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .common import days_ago, flag_domain
from .test_kpi import KpiScenarioCase


@tagged("post_install", "-at_install")
class TestKpiTriage(KpiScenarioCase):
    """The online measures of the triage suggestions (issue 16): how often a suggestion is
    applied, how often the suggested playbook is the final resolution — each equal to a count
    made here over the exceptions the reader may read, and its drill-down listing them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Exception_ = cls.env["distribution.exception"]
        ref = cls.env.ref
        cls.written_off = ref("distribution_governance.resolution_damaged_goods_written_off")
        cls.accepted = ref("distribution_governance.resolution_short_pick_accepted")
        cls.other_short = cls.env["distribution.exception.resolution"].search(
            [("type_id", "=", cls.accepted.type_id.id), ("id", "!=", cls.accepted.id)], limit=1
        )
        assert cls.other_short, "a second short-pick resolution code"
        cls.short_no_backorder = cls.shorts.filtered(lambda e: e.picking_id == cls.pickings[3])
        cls.open_shorts = cls.shorts - cls.short_no_backorder

        # a resolved exception suggested right but resolved before the period: counted nowhere
        cls.old = Exception_.create(
            {
                "type_id": cls.damage.type_id.id,
                "company_id": cls.company.id,
                "picking_id": cls.pickings[0].id,
                "description": "old damage",
            }
        )
        cls.old.action_resolve(cls.written_off.id, note="Dented box")
        cls.old.write({"detected_at": days_ago(12)})

        # the history as the triage leaves it
        cls.set_triage(
            cls.env["distribution.exception"].search([("company_id", "=", cls.company.id)]),
            basis=None,
            resolution=None,
            applied=False,
        )
        cls.set_triage(cls.damage, "similar", cls.written_off, applied=True)  # applied, a hit
        cls.set_triage(cls.short_no_backorder, "similar", cls.other_short, applied=False)  # miss
        cls.set_triage(cls.open_shorts[:1], "type_default", cls.accepted, applied=True)
        cls.set_triage(cls.open_shorts[1:], "similar", cls.accepted, applied=False)
        cls.set_triage(cls.old, "similar", cls.written_off, applied=True)
        cls.env.cr.execute(
            "UPDATE distribution_exception SET create_date = %s, resolved_at = %s WHERE id = %s",
            (days_ago(12), days_ago(11), cls.old.id),
        )
        cls.env.invalidate_all()

    @classmethod
    def set_triage(cls, exceptions, basis, resolution, applied):
        # as the engine does (users may not write these fields): the acceptance and the hit
        # follow through their computes
        exceptions.sudo().write(
            {
                "triage_basis": basis or False,
                "triage_resolution_id": resolution.id if resolution else False,
                "triage_applied_owner": applied,
                "triage_applied_severity": False,
                "triage_applied_resolution": False,
            }
        )
        exceptions.flush_recordset()

    def expected(self, env):
        """The two ratios counted here, over what `env`'s user reads."""
        readable = env["distribution.exception"].search([("company_id", "=", self.company.id)])
        suggested = readable.filtered(
            lambda e: e.triage_basis and self.in_period(e.create_date)
        )
        applied = suggested.filtered("triage_applied")
        resolved = readable.filtered(
            lambda e: e.state == "resolved"
            and e.triage_resolution_id
            and self.in_period(e.resolved_at)
        )
        hits = resolved.filtered(lambda e: e.resolution_id == e.triage_resolution_id)
        return suggested, applied, resolved, hits

    def test_acceptance_and_hits(self):
        env = self.env(user=self.kpi_user)
        suggested, applied, resolved, hits = self.expected(env)
        # the scenario has both outcomes of each, and leaves the old exception out
        self.assertEqual(len(suggested), 1 + len(self.shorts))
        self.assertTrue(0 < len(applied) < len(suggested))
        self.assertEqual(resolved, (self.damage | self.short_no_backorder).with_env(env))
        self.assertEqual(hits, self.damage.with_env(env))

        kpis = self.kpis(env)
        acceptance = kpis["suggestion_acceptance"]
        self.assertRatio(acceptance, len(applied), len(suggested))
        self.assertDrillDown(acceptance, suggested, env)
        hit_rate = kpis["suggestion_hit_rate"]
        self.assertRatio(hit_rate, len(hits), len(resolved))
        self.assertDrillDown(hit_rate, resolved, env)

        # the dashboard's cards: the same figures, the list and the not applied they open
        board = env["distribution.dashboard"].get_kpi_dashboard(
            {"period": "custom", "date_from": self.date_from, "date_to": self.date_to}
        )
        cards = {card["key"]: card for card in board["kpis"]}
        card = cards["suggestion_acceptance"]
        self.assertEqual(card["count"], len(suggested))
        Exception_ = env["distribution.exception"]
        self.assertEqual(Exception_.search(card["domain"]), suggested)
        self.assertEqual(Exception_.search(flag_domain(card)), suggested - applied)
        card = cards["suggestion_hit_rate"]
        self.assertEqual(card["count"], len(resolved))
        self.assertEqual(Exception_.search(flag_domain(card)), resolved - hits)

        # a suggestion applied afterwards counts at once (the KPIs are live)
        self.set_triage(suggested - applied, "similar", self.accepted, applied=True)
        self.assertRatio(self.kpis(env)["suggestion_acceptance"], len(suggested), len(suggested))

    def test_period_and_warehouse(self):
        """A period without suggestions has no value (not 0 %); the old hit counts in its own."""
        env = self.env(user=self.kpi_user)
        old_day = (self.old.resolved_at).date()
        kpis = env["distribution.kpi"]._compute_kpis(
            str(old_day - timedelta(days=1)), str(old_day + timedelta(days=1))
        )
        self.assertRatio(kpis["suggestion_hit_rate"], 1, 1)
        self.assertDrillDown(kpis["suggestion_hit_rate"], self.old, env)
        other = self.env["stock.warehouse"].create(
            {"name": "DG Empty", "code": "DGEM", "company_id": self.company.id}
        )
        empty = self.kpis(env, warehouse_ids=[other.id])
        self.assertIsNone(empty["suggestion_acceptance"].value)
        self.assertEqual(empty["suggestion_acceptance"].count, 0)

    def test_reader_record_rules(self):
        """An exception user reads only the exceptions they own or of orders without another
        salesperson: the ratios count those alone, and the drill-downs list them."""
        narrow = new_test_user(
            self.env,
            login="dg_kpi_triage_narrow",
            groups="base.group_user,distribution_governance.group_exception_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        # theirs: one suggested and applied, the resolved miss
        self.env.cr.execute(
            "UPDATE distribution_exception SET owner_id = %s WHERE id = ANY(%s)",
            (narrow.id, (self.open_shorts[:1] | self.short_no_backorder).ids),
        )
        self.env.invalidate_all()
        env = self.env(user=narrow)
        suggested, applied, resolved, hits = self.expected(env)
        everything = self.expected(self.env(user=self.kpi_user))
        self.assertLess(len(suggested), len(everything[0]), "the rule narrows what they read")
        self.assertTrue(suggested)
        kpis = self.kpis(env)
        self.assertRatio(kpis["suggestion_acceptance"], len(applied), len(suggested))
        self.assertDrillDown(kpis["suggestion_acceptance"], suggested, env)
        self.assertRatio(kpis["suggestion_hit_rate"], len(hits), len(resolved))
        self.assertDrillDown(kpis["suggestion_hit_rate"], resolved, env)
