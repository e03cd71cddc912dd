# Master data of the benchmark databases, made through the ORM so warehouses get their locations,
# picking types, routes and sequences exactly as Odoo makes them. Run by `npm run bench` as
#   odoo_bin shell -d dg_bench_<size> --no-http < scripts/bench/master_data.py
# (`env` is the shell's superuser environment). Idempotent: a second run changes nothing.
# The volume (orders, pickings, moves) is then made in SQL by scripts/bench/generate.sql.
import random

CUSTOMERS = 1500
VENDORS = 40
PRODUCTS = 300
WAREHOUSES = [("Bench North", "BN"), ("Bench South", "BS")]

rng = random.Random(42)
company = env.company  # noqa: F821 (provided by odoo shell)
# the bench's browser user has seen Odoo before: no onboarding tour over the dashboards
admin = env.ref("base.user_admin")  # noqa: F821
if "tour_enabled" in admin._fields:
    admin.tour_enabled = False

Warehouse = env["stock.warehouse"]  # noqa: F821
for name, code in WAREHOUSES:
    if not Warehouse.search_count([("code", "=", code), ("company_id", "=", company.id)]):
        Warehouse.create({"name": name, "code": code, "company_id": company.id})

Partner = env["res.partner"]  # noqa: F821
if not Partner.search_count([("ref", "=like", "BENCH-C%")]):
    Partner.create(
        [
            {
                "name": f"Bench Customer {i:04d}",
                "ref": f"BENCH-C{i:04d}",
                "is_company": True,
                "customer_rank": 1,
                "city": rng.choice(["Lyon", "Porto", "Gent", "Leeds", "Graz", "Turin"]),
            }
            for i in range(1, CUSTOMERS + 1)
        ]
    )
if not Partner.search_count([("ref", "=like", "BENCH-V%")]):
    Partner.create(
        [
            {
                "name": f"Bench Vendor {i:02d}",
                "ref": f"BENCH-V{i:02d}",
                "is_company": True,
                "supplier_rank": 1,
            }
            for i in range(1, VENDORS + 1)
        ]
    )

Product = env["product.product"]  # noqa: F821
if not Product.search_count([("default_code", "=like", "BENCH-P%")]):
    parent = env.ref("product.product_category_all")  # noqa: F821
    categories = env["product.category"].create(  # noqa: F821
        [{"name": f"Bench Family {c}", "parent_id": parent.id} for c in "ABCDEFGH"]
    )
    values = []
    for i in range(1, PRODUCTS + 1):
        cost = round(rng.uniform(2, 400), 2)
        values.append(
            {
                "name": f"Bench Item {i:04d}",
                "default_code": f"BENCH-P{i:04d}",
                "type": "consu",
                "is_storable": True,
                "categ_id": categories[i % len(categories)].id,
                "standard_price": cost,
                "list_price": round(cost * rng.uniform(1.2, 1.8), 2),
                "sale_ok": True,
                "purchase_ok": True,
            }
        )
    Product.create(values)

# Users of the governance volume (generate.sql): a sales rep limited to his own documents,
# an exception manager who also decides credit holds, salespeople who file the credit
# requests, credit approvers, and warehouse staff who own exceptions. Password = login.
USERS = [
    ("bench_rep", "Bench Rep", ["sales_team.group_sale_salesman"]),
    (
        "bench_manager",
        "Bench Manager",
        ["stock.group_stock_manager", "sales_team.group_sale_salesman_all_leads"],
    ),
    *[
        (f"bench_sales_{i}", f"Bench Sales {i}", ["sales_team.group_sale_salesman_all_leads"])
        for i in range(1, 5)
    ],
    *[
        (f"bench_credit_{i}", f"Bench Credit {i}", ["distribution_governance.group_override_approver"])
        for i in range(1, 4)
    ],
    *[(f"bench_wh_{i:02d}", f"Bench Warehouse {i:02d}", ["stock.group_stock_user"]) for i in range(1, 13)],
]
Users = env["res.users"].with_context(no_reset_password=True)  # noqa: F821
for login, name, groups in USERS:
    if not Users.search_count([("login", "=", login)]):
        Users.create(
            {
                "name": name,
                "login": login,
                "password": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, [env.ref(g).id for g in groups])],  # noqa: F821
            }
        )

env.cr.commit()  # noqa: F821
print(
    "bench master data:",
    Warehouse.search_count([("company_id", "=", company.id)]),
    "warehouses,",
    Partner.search_count([("ref", "=like", "BENCH-%")]),
    "partners,",
    Product.search_count([("default_code", "=like", "BENCH-P%")]),
    "products,",
    Users.search_count([("login", "=like", "bench\\_%")]),
    "users",
)
