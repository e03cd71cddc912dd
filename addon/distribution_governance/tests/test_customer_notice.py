"""Exception-to-customer communication: the revised promise of an exception on its order and the
customer's portal, written only through the exceptions; the customer notice prepared in Odoo's
mail composer from the resolution code's template, in the customer's language, sent to the
order's chatter; refused to those who may not write to the customer."""

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import FlowCase

EXCEPTION = "distribution.exception"
# 23:30 UTC on 15 January: already the 16th in Paris, still the 15th in New York
PROMISE = datetime(2027, 1, 15, 23, 30)
LATER = datetime(2027, 2, 1, 9, 0)


def local_day(env, lang_code, day):
    """`day` as the language's date format writes it (res.lang's strftime pattern)."""
    return day.strftime(env["res.lang"]._lang_get(lang_code).date_format)


class NoticeCase(FlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"]._load_module_terms(["distribution_governance"], ["fr_FR"])
        cls.product.name = "DG Stretch Film"
        cls.product.with_context(lang="fr_FR").name = "Film étirable DG"
        cls.rep = new_test_user(
            env, login="dg_cn_rep", email="rep@example.com", groups="sales_team.group_sale_salesman"
        )
        cls.other_rep = new_test_user(
            env, login="dg_cn_rep2", email="rep2@example.com", groups="sales_team.group_sale_salesman"
        )
        cls.sales_manager = new_test_user(
            env, login="dg_cn_salesmgr", email="sm@example.com", groups="sales_team.group_sale_manager"
        )
        cls.exception_user.email = "picker@example.com"
        cls.warehouse_manager.email = "whm@example.com"
        # the French customer reads their orders on the portal
        cls.portal = new_test_user(env, login="dg_cn_portal", groups="base.group_portal")
        cls.french = cls.portal.partner_id
        cls.french.write(
            {"name": "Client Français", "lang": "fr_FR", "tz": "Europe/Paris", "email": "fr@example.com"}
        )
        cls.english = env["res.partner"].create(
            {"name": "English Customer", "lang": "en_US", "tz": "America/New_York", "email": "en@example.com"}
        )

    def stockout(self, partner, user=None):
        """A confirmed order of 10 with 6 in stock: its stockout exception (4 missing)."""
        free = self.product.with_context(warehouse_id=self.warehouse.id).free_qty
        if free != 6:
            self.set_stock(self.product, 6 - free)
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or self.rep).id,
                "warehouse_id": self.warehouse.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 10})],
            }
        )
        order.action_confirm()
        exc = self.exceptions(sale_order_id=order.id, type_code="stockout")
        self.assertEqual(len(exc), 1)
        self.assertEqual((exc.quantity_expected, exc.quantity_missing), (10, 4))
        return order, exc

    def composer(self, action, user):
        """The composer the action opens, as the client creates it from the action's context."""
        return self.env["mail.compose.message"].with_user(user).with_context(action["context"]).create({})


@tagged("post_install", "-at_install")
class TestCustomerNotice(NoticeCase):
    def test_the_codes_that_notify_customers_carry_their_template(self):
        expected = {
            ("stockout", "replenish"): "mail_template_dg_new_promise_date",
            ("damaged_goods", "replacement"): "mail_template_dg_new_promise_date",
            ("short_pick", "backorder"): "mail_template_dg_backorder",
            ("stockout", "partial_ok"): "mail_template_dg_backorder",
            ("stockout", "substituted"): "mail_template_dg_substitution_offer",
        }
        codes = self.env["distribution.exception.resolution"].search([("notify_customer", "=", True)])
        self.assertEqual(
            {(c.type_id.code, c.code): c.customer_template_id.get_external_id()[c.customer_template_id.id]
             for c in codes},
            {key: f"distribution_governance.{xmlid}" for key, xmlid in expected.items()},
        )
        for code in codes:
            self.assertEqual(code.customer_template_id.model, "sale.order")

    def test_notice_in_french_for_a_french_customer(self):
        order, exc = self.stockout(self.french)
        exc.with_user(self.exception_user).promise_date = PROMISE
        self.assertEqual(order.dg_revised_promise_date, PROMISE)
        exc = exc.with_user(self.exception_user)
        self.assertTrue(exc.can_notify_customer)
        # the order's exception panel offers it too
        panel = exc.get_panel_data("sale.order", order.id)
        self.assertEqual([row["can_notify_customer"] for row in panel["exceptions"]], [True])
        action = exc.action_notify_customer()
        ctx = action["context"]
        template = self.env.ref("distribution_governance.mail_template_dg_new_promise_date")
        self.assertEqual(
            (action["res_model"], action["target"], ctx["default_model"], ctx["default_res_ids"],
             ctx["default_template_id"], ctx["default_composition_mode"]),
            ("mail.compose.message", "new", "sale.order", [order.id], template.id, "comment"),
        )
        composer = self.composer(action, self.exception_user)
        self.assertEqual(composer.lang, "fr_FR")
        self.assertEqual(composer.partner_ids, self.french)
        self.assertEqual(
            composer.subject,
            f"{order.company_id.name} : nouvelle date de livraison pour votre commande {order.name}",
        )
        body = str(composer.body)
        for text in (
            "Bonjour Client Français",
            "ne pourra pas être livrée à la date promise initialement",
            order.name,
            "Film étirable DG",
            "Nous vous la promettons désormais pour le",
            # Paris is already on the 16th
            local_day(self.env, "fr_FR", date(2027, 1, 16)),
        ):
            self.assertIn(text, body)
        self.assertNotIn("We now promise", body)
        self.assertNotIn("DG Stretch Film", body)

    def test_notice_in_english_for_an_english_customer(self):
        order, exc = self.stockout(self.english)
        exc.with_user(self.exception_user).promise_date = PROMISE
        composer = self.composer(
            exc.with_user(self.exception_user).action_notify_customer(), self.exception_user
        )
        self.assertEqual(composer.lang, "en_US")
        self.assertEqual(composer.partner_ids, self.english)
        self.assertEqual(
            composer.subject, f"{order.company_id.name}: new delivery date for your order {order.name}"
        )
        body = str(composer.body)
        for text in (
            "cannot be delivered on the date we first promised",
            order.name,
            "DG Stretch Film",
            "We now promise it for",
            # New York is still on the 15th
            local_day(self.env, "en_US", date(2027, 1, 15)),
        ):
            self.assertIn(text, body)
        self.assertNotIn("Film étirable", body)

    def test_sending_posts_on_the_order_to_the_customer(self):
        order, exc = self.stockout(self.french)
        exc.with_user(self.exception_user).promise_date = PROMISE
        action = exc.with_user(self.exception_user).action_notify_customer()
        before = order.message_ids
        # nothing is sent until the composer is
        self.assertFalse(
            (order.message_ids - before).filtered(lambda m: m.message_type == "comment")
        )
        self.composer(action, self.exception_user).action_send_mail()
        message = (order.message_ids - before).filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        # sent by the user, from the order's salesperson (the template's sender, as Odoo's own)
        self.assertEqual(message.create_uid, self.exception_user)
        self.assertEqual(message.author_id, self.rep.partner_id)
        self.assertIn(self.french, message.partner_ids)
        self.assertIn("Film étirable DG", str(message.body))
        self.assertIn(local_day(self.env, "fr_FR", date(2027, 1, 16)), str(message.body))
        # emailed to the customer (the mail itself is deleted once sent)
        emailed = message.sudo().notification_ids.filtered(lambda n: n.notification_type == "email")
        self.assertIn(self.french, emailed.res_partner_id)
        self.assertIn("Customer notice sent on %s" % order.name, exc.message_ids[0].body)

    def test_backorder_notice_names_the_quantities(self):
        order, exc = self.stockout(self.english)
        code = self.resolution("stockout", "partial_ok")
        exc.with_user(self.exception_user).write({"promise_date": LATER})
        result = exc.with_user(self.exception_user).action_resolve(code.id, "")
        body = str(self.composer(result["params"]["next"], self.exception_user).body)
        self.assertIn("we ship 6.00 Units of the 10.00 Units ordered; the remaining 4.00 Units", body)
        self.assertIn(local_day(self.env, "en_US", date(2027, 2, 1)), body)

    def test_resolving_with_a_notifying_code_opens_the_notice(self):
        order, exc = self.stockout(self.french)
        Wizard = self.env["distribution.exception.resolve.wizard"].with_user(self.exception_user)
        wizard = Wizard.with_context(active_model=EXCEPTION, active_ids=exc.ids).create(
            {
                "resolution_id": self.resolution("stockout", "substituted").id,
                "note": "Offered the 30 µm film",
                "promise_date": LATER,
            }
        )
        result = wizard.action_resolve()
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(order.dg_revised_promise_date, LATER)
        action = result["params"]["next"]
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(
            action["context"]["default_template_id"],
            self.env.ref("distribution_governance.mail_template_dg_substitution_offer").id,
        )
        body = str(self.composer(action, self.exception_user).body)
        self.assertIn("Nous pouvons vous proposer un produit équivalent", body)
        self.assertIn("Film étirable DG", body)

    def test_resolving_with_a_silent_code_just_closes(self):
        order, exc = self.stockout(self.french)
        panel = exc.with_user(self.exception_user).get_panel_data("sale.order", order.id)
        self.assertEqual([row["can_notify_customer"] for row in panel["exceptions"]], [False])
        result = exc.with_user(self.exception_user).action_resolve(
            self.resolution("stockout", "stock_found").id
        )
        self.assertEqual(result["params"]["next"], {"type": "ir.actions.act_window_close"})
        # resolved without a promise nor a notifying code: nothing to tell
        self.assertFalse(exc.with_user(self.exception_user).can_notify_customer)
        with self.assertRaises(UserError):
            exc.with_user(self.exception_user).action_notify_customer()

    def test_refused_to_who_may_not_write_to_the_customer(self):
        order, exc = self.stockout(self.french)
        exc.with_user(self.exception_user).promise_date = PROMISE
        # a salesperson limited to his own orders owns an exception of a colleague's order
        exc.sudo().owner_id = self.other_rep
        self.assertTrue(exc.with_user(self.other_rep).has_access("read"))
        self.assertFalse(exc.with_user(self.other_rep).can_notify_customer)
        with self.assertRaises(AccessError):
            exc.with_user(self.other_rep).action_notify_customer()
        # the order's own salesperson may
        self.assertTrue(exc.with_user(self.rep).can_notify_customer)
        self.assertEqual(
            exc.with_user(self.rep).action_notify_customer()["context"]["default_res_ids"], order.ids
        )
        with self.assertRaises(AccessError):
            exc.with_user(self.portal).action_notify_customer()
        # nothing to tell without an order
        manual = self.env[EXCEPTION].create(
            {"type_id": exc.type_id.id, "product_id": self.product.id, "quantity_missing": 1}
        )
        self.assertFalse(manual.with_user(self.warehouse_manager).can_notify_customer)
        with self.assertRaises(UserError):
            manual.with_user(self.warehouse_manager).action_notify_customer()
        # nor about a cancelled order
        order._action_cancel()
        self.assertFalse(exc.with_user(self.rep).can_notify_customer)
        with self.assertRaises(UserError):
            exc.with_user(self.rep).action_notify_customer()

    def test_a_sent_notice_is_not_logged_on_an_exception_of_another_order(self):
        order, exc = self.stockout(self.french)
        other_order, other = self.stockout(self.english)
        exc.with_user(self.exception_user).promise_date = PROMISE
        action = exc.with_user(self.exception_user).action_notify_customer()
        action["context"]["dg_exception_id"] = other.id
        self.composer(action, self.exception_user).action_send_mail()
        self.assertFalse(other.message_ids.filtered(lambda m: "Customer notice sent" in str(m.body)))


@tagged("post_install", "-at_install")
class TestRevisedPromise(NoticeCase):
    def test_order_shows_the_latest_promise_of_its_live_exceptions(self):
        order, exc = self.stockout(self.french)
        exc.with_user(self.exception_user).promise_date = PROMISE
        self.assertEqual(order.dg_revised_promise_date, PROMISE)
        self.assertIn("Revised promise", order.message_ids[0].body)
        second = self.env[EXCEPTION].create(
            {"type_id": exc.type_id.id, "sale_order_id": order.id, "product_id": self.product.id}
        )
        second.with_user(self.exception_user).promise_date = LATER
        self.assertEqual(order.dg_revised_promise_date, LATER)
        second.with_user(self.warehouse_manager).action_cancel("Counted wrong")
        self.assertEqual(order.dg_revised_promise_date, PROMISE)
        exc.with_user(self.exception_user).promise_date = False
        self.assertFalse(order.dg_revised_promise_date)

    def test_who_may_revise_the_promise_of_an_exception(self):
        order, exc = self.stockout(self.french)
        # the order's salesperson works its exception
        exc.with_user(self.rep).promise_date = PROMISE
        self.assertEqual(order.dg_revised_promise_date, PROMISE)
        # a colleague limited to his own orders does not even see it
        with self.assertRaises(AccessError):
            exc.with_user(self.other_rep).promise_date = LATER
        with self.assertRaises(AccessError):
            exc.with_user(self.portal).promise_date = LATER
        exc.with_user(self.exception_user).action_resolve(self.resolution("stockout", "stock_found").id)
        # closed: only an exception manager
        with self.assertRaises(AccessError):
            exc.with_user(self.exception_user).promise_date = LATER
        exc.with_user(self.warehouse_manager).promise_date = LATER
        self.assertEqual(order.dg_revised_promise_date, LATER)
        # no order: nothing to promise
        manual = self.env[EXCEPTION].create({"type_id": exc.type_id.id})
        with self.assertRaises(AccessError):
            manual.with_user(self.warehouse_manager).promise_date = LATER
        with self.assertRaises(AccessError):
            self.env[EXCEPTION].with_user(self.warehouse_manager).create(
                {"type_id": exc.type_id.id, "promise_date": LATER}
            )

    def test_the_order_field_is_written_through_the_exceptions_only(self):
        order, exc = self.stockout(self.french)
        exc.with_user(self.exception_user).promise_date = PROMISE
        for user in (self.rep, self.exception_user, self.sales_manager, self.warehouse_manager):
            Order = self.env["sale.order"].with_user(user)
            # they may write the order itself...
            order.with_user(user).client_order_ref = f"ref {user.login}"
            # ...not its revised promise
            with self.assertRaises(AccessError):
                order.with_user(user).write({"dg_revised_promise_date": LATER})
            with self.assertRaises(AccessError):
                Order.create({"partner_id": self.french.id, "dg_revised_promise_date": LATER})
            with self.assertRaises(AccessError):
                Order.with_context(default_dg_revised_promise_date=LATER).create(
                    {"partner_id": self.french.id}
                )
            if user.has_group("sales_team.group_sale_salesman"):
                with self.assertRaises(AccessError):
                    order.with_user(user).copy({"dg_revised_promise_date": LATER})
                self.assertFalse(order.with_user(user).copy().dg_revised_promise_date)
            result = Order.load([".id", "dg_revised_promise_date"], [[str(order.id), "2027-03-01 00:00:00"]])
            self.assertFalse(result["ids"])
            self.assertTrue(result["messages"])
            self.assertEqual(order.dg_revised_promise_date, PROMISE)
        with self.assertRaises(AccessError):
            order.with_user(self.portal).write({"dg_revised_promise_date": LATER})
        self.assertEqual(order.dg_revised_promise_date, PROMISE)


@tagged("post_install", "-at_install")
class TestRevisedPromiseOnPortal(HttpCase):
    def test_the_customer_reads_the_revised_promise_on_the_portal(self):
        env = self.env
        product = env["product.product"].create({"name": "DG Portal Film", "is_storable": True})
        portal = new_test_user(env, login="dg_cn_portal_http", password="dg_cn_portal_http",
                               groups="base.group_portal")
        portal.partner_id.write({"tz": "Europe/Paris", "email": "portal@example.com"})
        picker = new_test_user(env, login="dg_cn_picker_http", groups="stock.group_stock_user")
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": portal.partner_id.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})],
                }
                for __ in range(2)
            ]
        )
        orders.action_confirm()
        exc = env[EXCEPTION].search([("sale_order_id", "=", orders[0].id)])
        self.assertEqual(exc.type_code, "stockout")
        exc.with_user(picker).promise_date = PROMISE
        self.authenticate(portal.login, portal.login)
        shown = local_day(env, "en_US", date(2027, 1, 16))  # the customer's day in Paris
        response = self.url_open(orders[0].get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Revised Delivery Date", response.text)
        self.assertIn(shown, response.text)
        response = self.url_open(orders[1].get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Revised Delivery Date", response.text)


@tagged("post_install", "-at_install", "is_tour")
class TestCustomerNoticeTour(HttpCase):
    def test_resolve_then_send_the_notice_in_the_web_client(self):
        env = self.env
        env["res.lang"]._activate_lang("fr_FR")
        env["ir.module.module"]._load_module_terms(["distribution_governance"], ["fr_FR"])
        product = env["product.product"].create({"name": "DG Tour Film", "is_storable": True})
        customer = env["res.partner"].create(
            {"name": "Client Tour", "lang": "fr_FR", "tz": "Europe/Paris", "email": "tour@example.com"}
        )
        picker = new_test_user(env, login="dg_cn_tour", email="tour.picker@example.com",
                               groups="stock.group_stock_user")
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 5})],
            }
        )
        order.action_confirm()
        exc = env[EXCEPTION].search([("sale_order_id", "=", order.id)])
        self.assertEqual(exc.type_code, "stockout")
        exc.with_user(picker).promise_date = PROMISE
        self.start_tour(
            f"/odoo/action-distribution_governance.action_distribution_exception/{exc.id}",
            "distribution_governance_customer_notice_tour",
            login=picker.login,
        )
        self.assertEqual(
            (exc.state, exc.resolution_id.code, exc.resolved_by_id), ("resolved", "substituted", picker)
        )
        sent = order.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(sent), 1)
        self.assertIn(customer, sent.partner_ids)
        self.assertIn("Nous pouvons vous proposer un produit équivalent", str(sent.body))
        self.assertIn(local_day(env, "fr_FR", date(2027, 1, 16)), str(sent.body))
        self.assertTrue(exc.message_ids.filtered(lambda m: "Customer notice sent" in str(m.body)))
