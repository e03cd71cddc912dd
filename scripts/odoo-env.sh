# Shared settings of the scripts (sourced). Every value can be overridden from the environment.
export ODOO_SRC="${ODOO_SRC:-$HOME/.cache/odoo/18.0}"
export ODOO_PYTHON="${ODOO_PYTHON:-/usr/bin/python3}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo_dg}"
export PGPASSWORD="${PGPASSWORD:-odoo_dg}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT
# Odoo's default data dir for root and other users; filestores live in $FILESTORE/<db>.
export ODOO_DATA_DIR="${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}"
export FILESTORE="$ODOO_DATA_DIR/filestore"
export ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_ROOT/addon"
# Everything the addon depends on; installed before the addon so the Apps-list e2e starts from it.
export DG_DEPENDS="sale_management,sale_stock,purchase_stock,account"

odoo_bin() {
    "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" \
        --data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" "$@"
}
