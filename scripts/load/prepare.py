# The simulated users of `npm run load`, made in the load database (a copy of a bench
# database: scripts/bench/generate.sql's held quotations with their pending credit requests,
# filed by the bench salespeople, and its open exceptions). Run by scripts/load.ts as
#   odoo_bin shell -d DB --no-http < scripts/load/prepare.py
# with DG_LOAD_USERS (how many). Idempotent. Prints one `DG-LOAD {json}` line: the users with
# their role, per exception type the resolution codes a user may pick without rights beyond
# the exception's (no playbook), and the warehouse's exception types.
#
# Roles, as a distributor's staff (password = login):
#   approver   credit controllers: Override Approver, sales documents of all salespeople;
#   manager    warehouse managers: Inventory Administrator (exception manager and override
#              approver by the addon's groups) and Sales Administrator;
#   warehouse  Inventory User (exception user): the triage board, taking and resolving;
#   rep        salespeople who see all documents: panels of held orders, exceptions, KPIs.
# None of them filed or sells the bench's held orders: segregation of duties lets the approvers
# and managers decide every pending request.
import json
import os

SHARES = [("approver", 0.24), ("manager", 0.08), ("warehouse", 0.44), ("rep", 0.24)]
GROUPS = {
    "approver": [
        "distribution_governance.group_override_approver",
        "sales_team.group_sale_salesman_all_leads",
    ],
    "manager": ["stock.group_stock_manager", "sales_team.group_sale_manager"],
    "warehouse": ["stock.group_stock_user"],
    "rep": ["sales_team.group_sale_salesman_all_leads"],
}

total = int(os.environ.get("DG_LOAD_USERS", "50"))
counts = {role: max(1, round(total * share)) for role, share in SHARES}
counts["warehouse"] += total - sum(counts.values())

company = env.company  # noqa: F821 (provided by odoo shell)
Users = env["res.users"].with_context(no_reset_password=True)  # noqa: F821
users = []
for role, count in counts.items():
    groups = [env.ref(xmlid).id for xmlid in GROUPS[role]]  # noqa: F821
    for n in range(1, count + 1):
        login = f"load_{role}_{n:02d}"
        user = Users.search([("login", "=", login)])
        if not user:
            user = Users.create(
                {
                    "name": f"Load {role.title()} {n:02d}",
                    "login": login,
                    "password": login,
                    "email": f"{login}@example.com",
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                    "groups_id": [(6, 0, groups)],
                    "tz": "Europe/Brussels",
                }
            )
        users.append({"login": login, "role": role, "uid": user.id})

credit_hold = env.ref("distribution_governance.exception_type_credit_hold")  # noqa: F821
resolutions = {}
for resolution in env["distribution.exception.resolution"].search([("playbook", "=", False)]):  # noqa: F821
    resolutions.setdefault(str(resolution.type_id.id), []).append(resolution.id)

# the KPI snapshots the daily and hourly crons keep in a database in use (the dashboard reads
# them; without, every dashboard call would count the whole history)
for model, method in (
    ("distribution.kpi.snapshot", "_cron_snapshot"),
    ("distribution.kpi.snapshot.hour", "_cron_snapshot_hours"),
):
    if model in env and hasattr(env[model], method):  # noqa: F821
        getattr(env[model], method)()  # noqa: F821

# what the warehouse staff filter their board on (the search's Type): the warehouse's types
warehouse_types = [
    type_.id
    for type_ in env["distribution.exception.type"].search(  # noqa: F821
        [("code", "in", ["stockout", "short_pick", "damaged_goods", "return", "late_shipment"])]
    )
    if str(type_.id) in resolutions
]

env.cr.commit()  # noqa: F821
print(
    "DG-LOAD "
    + json.dumps(
        {
            "company_id": company.id,
            "users": users,
            "resolutions": resolutions,
            "credit_hold_type": credit_hold.id,
            "warehouse_types": warehouse_types,
        }
    ),
    flush=True,
)
