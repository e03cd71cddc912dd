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

env.cr.commit()  # noqa: F821
print(
    "bench master data:",
    Warehouse.search_count([("company_id", "=", company.id)]),
    "warehouses,",
    Partner.search_count([("ref", "=like", "BENCH-%")]),
    "partners,",
    Product.search_count([("default_code", "=like", "BENCH-P%")]),
    "products",
)
