"""Whether a user's record rules narrow what they read of a model within their companies.

The daily snapshots are computed by the cron as superuser over whole companies. They give a
user's figures only when the user reads every record of the companies shown: when the record
rules that apply to them (Odoo's `ir.rule._get_rules`) are, for each of those companies, true
of any record of it. Global rules are AND-ed and must each hold; group rules are OR-ed, so one
that holds for everything (`[(1, '=', 1)]`, e.g. "All Orders" of a sales manager) is enough.
Any other condition — own documents, a document type, a follower — narrows: such users get
their figures computed live through the ORM (`_search` applies their rules), never from the
snapshots. Deciding "narrowed" when unsure only costs speed, never exactness.
"""

from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

COMPANY_FIELDS = ("company_id",)


def _leaf_holds(leaf, company_id):
    """True / False for a leaf over the company of a record of `company_id`; None when the
    leaf is about anything else."""
    if leaf == expression.TRUE_LEAF:
        return True
    if leaf == expression.FALSE_LEAF:
        return False
    left, operator, right = leaf
    if left not in COMPANY_FIELDS:
        return None
    values = right if isinstance(right, (list, tuple)) else [right]
    if operator == "in":
        return company_id in values
    if operator == "not in":
        return company_id not in values
    if operator == "=":
        return right == company_id
    if operator == "!=":
        return right != company_id
    return None


def domain_holds(domain, company_id):
    """Whether a normalized domain (prefix notation) holds for every record of the company:
    True, False, or None when it depends on more than the company."""
    stack = []
    for item in reversed(domain):
        if item == "!":
            value = stack.pop()
            stack.append(None if value is None else not value)
        elif item in ("&", "|"):
            first, second = stack.pop(), stack.pop()
            if item == "&":
                value = False if False in (first, second) else (None if None in (first, second) else True)
            else:
                value = True if True in (first, second) else (None if None in (first, second) else False)
            stack.append(value)
        else:
            stack.append(_leaf_holds(item, company_id))
    return stack[0] if stack else True


def rules_narrow(env, model_name, company_ids):
    """Whether the read rules of env's user on `model_name` hide records of `company_ids`."""
    if env.su:
        return False
    model = env[model_name]
    if any(rules_narrow(env, parent, company_ids) for parent in model._inherits):
        return True
    Rule = env["ir.rule"]
    rules = Rule._get_rules(model_name, "read")
    if not rules:
        return False
    context = Rule._eval_context()
    user_groups = env.user.groups_id
    group_domains = []
    for rule in rules.sudo():
        domain = expression.normalize_domain(
            safe_eval(rule.domain_force, context) if rule.domain_force else []
        )
        if not rule.groups:
            if not all(domain_holds(domain, company) is True for company in company_ids):
                return True
        elif rule.groups & user_groups:
            group_domains.append(domain)
    if not group_domains:
        return False
    return not any(
        all(domain_holds(domain, company) is True for company in company_ids)
        for domain in group_domains
    )
