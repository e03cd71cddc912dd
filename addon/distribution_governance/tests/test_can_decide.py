import random

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CreditCase

REQUEST = "distribution.approval.request"
APPROVER = "distribution_governance.group_override_approver"


@tagged("post_install", "-at_install")
class TestCanDecide(CreditCase):
    """Who may decide a request is said twice: by _refusal, which every decision runs, and by
    the search of can_decide (To Decide, the systray's count), which must stay SQL at 5,000
    pending requests. The two agree on requests and users made to hit each reason alone, and
    on a generated variety of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.large_group = cls.env["res.groups"].create({"name": "DG Large Credit Approvers"})
        cls.users = {
            "rep": cls.rep,
            "approver": cls.approver,
            "approver_b": new_test_user(cls.env, login="dg_cd_approver_b", groups=APPROVER),
            "approver_c": new_test_user(cls.env, login="dg_cd_approver_c", groups=APPROVER),
            # works exceptions, decides nothing of the standard tiers
            "outsider": new_test_user(cls.env, login="dg_cd_outsider", groups="stock.group_stock_user"),
            # decides the large tier only
            "large": new_test_user(
                cls.env,
                login="dg_cd_large",
                groups="distribution_governance.group_exception_user",
                groups_id=[
                    cls.env.ref("distribution_governance.group_exception_user").id,
                    cls.large_group.id,
                ],
            ),
            "admin": cls.admin,
        }
        cls.standard_group = cls.env.ref(APPROVER)

    @classmethod
    def make_request(
        cls, requester="rep", salesperson="rep", creator="rep", at_request="rep",
        order=True, group="standard", changers=(), deciders=(), state="pending",
    ):
        """A request as the credit engine leaves it, its facts chosen: who asked, the order's
        salesperson now and its creator, the salesperson when it was asked, the tier's group,
        who changed the order while it waited, who decided it already."""
        users = cls.users
        sale_order = cls.env["sale.order"]
        if order:
            sale_order = sale_order.with_user(users[creator]).sudo().create(
                {"partner_id": cls.customer.id, "user_id": users[salesperson].id}
            )
        groups = {"standard": cls.standard_group, "large": cls.large_group, None: cls.env["res.groups"]}
        request = cls.env[REQUEST].sudo().create(
            {
                "kind": "credit_override",
                "company_id": cls.company.id,
                "currency_id": cls.company.currency_id.id,
                "requester_id": users[requester].id,
                "salesperson_id": users[at_request].id if at_request else False,
                "sale_order_id": sale_order.id or False,
                "document_ref": sale_order.name or "Manual request",
                "approver_group_id": groups[group].id or False,
                "approvals_required": len(deciders) + 1,
            }
        )
        if changers:
            request.write({"changed_by_ids": [Command.link(users[key].id) for key in changers]})
        for key in deciders:
            request.write(
                {"decision_ids": [Command.create({"user_id": users[key].id, "decision": "approve"})]}
            )
        if state != "pending":
            request.write({"state": state})
        return request

    def decidable_by_rule(self, requests, user):
        return requests.filtered(lambda r: r.state == "pending" and not r.sudo()._refusal(user))

    def assert_agree(self, requests):
        """For every user: the domain finds what _refusal allows, and To Decide (the search
        as the user, with his record rules), its negation and the computed field say so too."""
        Request = self.env[REQUEST]
        scope = [("id", "in", requests.ids)]
        for key, user in self.users.items():
            allowed = self.decidable_by_rule(requests, user)
            found = Request.sudo().search(scope + Request._can_decide_domain(user))
            self.assertEqual(
                found, allowed,
                f"{key}: the domain finds {sorted(found.ids)}, _refusal allows {sorted(allowed.ids)}",
            )
            as_user = Request.with_user(user)
            readable = as_user.search(scope)
            self.assertEqual(as_user.search(scope + [("can_decide", "=", True)]), readable & allowed, key)
            self.assertEqual(as_user.search(scope + [("can_decide", "!=", True)]), readable - allowed, key)
            self.assertEqual(as_user.search(scope + [("can_decide", "=", False)]), readable - allowed, key)
            self.assertEqual(readable.filtered("can_decide"), readable & allowed, key)

    def test_each_reason_alone(self):
        """Each reason refuses its user where nothing else would: dropped from either side, the
        two disagree here."""
        cases = [
            # (what, request, user, may decide)
            ("nothing against", {}, "approver", True),
            ("requester", {"requester": "approver"}, "approver", False),
            # the salesperson now, not the one at request time, when there is an order
            ("salesperson now", {"salesperson": "approver", "at_request": "approver_b"}, "approver", False),
            ("salesperson then", {"salesperson": "approver", "at_request": "approver_b"}, "approver_b", True),
            ("salesperson, no order", {"order": False, "at_request": "approver"}, "approver", False),
            ("no salesperson, no order", {"order": False, "at_request": None}, "approver", True),
            ("creator", {"creator": "approver"}, "approver", False),
            ("changer", {"changers": ["approver"]}, "approver", False),
            ("another changer", {"changers": ["approver_b"]}, "approver", True),
            ("decider", {"deciders": ["approver"]}, "approver", False),
            ("another decider", {"deciders": ["approver_b"]}, "approver", True),
            ("outside the tier's group", {}, "outsider", False),
            ("in the large tier's group", {"group": "large"}, "large", True),
            ("outside the large tier's group", {"group": "large"}, "approver", False),
            ("a request without tier group", {"group": None}, "outsider", True),
            ("administrator", {}, "admin", True),
            ("approved already", {"state": "approved"}, "approver", False),
            ("cancelled", {"state": "cancelled"}, "approver", False),
        ]
        requests = self.env[REQUEST]
        for what, facts, key, expected in cases:
            request = self.make_request(**facts)
            requests |= request
            user = self.users[key]
            with self.subTest(what):
                by_rule = bool(self.decidable_by_rule(request, user))
                by_domain = bool(
                    request.sudo().search([("id", "=", request.id)] + request._can_decide_domain(user))
                )
                self.assertEqual(by_rule, expected, f"_refusal: {what}")
                self.assertEqual(by_domain, expected, f"the domain: {what}")
        self.assert_agree(requests)

    def test_a_generated_variety(self):
        rng = random.Random(12)
        keys = list(self.users)
        requests = self.env[REQUEST]
        for __ in range(40):
            order = rng.random() < 0.8
            requests |= self.make_request(
                requester=rng.choice(keys),
                salesperson=rng.choice(keys),
                creator=rng.choice(keys),
                at_request=rng.choice(keys + [None]),
                order=order,
                group=rng.choice(["standard", "standard", "large", None]),
                changers=rng.sample(keys, rng.choice([0, 0, 1, 2])),
                deciders=rng.sample(keys, rng.choice([0, 0, 1])),
                state=rng.choice(["pending"] * 4 + ["approved", "rejected"]),
            )
        self.assert_agree(requests)
        # the variety lets some users decide some requests and refuses others
        Request = self.env[REQUEST]
        decidable = sum(
            len(Request.sudo().search([("id", "in", requests.ids)] + Request._can_decide_domain(user)))
            for user in self.users.values()
        )
        self.assertTrue(0 < decidable < len(requests) * len(self.users))
