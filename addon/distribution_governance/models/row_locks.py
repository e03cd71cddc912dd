import logging

import psycopg2

from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)


def lock_free_rows(records):
    """The part of `records` this transaction holds row locks on, for a cron to process.

    Each row is locked on its own (FOR UPDATE SKIP LOCKED) and left out when another
    transaction holds it, or when one changed it and committed after this transaction began:
    Odoo's REPEATABLE READ refuses to lock such a row, and one statement for the whole batch
    would fail the cron run on a single row a user (or a parallel cron worker) just touched.
    The rows left out are up to date for the next run, which decides on them again.
    """
    cr = records.env.cr
    locked = []
    for record_id in records.ids:
        try:
            with cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
                        SQL.identifier(records._table),
                        record_id,
                    )
                )
                if cr.fetchone():
                    locked.append(record_id)
        except psycopg2.errors.SerializationFailure:
            continue
    return records.browse(locked)


def unless_changed(cr, write, what):
    """Run `write()` all or nothing (a savepoint); whether it ran. Not when it met rows that
    another transaction changed and committed after this one began, or still holds and then
    commits (Odoo's REPEATABLE READ refuses them: a serialization failure), or a deadlock
    with such a transaction: the cron goes on without it and leaves `what` to its next run,
    rather than failing the whole run (ir.cron retries nothing). Its statements should be
    executed with log_exceptions=False."""
    try:
        with cr.savepoint(flush=False):
            write()
    except psycopg2.extensions.TransactionRollbackError as error:
        _logger.info("%s changed by another transaction, left to the next run: %s", what, error)
        return False
    return True
