"""Checks of the arguments the public methods receive over RPC.

A client may send anything: a string where an id belongs, a list instead of a text, a 10 MB
reason. Each check turns such input into a UserError with a clear message before any write,
instead of a TypeError or a database error deep in the ORM.
"""

from odoo.exceptions import UserError

# Longest reason or note a decision accepts; chatter and audit entries stay readable.
MAX_TEXT_LENGTH = 10000
# Most ids one filter or action may carry: the board shows at most 2,000 rows.
MAX_IDS = 2000


def is_id(value):
    # bool is an int in Python: True must not pass for record 1
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


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
