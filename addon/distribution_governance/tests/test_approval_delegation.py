import random
from datetime import datetime, timedelta
from unittest.mock import patch

import pytz
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCase

REQUEST = "distribution.approval.request"
DELEGATION = "distribution.approval.delegation"
APPROVER = "distribution_governance.group_override_approver"


class DelegationCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard_group = cls.env.ref(APPROVER)
        cls.large_group = cls.env["res.groups"].create({"name": "DG Large Approvers (delegation)"})
        # a tier of that group, so its members have something to delegate
        cls.env["distribution.approval.policy"].create(
            {
                "name": "DG large credit (delegation tests)",
                "kind": "credit_override",
                "amount_min": 1_000_000,
                "group_id": cls.large_group.id,
            }
        )
        # works exceptions, decides nothing of his own
        cls.delegate = new_test_user(cls.env, login="dg_dl_delegate", groups="stock.group_stock_user")
        cls.other_approver = new_test_user(cls.env, login="dg_dl_approver_b", groups=APPROVER)
        cls.large = new_test_user(
            cls.env,
            login="dg_dl_large",
            groups="distribution_governance.group_exception_user",
            groups_id=[
                cls.env.ref("distribution_governance.group_exception_user").id,
                cls.large_group.id,
            ],
        )
        cls.outsider = new_test_user(cls.env, login="dg_dl_outsider", groups="stock.group_stock_user")
        cls.today = cls.today_of(cls.approver)

    @staticmethod
    def today_of(user):
        return datetime.now(pytz.timezone(user.tz or "UTC")).date()

    def delegate_to(self, delegate, approver=None, days=(0, 3), kind=False, **values):
        approver = approver or self.approver
        today = self.today_of(approver)
        return (
            self.env[DELEGATION]
            .with_user(approver)
            .create(
                dict(
                    {
                        "approver_id": approver.id,
                        "delegate_id": delegate.id,
                        "date_from": today + timedelta(days=days[0]),
                        "date_to": today + timedelta(days=days[1]),
                        "kind": kind,
                    },
                    **values,
                )
            )
        )

    def make_request(self, requester=None, salesperson=None, creator=None, group="standard",
                     kind="credit_override", changers=(), deciders=(), required=1, company=None):
        """A pending request as an engine leaves it, its facts chosen."""
        requester = requester or self.rep
        order = self.env["sale.order"].with_user(creator or self.rep).sudo().create(
            {"partner_id": self.customer.id, "user_id": (salesperson or self.rep).id}
        )
        groups = {"standard": self.standard_group, "large": self.large_group, None: self.env["res.groups"],
                  "sales_manager": self.env.ref("sales_team.group_sale_manager")}
        company = company or self.company
        request = self.env[REQUEST].sudo().create(
            {
                "kind": kind,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "requester_id": requester.id,
                "salesperson_id": (salesperson or self.rep).id,
                "sale_order_id": order.id,
                "document_ref": order.name,
                "approver_group_id": groups[group].id or False,
                "approvals_required": required,
            }
        )
        if changers:
            request.write({"changed_by_ids": [Command.link(user.id) for user in changers]})
        for user in deciders:
            request.write({"decision_ids": [Command.create({"user_id": user.id, "decision": "approve"})]})
        return request

    def may_decide(self, request, user):
        return request.state == "pending" and not request.sudo()._refusal(user)


@tagged("post_install", "-at_install")
class TestApprovalDelegation(DelegationCase):
    def test_delegate_decides_on_behalf_and_it_is_logged(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        self.assertEqual(order.dg_credit_hold, "on_hold")
        as_delegate = request.with_user(self.delegate)
        # before the delegation: he may not even read it, and cannot decide it
        self.assertFalse(self.env[REQUEST].with_user(self.delegate).search([("id", "=", request.id)]))
        with self.assertRaises(AccessError):
            as_delegate.action_approve("covering")
        self.delegate_to(self.delegate)
        to_decide = self.env[REQUEST].with_user(self.delegate).search([("can_decide", "=", True)])
        self.assertEqual(to_decide, request)
        self.assertTrue(as_delegate.can_decide)
        self.assertIn(self.delegate, request._approvers())
        # his to-do, scheduled when the delegation was made
        self.assertIn(self.delegate, request.activity_ids.user_id)
        self.assertEqual(self.env[REQUEST].with_user(self.delegate).get_pending_count(), 1)
        tray = self.env["distribution.exception"].with_user(self.delegate).get_systray_data()
        self.assertEqual(tray["pending_approvals"], 1)
        # as from his to-do: the request's form, Approve, the decision's dialog
        form = Form(as_delegate)
        self.assertEqual(form.document_ref, order.name)
        self.assertTrue(form.can_decide)
        action = as_delegate.with_context(dg_decision="approve").action_open_decision()
        wizard = Form.from_action(self.env(user=self.delegate), action)
        wizard.reason = "covering for the approver"
        wizard.save().action_confirm()
        self.assertEqual((order.state, order.dg_credit_hold, request.state), ("sale", "released", "approved"))
        decision = request.decision_ids
        self.assertEqual((decision.user_id, decision.on_behalf_of_id), (self.delegate, self.approver))
        log = self.log(order, "approve")
        self.assertEqual((log.user_id, log.on_behalf_of_id), (self.delegate, self.approver))
        bodies = request.message_ids.mapped("body")
        self.assertTrue(
            any(f"{self.delegate.name} on behalf of {self.approver.name}" in body for body in bodies), bodies
        )

    def test_an_approver_deciding_in_his_own_right_is_not_on_behalf(self):
        self.delegate_to(self.other_approver)
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        request.with_user(self.other_approver).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.decision_ids.on_behalf_of_id)

    def test_rejection_on_behalf_is_logged(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        self.delegate_to(self.delegate)
        request.with_user(self.delegate).action_reject("no guarantee")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self.log(order, "reject").on_behalf_of_id, self.approver)
        self.assertTrue(any("on behalf of" in body for body in request.message_ids.mapped("body")))

    def test_segregation_of_duties_applies_to_the_delegate(self):
        self.delegate_to(self.delegate)
        cases = {
            "requester": self.make_request(requester=self.delegate),
            "salesperson": self.make_request(salesperson=self.delegate),
            "creator": self.make_request(creator=self.delegate),
            "changer": self.make_request(changers=[self.delegate]),
        }
        for what, request in cases.items():
            with self.subTest(what):
                self.assertFalse(self.may_decide(request, self.delegate))
                self.assertFalse(request.with_user(self.delegate).can_decide)
                with self.assertRaises(AccessError):
                    request.with_user(self.delegate).action_approve()
                self.assertEqual(request.state, "pending")
        # and a request with nothing against him, he decides
        self.assertTrue(self.may_decide(self.make_request(), self.delegate))

    def test_not_on_behalf_of_an_approver_who_could_not_decide(self):
        self.delegate_to(self.delegate)
        for what, request in {
            "the approver asked for it": self.make_request(requester=self.approver),
            "the approver sells it": self.make_request(salesperson=self.approver),
            "the approver changed it": self.make_request(changers=[self.approver]),
            "the approver decided it already": self.make_request(deciders=[self.approver], required=2),
            "a tier not his": self.make_request(group="large"),
        }.items():
            with self.subTest(what):
                self.assertFalse(self.may_decide(request, self.delegate))
                with self.assertRaises(UserError):  # AccessError included
                    request.with_user(self.delegate).action_approve()

    def test_two_approvals_need_two_authorities(self):
        """A delegate's approval counts as the approver's: the approver himself cannot add the
        second one, another approver can."""
        self.delegate_to(self.delegate)
        order = self.order(101)  # 10,100: the tier of two approvers
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        self.assertEqual(request.approvals_required, 2)
        request.with_user(self.delegate).action_approve()
        self.assertEqual((request.state, request.approvals_count), ("pending", 1))
        self.assertFalse(self.may_decide(request, self.approver))
        with self.assertRaises(UserError):
            request.with_user(self.approver).action_approve()
        request.with_user(self.other_approver).action_approve()
        self.assertEqual(request.state, "approved")

    def test_outside_its_days_the_delegation_gives_nothing(self):
        request = self.make_request()
        for days in ((1, 3), (-5, -1)):
            with self.subTest(days=days):
                delegation = self.delegate_to(self.delegate, days=days)
                self.assertFalse(self.may_decide(request, self.delegate))
                self.assertFalse(request.with_user(self.delegate).can_decide)
                with self.assertRaises(AccessError):
                    request.with_user(self.delegate).action_approve()
                delegation.sudo().unlink()
        # archived: nothing either
        delegation = self.delegate_to(self.delegate)
        self.assertTrue(self.may_decide(request, self.delegate))
        delegation.with_user(self.approver).active = False
        self.assertFalse(self.may_decide(request, self.delegate))

    def test_days_are_the_approvers_time_zone(self):
        """A delegation starting on the approver's today, far east of UTC: it runs when his
        calendar says so, whatever UTC's date."""
        self.approver.tz = "Pacific/Kiritimati"  # UTC+14
        his_today = datetime.now(pytz.timezone("Pacific/Kiritimati")).date()
        request = self.make_request()
        self.env[DELEGATION].with_user(self.approver).create(
            {"approver_id": self.approver.id, "delegate_id": self.delegate.id,
             "date_from": his_today, "date_to": his_today}
        )
        self.assertTrue(self.may_decide(request, self.delegate))
        self.approver.tz = "Pacific/Pago_Pago"  # UTC-11: his today is another day
        self.assertEqual(self.may_decide(request, self.delegate),
                         datetime.now(pytz.timezone("Pacific/Pago_Pago")).date() == his_today)

    def test_delegation_of_one_kind(self):
        self.delegate_to(self.delegate, kind="price_override", approver=self.admin)
        credit = self.make_request()
        price = self.make_request(kind="price_override", group="sales_manager")
        self.assertFalse(self.may_decide(credit, self.delegate))
        self.assertTrue(self.may_decide(price, self.delegate))
        found = self.env[REQUEST].with_user(self.delegate).search(
            [("id", "in", (credit | price).ids), ("can_decide", "=", True)]
        )
        self.assertEqual(found, price)
        # the engine's decision records whom the delegate decided for
        price.sudo().write(
            {"decision_ids": [Command.create({"user_id": self.delegate.id, "decision": "approve"})]}
        )
        self.assertEqual(price.decision_ids.on_behalf_of_id, self.admin)

    def test_no_chains(self):
        """The large approver holds the standard tier by delegation; what he hands on is his
        own tier only."""
        self.delegate_to(self.large, approver=self.approver)
        self.delegate_to(self.delegate, approver=self.large)
        standard, large = self.make_request(), self.make_request(group="large")
        self.assertTrue(self.may_decide(standard, self.large))
        self.assertFalse(self.may_decide(standard, self.delegate))
        self.assertTrue(self.may_decide(large, self.delegate))
        Request = self.env[REQUEST]
        self.assertFalse(
            Request.sudo().search([("id", "=", standard.id)] + Request._can_decide_domain(self.delegate))
        )

    def test_who_may_delegate_what(self):
        Delegation = self.env[DELEGATION]
        tomorrow = self.today + timedelta(days=1)
        values = {"delegate_id": self.delegate.id, "date_from": self.today, "date_to": tomorrow}
        # not to himself, not backwards
        with self.assertRaises(ValidationError):
            self.delegate_to(self.approver)
        with self.assertRaises(ValidationError):
            self.delegate_to(self.delegate, days=(2, 1))
        # someone deciding nothing has nothing to delegate
        with self.assertRaises(ValidationError):
            self.delegate_to(self.outsider, approver=self.delegate)
        # a delegate without a governance role could not open the requests
        with self.assertRaises(ValidationError):
            self.delegate_to(new_test_user(self.env, login="dg_dl_plain", groups="base.group_user"))
        # an approver delegates his own only, whatever the client sends
        with self.assertRaises(AccessError):
            Delegation.with_user(self.approver).create(dict(values, approver_id=self.other_approver.id))
        with self.assertRaises(AccessError):
            Delegation.with_user(self.approver).with_context(
                default_approver_id=self.other_approver.id
            ).create(values)
        mine = Delegation.with_user(self.approver).create(values)
        self.assertEqual(mine.approver_id, self.approver)
        with self.assertRaises(AccessError):
            mine.write({"approver_id": self.other_approver.id})
        with self.assertRaises(AccessError):
            mine.copy({"approver_id": self.other_approver.id, "date_from": tomorrow + timedelta(days=5),
                       "date_to": tomorrow + timedelta(days=6)})
        # one delegate at a time for a kind
        with self.assertRaises(ValidationError):
            self.delegate_to(self.other_approver, days=(1, 4))
        with self.assertRaises(ValidationError):
            self.delegate_to(self.other_approver, days=(1, 4), kind="credit_override")
        # a governance administrator names anyone's delegate
        by_admin = Delegation.with_user(self.admin).create(
            dict(values, approver_id=self.other_approver.id)
        )
        self.assertEqual(by_admin.approver_id, self.other_approver)
        # reads: the approver and the delegate, the administrator; nobody else
        self.assertEqual(Delegation.with_user(self.approver).search([]), mine)
        self.assertEqual(Delegation.with_user(self.delegate).search([]), mine | by_admin)
        self.assertEqual(Delegation.with_user(self.outsider).search([]), Delegation)
        self.assertEqual(Delegation.with_user(self.admin).search([("id", "in", (mine | by_admin).ids)]),
                         mine | by_admin)
        # the delegate reads what he holds, changes nothing
        with self.assertRaises(AccessError):
            mine.with_user(self.delegate).write({"date_to": self.today + timedelta(days=9)})
        with self.assertRaises(AccessError):
            by_admin.with_user(self.approver).write({"date_to": self.today + timedelta(days=9)})

    def test_multi_company(self):
        # the approver and the delegate outside the delegation's company
        values = {"approver_id": self.approver.id, "delegate_id": self.delegate.id,
                  "date_from": self.today, "date_to": self.today, "company_id": self.company_b.id}
        with self.assertRaises(ValidationError):
            self.env[DELEGATION].create(values)
        self.approver.company_ids |= self.company_b
        with self.assertRaises(ValidationError):
            self.env[DELEGATION].create(values)
        self.delegate.company_ids |= self.company_b
        self.env[DELEGATION].with_user(self.approver).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        ).create(values)
        # a delegation of the second company decides nothing in the first
        request = self.make_request()
        self.assertFalse(self.may_decide(request, self.delegate))
        self.assertFalse(self.env[REQUEST].with_user(self.delegate).search([("id", "=", request.id)]))
        other = self.make_request(company=self.company_b)
        self.assertTrue(self.may_decide(other, self.delegate))


@tagged("post_install", "-at_install")
class TestDelegationAgreement(DelegationCase):
    """_refusal and its SQL twin, To Decide, the systray's count and the approvers who get
    to-dos agree with delegations in play."""

    def test_the_two_agree_on_a_generated_variety(self):
        self.delegate_to(self.delegate, kind="credit_override")
        self.delegate_to(self.large, approver=self.approver, kind="price_override", days=(0, 1))
        self.delegate_to(self.delegate, approver=self.large, days=(0, 2))
        self.delegate_to(self.outsider, approver=self.other_approver, days=(1, 2))  # not yet
        users = [self.rep, self.approver, self.other_approver, self.delegate, self.large, self.outsider,
                 self.admin]
        rng = random.Random(14)
        requests = self.env[REQUEST]
        for __ in range(40):
            deciders = rng.sample(users, rng.choice([0, 0, 1]))
            requests |= self.make_request(
                requester=rng.choice(users),
                salesperson=rng.choice(users),
                creator=rng.choice(users),
                group=rng.choice(["standard", "standard", "large", None]),
                kind=rng.choice(["credit_override", "price_override"]),
                changers=rng.sample(users, rng.choice([0, 0, 1])),
                deciders=deciders,
                required=len(deciders) + 1,
            )
        # decisions on someone's behalf, by the delegate
        for request in requests[:8]:
            if self.may_decide(request, self.delegate):
                request.write(
                    {"decision_ids": [Command.create({"user_id": self.delegate.id, "decision": "approve"})]}
                )
        self.assertTrue(requests.decision_ids.on_behalf_of_id)
        Request = self.env[REQUEST]
        scope = [("id", "in", requests.ids)]
        decidable_somewhere = 0
        for user in users:
            with self.subTest(user=user.login):
                allowed = requests.filtered(lambda r: self.may_decide(r, user))
                decidable_somewhere += len(allowed)
                found = Request.sudo().search(scope + Request._can_decide_domain(user))
                self.assertEqual(found, allowed, f"{sorted(found.ids)} != {sorted(allowed.ids)}")
                as_user = Request.with_user(user)
                readable = as_user.search(scope)
                self.assertEqual(as_user.search(scope + [("can_decide", "=", True)]), readable & allowed)
                self.assertEqual(as_user.search(scope + [("can_decide", "=", False)]), readable - allowed)
                self.assertEqual(readable.filtered("can_decide"), readable & allowed)
                # requests of a tier: what the user may decide, he may read (nothing in To
                # Decide he cannot open), and the to-dos go to exactly those who may decide
                tiered = allowed.filtered("approver_group_id")
                self.assertEqual(readable & tiered, tiered)
                with_todo = requests.filtered(
                    lambda r: r.approver_group_id and r.state == "pending" and user in r._approvers()
                )
                self.assertEqual(with_todo, tiered)
        self.assertTrue(0 < decidable_somewhere < len(requests) * len(users))
        # the systray's count is To Decide's, the other requests of the database included
        for user in (self.delegate, self.large, self.approver):
            count = Request.with_user(user).get_pending_count()
            self.assertEqual(count, Request.with_user(user).search_count([("can_decide", "=", True)]))
        self.assertGreater(Request.with_user(self.delegate).get_pending_count(), 0)
        # the inbox's Waiting For, computed for the whole page, names each request's approvers
        # (delegates included) with the running delegations read once for the page
        Delegation = type(self.env[DELEGATION])
        current = Delegation._dg_current
        calls = []

        def counted(records, domain):
            calls.append(domain)
            return current(records, domain)

        self.env.invalidate_all()
        with patch.object(Delegation, "_dg_current", counted):
            waiting = {request.id: request.waiting_for for request in requests}
        # (a delegate's own delegations are still looked up when he is weighed as a candidate)
        by_request = [d for d in calls if not any(term[0] == "delegate_id" for term in d)]
        self.assertEqual(len(by_request), 1, calls)
        for request in requests:
            expected = ", ".join(request.sudo()._approvers().mapped("name")) or False
            if request.state != "pending":
                expected = False
            self.assertEqual(waiting[request.id], expected)
        self.assertTrue(any(self.delegate.name in (w or "") for w in waiting.values()))


@tagged("post_install", "-at_install")
class TestApprovalEscalation(DelegationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalation_group = cls.env["res.groups"].create({"name": "DG Credit Escalation"})
        cls.chief = new_test_user(
            cls.env, login="dg_dl_chief", groups="distribution_governance.group_exception_user",
        )
        cls.chief.groups_id |= cls.escalation_group
        cls.tier = cls.env.ref("distribution_governance.policy_credit_override_standard")

    def held_request(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        return self.request_of(order)

    def escalations(self, request):
        return self.env["distribution.audit.log"].search(
            [("request_id", "=", request.id), ("event", "=", "escalate")]
        )

    def test_escalation_to_a_group(self):
        self.tier.write({"sla_hours": 4, "escalation_group_id": self.escalation_group.id})
        start = fields.Datetime.now()
        with freeze_time(start):
            request = self.held_request()
        self.assertEqual(request.due_at, request.create_date + timedelta(hours=4))
        self.assertIn(self.approver, request.activity_ids.user_id)
        Request = self.env[REQUEST]
        with freeze_time(start + timedelta(hours=3)):
            self.assertFalse(Request._cron_escalate())
            self.assertFalse(Request.search([("id", "=", request.id), ("overdue", "=", True)]))
        with freeze_time(start + timedelta(hours=5)):
            self.assertEqual(Request.search([("id", "=", request.id), ("overdue", "=", True)]), request)
            self.assertEqual(request.age, "5 h")
            self.assertEqual(Request._cron_escalate(), request)
        self.assertEqual(request.approver_group_id, self.escalation_group)
        self.assertEqual((request.escalation_count, request.state), (1, "pending"))
        self.assertFalse(request.due_at)  # a group is the last step
        log = self.escalations(request)
        self.assertEqual(len(log), 1)
        self.assertIn(self.escalation_group.full_name, log.reason)
        self.assertIn(log.reason, request.message_ids.mapped("body")[0])
        # the to-dos follow: the chief has one, the standard approver lost his
        self.assertIn(self.chief, request.activity_ids.user_id)
        self.assertNotIn(self.approver, request.activity_ids.user_id)
        self.assertFalse(request.with_user(self.approver).can_decide)
        self.assertTrue(request.with_user(self.chief).can_decide)
        # idempotent: later runs do nothing more
        with freeze_time(start + timedelta(hours=50)):
            self.assertFalse(Request._cron_escalate())
        self.assertEqual(len(self.escalations(request)), 1)
        self.assertEqual(Request.search([("id", "=", request.id), ("escalation_count", ">", 0)]), request)
        request.with_user(self.chief).action_approve()
        self.assertEqual(request.state, "approved")

    def test_escalation_to_the_next_tier_and_on(self):
        top_group = self.env["res.groups"].create({"name": "DG Credit Top"})
        top = self.env["distribution.approval.policy"].create(
            {"name": "DG top", "kind": "credit_override", "amount_min": 2_000_000,
             "group_id": self.escalation_group.id, "sla_hours": 2, "escalation_group_id": top_group.id}
        )
        self.tier.write({"sla_hours": 4, "escalation_tier_id": top.id})
        start = fields.Datetime.now()
        with freeze_time(start):
            request = self.held_request()
        Request = self.env[REQUEST]
        with freeze_time(start + timedelta(hours=5)):
            Request._cron_escalate()
            self.assertEqual((request.policy_id, request.approver_group_id), (top, self.escalation_group))
            self.assertEqual(request.due_at, fields.Datetime.now() + timedelta(hours=2))
            self.assertFalse(Request._cron_escalate())  # the same run again
        with freeze_time(start + timedelta(hours=6)):
            self.assertFalse(Request._cron_escalate())
        with freeze_time(start + timedelta(hours=7, minutes=30)):
            self.assertEqual(Request._cron_escalate(), request)
        self.assertEqual((request.approver_group_id, request.escalation_count), (top_group, 2))
        self.assertEqual(len(self.escalations(request)), 2)

    def test_no_escalation_without_sla_or_destination(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            request = self.held_request()
        self.assertFalse(request.due_at)
        self.tier.write({"sla_hours": 1})  # overdue, but nowhere to go
        with freeze_time(start + timedelta(hours=2)):
            self.assertTrue(request.overdue)
            self.assertFalse(self.env[REQUEST]._cron_escalate())
        self.assertEqual(request.approver_group_id, self.standard_group)

    def test_decided_requests_do_not_escalate(self):
        self.tier.write({"sla_hours": 1, "escalation_group_id": self.escalation_group.id})
        start = fields.Datetime.now()
        with freeze_time(start):
            request = self.held_request()
            request.with_user(self.approver).action_approve()
        with freeze_time(start + timedelta(hours=3)):
            self.assertFalse(request.overdue)
            self.assertFalse(self.env[REQUEST]._cron_escalate())

    def test_tier_escalation_rules(self):
        with self.assertRaises(ValidationError):
            self.tier.write({"escalation_tier_id": self.tier.id})
        with self.assertRaises(ValidationError):
            self.tier.write({"sla_hours": -1})
        price = self.env.ref("distribution_governance.policy_price_override_standard")
        with self.assertRaises(ValidationError):
            self.tier.write({"escalation_tier_id": price.id})

    def test_a_delegation_starting_later_brings_its_todos_with_the_cron(self):
        request = self.held_request()
        self.delegate_to(self.delegate, days=(1, 2))
        self.assertNotIn(self.delegate, request.activity_ids.user_id)
        with freeze_time(fields.Datetime.now() + timedelta(days=1, hours=1)):
            self.env[REQUEST]._cron_escalate()
            self.assertIn(self.delegate, request.activity_ids.user_id)

    def test_an_administrator_escalates_by_hand(self):
        request = self.held_request()
        with self.assertRaises(UserError):  # its tier names nowhere to go
            request.with_user(self.admin).action_escalate()
        self.tier.write({"sla_hours": 24, "escalation_group_id": self.escalation_group.id})
        self.assertFalse(request.with_user(self.approver).can_escalate)
        with self.assertRaises(AccessError):
            request.with_user(self.approver).action_escalate()
        self.assertTrue(request.with_user(self.admin).can_escalate)
        request.with_user(self.admin).action_escalate()
        self.assertEqual(request.approver_group_id, self.escalation_group)
        log = self.escalations(request)
        self.assertEqual(log.user_id, self.admin)
        self.assertIn(self.chief, request.activity_ids.user_id)
        self.assertFalse(request.with_user(self.admin).can_escalate)
        with self.assertRaises(UserError):
            request.with_user(self.admin).action_escalate()

    def test_the_delegates_todos_end_with_the_delegation(self):
        request = self.held_request()
        delegation = self.delegate_to(self.delegate, days=(0, 1))
        self.assertIn(self.delegate, request.activity_ids.user_id)
        # past its last day, the cron takes them back
        with freeze_time(fields.Datetime.now() + timedelta(days=2, hours=1)):
            self.env[REQUEST]._cron_escalate()
            self.assertNotIn(self.delegate, request.activity_ids.user_id)
            self.assertIn(self.approver, request.activity_ids.user_id)
        # archived early: at once
        delegation.with_user(self.approver).write({"date_to": self.today + timedelta(days=3)})
        self.assertIn(self.delegate, request.activity_ids.user_id)
        delegation.with_user(self.approver).active = False
        self.assertNotIn(self.delegate, request.activity_ids.user_id)
        # a delegate holding two to-dos on one request (a reminder of his own, say) and to-dos
        # on another request loses them all
        delegation.with_user(self.approver).active = True
        request.sudo().activity_schedule(
            "mail.mail_activity_data_todo", summary="Reminder", user_id=self.delegate.id
        )
        other = self.held_request()
        self.assertNotEqual(other, request)
        self.assertEqual(len(request.activity_ids.filtered(lambda a: a.user_id == self.delegate)), 2)
        self.assertIn(self.delegate, other.activity_ids.user_id)
        delegation.with_user(self.approver).active = False
        self.assertNotIn(self.delegate, (request | other).activity_ids.user_id)
