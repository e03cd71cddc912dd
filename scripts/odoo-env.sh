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
# The folder holding distribution_governance (e.g. a snapshot of a commit while the tree changes).
export DG_ADDON_ROOT="${DG_ADDON_ROOT:-$REPO_ROOT/addon}"
export ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$DG_ADDON_ROOT"
# Everything the addon depends on; installed before the addon so the Apps-list e2e starts from it.
export DG_DEPENDS="sale_management,sale_stock,purchase_stock,account"

# `odoo_bin [shell] OPTIONS`: Odoo with this repository's addons path and database settings.
odoo_bin() {
    local command=()
    if [ "${1:-}" = shell ]; then command=(shell) && shift; fi
    "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" "${command[@]}" --addons-path="$ADDONS_PATH" \
        --data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" "$@"
}
