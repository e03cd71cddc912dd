from odoo.tests import TransactionCase, tagged

from ..models.row_locks import lock_free_rows


@tagged("post_install", "-at_install")
class TestCronRowLocks(TransactionCase):
    """The crons' row locking: a row busy in another transaction waits for the next run
    instead of being processed twice or failing the whole run (two cron workers, or a cron
    and a user, on the same rows)."""

    def setUp(self):
        super().setUp()
        # rows committed before this test's transaction began, which it has not touched
        self.bot = self.env.ref("base.partner_root")
        self.public = self.env.ref("base.public_partner")

    def test_a_row_locked_elsewhere_is_skipped(self):
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", [self.bot.id])
            self.assertEqual(lock_free_rows(self.bot | self.public), self.public)
            other.rollback()

    def test_a_row_changed_since_the_run_began_is_skipped(self):
        self.cr.execute("SELECT 1")  # this transaction's snapshot is taken
        with self.registry.cursor() as other:
            # a committed change that leaves the row as it was, in a newer version
            other.execute(
                "UPDATE res_partner SET write_date = write_date WHERE id = %s", [self.bot.id]
            )
            other.commit()
        # REPEATABLE READ refuses to lock it; one batch statement would fail the whole run
        self.assertEqual(lock_free_rows(self.bot | self.public), self.public)
        # the rows it did lock stay locked for this transaction
        with self.registry.cursor() as other:
            other.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE SKIP LOCKED", [self.public.id]
            )
            self.assertFalse(other.fetchall())
            other.rollback()
