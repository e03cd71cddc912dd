from odoo.tests import new_test_user, tagged

from .common import CreditCase

MENUS = (
    "menu_overview",
    "menu_exceptions_root",
    "menu_exceptions",
    "menu_all_exceptions",
    "menu_approvals_root",
    "menu_approvals",
    "menu_all_approval_requests",
    "menu_reporting",
    "menu_kpi_dashboard",
    "menu_exception_analysis",
    "menu_audit_log",
    "menu_governance_configuration",
    "menu_run_master_data_checks",
)
# menu -> roles that see it (the rest of the app's menus are for every governance user)
RESTRICTED = {
    "menu_approvals": {"manager", "finance", "admin", "sysadmin"},
    "menu_audit_log": {"manager", "finance", "admin", "sysadmin"},
    "menu_governance_configuration": {"manager", "admin", "sysadmin"},
    "menu_run_master_data_checks": {"manager", "admin", "sysadmin"},
}


@tagged("post_install", "-at_install")
class TestMenus(CreditCase):
    """The app's menus, the Odoo way: Overview · Exceptions · Approvals · Reporting ·
    Configuration, each entry shown to the roles it serves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sysadmin = new_test_user(cls.env, login="dg_menu_sysadmin", groups="base.group_system")
        cls.roles = {
            "sales": cls.rep,
            "warehouse": cls.warehouse_user,
            "manager": cls.approver,
            "finance": cls.finance,
            "admin": cls.admin,
            "sysadmin": cls.sysadmin,
        }

    def visible(self, user):
        ids = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return {
            name
            for name in MENUS
            if self.env.ref(f"distribution_governance.{name}").id in ids
        }

    def test_each_role_sees_its_menus(self):
        for role, user in self.roles.items():
            expected = {
                name for name in MENUS if role in RESTRICTED.get(name, {role})
            }
            with self.subTest(role=role):
                self.assertEqual(self.visible(user), expected)

    def test_run_master_data_checks_shows_for_admins_and_managers_and_runs(self):
        """It never showed: its server action ran on the checks' abstract model, which no one
        may read, so the menu hid it even from the administrator."""
        for user in (self.sysadmin, self.admin, self.approver):
            self.assertIn("menu_run_master_data_checks", self.visible(user), user.login)
        action = self.env.ref("distribution_governance.action_menu_run_master_data_checks")
        result = action.with_user(self.approver).run()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("findings", result["params"]["message"])

    def test_five_entries_at_the_top(self):
        root = self.env.ref("distribution_governance.menu_distribution_governance_root")
        top = root.with_user(self.admin).child_id.sorted("sequence").mapped("name")
        self.assertEqual(top, ["Overview", "Exceptions", "Approvals", "Reporting", "Configuration"])
        self.assertEqual(
            root.child_id.sorted("sequence")[0].action,
            self.env.ref("distribution_governance.action_governance_overview"),
            "the app opens on the overview",
        )

    def test_the_apps_page_describes_the_module(self):
        """The module's form in Apps shows its description page (static/description/index.html),
        which the manifest's website also opens as it is."""
        module = self.env["ir.module.module"].search([("name", "=", "distribution_governance")])
        self.assertIn("Distribution Governance", module.description_html)
        self.assertIn("credit", module.description_html.lower())
        self.assertNotIn("font-family", module.description_html, "the page's own styles stay out")
        self.assertTrue(module.website.endswith("/static/description/index.html"))
