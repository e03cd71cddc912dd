/** @odoo-module */
import {
  Component,
  onWillStart,
  useEffect,
  useExternalListener,
  useRef,
  useState
} from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { useTicker } from "@distribution_governance/core/ticker";
import {
  activeFilterCount,
  boardCommand,
  defaultFilters,
  flattenGroups,
  groupRows,
  moveFocus,
  normalizeFilters,
  pruneSelection,
  toServerFilters,
  toggleAll,
  toggleFlag,
  toggleSelection,
  toggleValue
} from "@distribution_governance/exceptions/board_logic";
import {
  canAssign,
  canResolve,
  canTakeOwnership
} from "@distribution_governance/exceptions/guards";
import {
  SEVERITIES,
  STATES,
  severityBadgeClass,
  severityLabel,
  stateBadgeClass,
  stateLabel
} from "@distribution_governance/exceptions/labels";
import { clockSkew } from "@distribution_governance/exceptions/sla";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import { BOARD_FILTERS_CONTEXT_KEY } from "@distribution_governance/exceptions/systray_counters";
import {
  EXCEPTION_MODEL,
  useExceptionWorkflow
} from "@distribution_governance/exceptions/workflow";
class ExceptionBoard extends Component {
  static template = "distribution_governance.ExceptionBoard";
  static components = { SlaCountdown };
  static props = { ...standardActionServiceProps };
  orm;
  notification;
  state;
  ticker;
  workflow;
  rootRef;
  requestSeq = 0;
  severities = SEVERITIES;
  states = STATES;
  setup() {
    this.orm = useService("orm");
    this.notification = useService("notification");
    const restored = this.props.state ?? {};
    const fromContext = this.props.action?.context?.[BOARD_FILTERS_CONTEXT_KEY];
    this.state = useState({
      data: null,
      loading: false,
      filters: normalizeFilters(restored["filters"] ?? fromContext ?? defaultFilters()),
      groupBy: restored["groupBy"] === "state" ? "state" : "type",
      selected: [],
      focusId: typeof restored["focusId"] === "number" ? restored["focusId"] : null,
      assignUserId: null,
      skew: 0
    });
    this.ticker = useTicker(1e4);
    this.workflow = useExceptionWorkflow({
      afterChange: () => this.load(),
      afterFailure: () => this.load()
    });
    this.rootRef = useRef("root");
    useSetupAction({
      getLocalState: () => ({
        filters: { ...this.state.filters },
        groupBy: this.state.groupBy,
        focusId: this.state.focusId
      })
    });
    onWillStart(() => this.load());
    useExternalListener(window, "keydown", (ev) => this.onKeydown(ev));
    useEffect(
      (focusId) => {
        if (focusId !== null) {
          this.rootRef.el?.querySelector(".o_dg_board_row.o_dg_focused")?.scrollIntoView?.({ block: "nearest" });
        }
      },
      () => [this.state.focusId]
    );
  }
  // ------------------------------------------------------------------ data
  async load() {
    const seq = ++this.requestSeq;
    this.state.loading = true;
    try {
      const data = await this.orm.call(EXCEPTION_MODEL, "get_board_data", [
        toServerFilters(this.state.filters)
      ]);
      if (seq !== this.requestSeq) {
        return;
      }
      this.state.data = data;
      this.state.skew = clockSkew(data.server_now, Date.now());
      const ids = data.exceptions.map((r) => r.id);
      this.state.selected = pruneSelection(this.state.selected, ids);
      if (this.state.focusId !== null && !ids.includes(this.state.focusId)) {
        this.state.focusId = null;
      }
      if (!data.users.some((u) => u.id === this.state.assignUserId)) {
        this.state.assignUserId = null;
      }
    } finally {
      if (seq === this.requestSeq) {
        this.state.loading = false;
      }
    }
  }
  // ------------------------------------------------------------------ getters
  get title() {
    return this.props.action?.name || _t("Exceptions");
  }
  get groups() {
    const data = this.state.data;
    return data ? groupRows(data.exceptions, this.state.groupBy, data.types) : [];
  }
  get visibleIds() {
    return flattenGroups(this.groups).map((r) => r.id);
  }
  get canManage() {
    return Boolean(this.state.data && canAssign(this.state.data));
  }
  get allSelected() {
    const ids = this.visibleIds;
    return ids.length > 0 && ids.every((id) => this.state.selected.includes(id));
  }
  get filterCount() {
    return activeFilterCount(this.state.filters);
  }
  get stateFilter() {
    return this.state.filters.states[0] ?? "";
  }
  canTake(row) {
    return Boolean(this.state.data && canTakeOwnership(row, this.state.data));
  }
  canResolve(row) {
    return Boolean(this.state.data && canResolve(row, this.state.data));
  }
  severityLabel(severity) {
    return severityLabel(severity);
  }
  severityClass(severity) {
    return severityBadgeClass(severity);
  }
  stateLabel(state) {
    return stateLabel(state);
  }
  stateClass(state) {
    return stateBadgeClass(state);
  }
  documentName(row) {
    return row.picking && row.picking[1] || row.sale_order && row.sale_order[1] || "";
  }
  // ------------------------------------------------------------------ filters
  async setFilters(filters) {
    this.state.filters = filters;
    await this.load();
  }
  toggleFlag(flag) {
    return this.setFilters(toggleFlag(this.state.filters, flag));
  }
  toggleSeverity(severity) {
    return this.setFilters({
      ...this.state.filters,
      severities: toggleValue(this.state.filters.severities, severity, SEVERITIES)
    });
  }
  onSelectIds(key, ev) {
    const value = Number(ev.target.value);
    return this.setFilters({ ...this.state.filters, [key]: value ? [value] : [] });
  }
  onSelectState(ev) {
    const value = ev.target.value;
    const states = STATES.filter((s) => s === value);
    return this.setFilters({ ...this.state.filters, states });
  }
  clearFilters() {
    return this.setFilters(defaultFilters());
  }
  setGroupBy(groupBy) {
    this.state.groupBy = groupBy;
  }
  // ------------------------------------------------------------------ rows
  openRow(row) {
    this.state.focusId = row.id;
    return this.workflow.open(row);
  }
  toggleRow(id) {
    this.state.selected = toggleSelection(this.state.selected, id);
  }
  toggleAllRows() {
    this.state.selected = toggleAll(this.state.selected, this.visibleIds);
  }
  onAssignUser(ev) {
    const value = Number(ev.target.value);
    this.state.assignUserId = value || null;
  }
  async assignSelected() {
    const userId = this.state.assignUserId;
    const ids = [...this.state.selected];
    if (!userId || !ids.length) {
      return;
    }
    await this.workflow.assign(ids, userId);
    this.state.selected = [];
    const user = this.state.data?.users.find((u) => u.id === userId);
    this.notification.add(_t("%s exception(s) assigned to %s.", ids.length, user?.name ?? ""), {
      type: "success"
    });
  }
  onKeydown(ev) {
    const target = ev.target instanceof HTMLElement ? ev.target : null;
    const command = boardCommand({
      key: ev.key,
      altKey: ev.altKey,
      ctrlKey: ev.ctrlKey,
      metaKey: ev.metaKey,
      targetTag: target?.tagName,
      elsewhere: Boolean(
        target?.isContentEditable || target?.closest(".modal, .o_dialog, .o-dropdown--menu, .o_popover")
      )
    });
    if (!command || !this.state.data) {
      return;
    }
    const ids = this.visibleIds;
    switch (command) {
      case "next":
      case "previous":
        this.state.focusId = moveFocus(
          ids,
          this.state.focusId,
          command === "next" ? 1 : -1
        );
        break;
      case "toggle":
        if (this.canManage && this.state.focusId !== null) {
          this.toggleRow(this.state.focusId);
        }
        break;
      case "open":
        if (this.state.focusId !== null) {
          void this.openRow({ id: this.state.focusId });
        }
        break;
    }
    ev.preventDefault();
  }
}
registry.category("actions").add("distribution_governance.exception_board", ExceptionBoard);
export {
  ExceptionBoard
};
