from odoo.tests import new_test_user, tagged

from .common import GovernanceCase


@tagged("post_install", "-at_install")
class TestSecurityGroups(GovernanceCase):
    """Odoo's own roles bring the governance roles their jobs need, and nothing more."""

    def assertGroups(self, user, present, absent):
        for xmlid in present:
            self.assertTrue(user.has_group(xmlid), f"{user.login} should be in {xmlid}")
        for xmlid in absent:
            self.assertFalse(user.has_group(xmlid), f"{user.login} should not be in {xmlid}")

    def test_plain_internal_user_has_no_governance_role(self):
        user = new_test_user(self.env, login="dg_plain", groups="base.group_user")
        self.assertGroups(
            user,
            [],
            [
                "distribution_governance.group_exception_user",
                "distribution_governance.group_override_approver",
            ],
        )

    def test_salesman_and_warehouse_user_work_exceptions_but_do_not_approve(self):
        salesman = new_test_user(
            self.env, login="dg_rep", groups="sales_team.group_sale_salesman"
        )
        for user in (salesman, self.warehouse_user):
            self.assertGroups(
                user,
                ["distribution_governance.group_exception_user"],
                [
                    "distribution_governance.group_exception_manager",
                    "distribution_governance.group_override_approver",
                    "distribution_governance.group_governance_admin",
                ],
            )

    def test_warehouse_manager_manages_exceptions_and_approves_overrides(self):
        self.assertGroups(
            self.warehouse_manager,
            [
                "distribution_governance.group_exception_manager",
                "distribution_governance.group_override_approver",
            ],
            ["distribution_governance.group_governance_admin"],
        )

    def test_finance_manager_approves_credit_but_does_not_manage_exceptions(self):
        finance = new_test_user(self.env, login="dg_cfo", groups="account.group_account_manager")
        self.assertGroups(
            finance,
            ["distribution_governance.group_override_approver"],
            ["distribution_governance.group_exception_manager"],
        )

    def test_settings_admin_is_governance_admin(self):
        admin = new_test_user(self.env, login="dg_sysadmin", groups="base.group_system")
        self.assertGroups(
            admin,
            [
                "distribution_governance.group_governance_admin",
                "distribution_governance.group_exception_manager",
                "distribution_governance.group_override_approver",
            ],
            [],
        )

    def test_menu_hidden_from_users_without_governance_role(self):
        menu = self.env.ref("distribution_governance.menu_distribution_governance_root")
        plain = new_test_user(self.env, login="dg_plain2", groups="base.group_user")
        visible_plain = self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids()
        visible_wh = self.env["ir.ui.menu"].with_user(self.warehouse_user)._visible_menu_ids()
        self.assertNotIn(menu.id, visible_plain)
        self.assertIn(menu.id, visible_wh)
