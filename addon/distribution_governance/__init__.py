from . import models
from . import wizards


def uninstall_hook(env):
    # The append-only trigger's function lives outside the audit table Odoo drops.
    env.cr.execute("DROP FUNCTION IF EXISTS distribution_audit_log_append_only() CASCADE")
    # the credit hold's serialization table is plain SQL (models/credit_hold.py)
    env.cr.execute("DROP TABLE IF EXISTS distribution_credit_lock")
    # the credit exposure's functions (models/credit_exposure.py)
    env.cr.execute("DROP FUNCTION IF EXISTS dg_credit_receivables(integer, integer, date)")
    env.cr.execute(
        "DROP FUNCTION IF EXISTS dg_credit_uninvoiced(integer, integer, integer, integer[])"
    )
    # indexes the addon put on tables of Odoo's, which outlive the module otherwise
    env.cr.execute("DROP INDEX IF EXISTS stock_picking_dg_date_done_idx")
    env.cr.execute("DROP INDEX IF EXISTS stock_move_dg_inventory_date_idx")
    env.cr.execute("DROP INDEX IF EXISTS stock_move_dg_done_date_idx")
    env.cr.execute("DROP INDEX IF EXISTS sale_order_dg_date_order_idx")
    env.cr.execute("DROP INDEX IF EXISTS account_move_dg_credit_note_idx")
    env.cr.execute("DROP INDEX IF EXISTS sale_order_line_dg_open_idx")
    env.cr.execute("DROP INDEX IF EXISTS sale_order_dg_create_uid_idx")
    env.cr.execute("DROP INDEX IF EXISTS account_move_dg_receivable_idx")
    env.cr.execute("DROP INDEX IF EXISTS account_move_dg_draft_idx")
    # Exceptions keep their type (ondelete restrict), so Odoo's removal of the module's data
    # would fail on every type in use and log each failure as an error before dropping the
    # tables anyway; the exceptions go first, as the tables will.
    env.cr.execute("DELETE FROM distribution_exception")
