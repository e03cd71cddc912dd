"""Checks of the arguments the public methods receive over RPC.

A client may send anything: a string where an id belongs, a list instead of a text, a 10 MB
reason. Each check turns such input into a UserError with a clear message before any write,
instead of a TypeError or a database error deep in the ORM.
"""

from datetime import date

from odoo import fields
from odoo.exceptions import MissingError, UserError

# Longest reason or note a decision accepts; chatter and audit entries stay readable.
MAX_TEXT_LENGTH = 10000
# Most ids one action may carry (a selection in a list, the records a wizard works on).
MAX_IDS = 2000
# Ids are PostgreSQL integers: a larger number names no record, and written into a
# many2one column it fails as "integer out of range".
MAX_ID = 2**31 - 1
# Dates a user may ask KPIs for: any real history, and far enough from Python's date limits
# (years 1 and 9999) that the previous period and the baseline, which go back up to a year and
# a month before the start, stay computable.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)


def is_id(value):
    # bool is an int in Python: True must not pass for record 1
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def one_record(records, message):
    """`records` (those an RPC was called on) as one existing record: UserError(message)
    unless exactly one valid id was given, MissingError when it no longer exists."""
    # an abstract model (a mixin called by its own name) has no table to look the id up in
    if records._abstract or len(records._ids) != 1 or not is_id(records._ids[0]):
        raise UserError(message)
    if not records.exists():
        raise MissingError(records.env._("This record no longer exists; reload the page."))
    return records


def record_id(env, value, message):
    """`value` as a record id, or UserError(message) when it is not a positive integer."""
    if not is_id(value):
        raise UserError(message)
    return value


def id_list(env, value, what):
    """`value` as a list of record ids (at most MAX_IDS)."""
    if not isinstance(value, (list, tuple)) or not all(is_id(v) for v in value):
        raise UserError(env._("%s must be a list of record ids.", what))
    if len(value) > MAX_IDS:
        raise UserError(
            env._("%(what)s holds too many ids (at most %(max)s).", what=what, max=MAX_IDS)
        )
    return list(value)


def text(env, value, what, required=False):
    """`value` as a stripped text ("" when empty), refusing other types and huge texts."""
    if value is None or value is False:
        value = ""
    if not isinstance(value, str):
        raise UserError(env._("%s must be a text.", what))
    if len(value) > MAX_TEXT_LENGTH:
        raise UserError(
            env._(
                "%(what)s is too long (at most %(max)s characters).",
                what=what,
                max=MAX_TEXT_LENGTH,
            )
        )
    value = value.strip()
    if required and not value:
        raise UserError(env._("%s is required.", what))
    return value


def day(env, value, what, earliest=MIN_DATE, latest=MAX_DATE):
    """`value` (a date or a "YYYY-MM-DD" text) as a date between `earliest` and `latest`."""
    try:
        parsed = fields.Date.to_date(value) if isinstance(value, (str, date)) else None
    except ValueError:
        parsed = None
    if not parsed:
        raise UserError(env._("%s must be a date (YYYY-MM-DD).", what))
    if not earliest <= parsed <= latest:
        raise UserError(
            env._(
                "%(what)s must lie between %(min)s and %(max)s.",
                what=what,
                min=earliest.isoformat(),
                max=latest.isoformat(),
            )
        )
    return parsed


def period(env, date_from, date_to, max_days, earliest=MIN_DATE, latest=MAX_DATE):
    """(start, end) dates of a period of at most `max_days` days, both included."""
    start = day(env, date_from, env._("The start date"), earliest, latest)
    end = day(env, date_to, env._("The end date"), earliest, latest)
    if end < start:
        raise UserError(env._("The period's start must be on or before its end."))
    if (end - start).days >= max_days:
        raise UserError(env._("A period can span at most %s days.", max_days))
    return start, end
