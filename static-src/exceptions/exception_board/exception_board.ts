import {
    Component,
    onWillStart,
    useEffect,
    useExternalListener,
    useRef,
    useState,
} from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { useTicker, type Ticker } from "@distribution_governance/core/ticker";
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
    toggleValue,
    type BoardFilters,
    type BoardFlag,
    type GroupBy,
    type RowGroup,
} from "@distribution_governance/exceptions/board_logic";
import {
    canAssign,
    canResolve,
    canTakeOwnership,
} from "@distribution_governance/exceptions/guards";
import {
    SEVERITIES,
    STATES,
    severityBadgeClass,
    severityLabel,
    stateBadgeClass,
    stateLabel,
} from "@distribution_governance/exceptions/labels";
import { clockSkew } from "@distribution_governance/exceptions/sla";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import { BOARD_FILTERS_CONTEXT_KEY } from "@distribution_governance/exceptions/systray_counters";
import {
    EXCEPTION_MODEL,
    useExceptionWorkflow,
    type ExceptionWorkflow,
} from "@distribution_governance/exceptions/workflow";
import type {
    BoardData,
    ExceptionRow,
    ExceptionState,
    Severity,
} from "@distribution_governance/types/exceptions";
import type { NotificationService, OrmService } from "@distribution_governance/types/services";

export interface ExceptionBoardProps {
    action?: { name?: string; context?: Record<string, unknown> };
    actionId?: number;
    className?: string;
    /** What getLocalState() returned when the user left the board (breadcrumb back). */
    state?: Record<string, unknown>;
}

interface BoardState {
    data: BoardData | null;
    loading: boolean;
    filters: BoardFilters;
    groupBy: GroupBy;
    selected: number[];
    focusId: number | null;
    assignUserId: number | null;
    skew: number;
}

/**
 * Client action `distribution_governance.exception_board`: the triage screen of the daily
 * hypercare meeting. Rows grouped by type or state, filters sent to the server, bulk assignment
 * for managers, j/k/x/Enter keyboard navigation.
 */
export class ExceptionBoard extends Component<ExceptionBoardProps> {
    static template = "distribution_governance.ExceptionBoard";
    static components = { SlaCountdown };
    static props = { ...standardActionServiceProps };

    orm!: OrmService;
    notification!: NotificationService;
    state!: BoardState;
    ticker!: Ticker;
    workflow!: ExceptionWorkflow;
    rootRef!: { el: HTMLElement | null };
    requestSeq = 0;

    readonly severities = SEVERITIES;
    readonly states = STATES;

    setup(): void {
        this.orm = useService("orm");
        this.notification = useService("notification");
        const restored = this.props.state ?? {};
        const fromContext = this.props.action?.context?.[BOARD_FILTERS_CONTEXT_KEY];
        this.state = useState<BoardState>({
            data: null,
            loading: false,
            filters: normalizeFilters(restored["filters"] ?? fromContext ?? defaultFilters()),
            groupBy: restored["groupBy"] === "state" ? "state" : "type",
            selected: [],
            focusId: typeof restored["focusId"] === "number" ? restored["focusId"] : null,
            assignUserId: null,
            skew: 0,
        });
        this.ticker = useTicker(10_000);
        this.workflow = useExceptionWorkflow({
            afterChange: () => this.load(),
            afterFailure: () => this.load(),
        });
        this.rootRef = useRef("root");
        useSetupAction({
            getLocalState: () => ({
                filters: { ...this.state.filters },
                groupBy: this.state.groupBy,
                focusId: this.state.focusId,
            }),
        });
        onWillStart(() => this.load());
        // On the window, like Odoo's hotkeys: keys work wherever the focus is on the board's
        // screen (after a click on a filter, after a dialog closed), not only inside one element.
        useExternalListener(window, "keydown", (ev: Event) => this.onKeydown(ev as KeyboardEvent));
        useEffect(
            (focusId) => {
                if (focusId !== null) {
                    this.rootRef.el
                        ?.querySelector(".o_dg_board_row.o_dg_focused")
                        ?.scrollIntoView?.({ block: "nearest" });
                }
            },
            () => [this.state.focusId],
        );
    }

    // ------------------------------------------------------------------ data

    async load(): Promise<void> {
        const seq = ++this.requestSeq;
        this.state.loading = true;
        try {
            const data = await this.orm.call<BoardData>(EXCEPTION_MODEL, "get_board_data", [
                toServerFilters(this.state.filters),
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

    get title(): string {
        return this.props.action?.name || _t("Exceptions");
    }

    get groups(): RowGroup[] {
        const data = this.state.data;
        return data ? groupRows(data.exceptions, this.state.groupBy, data.types) : [];
    }

    get visibleIds(): number[] {
        return flattenGroups(this.groups).map((r) => r.id);
    }

    get canManage(): boolean {
        return Boolean(this.state.data && canAssign(this.state.data));
    }

    get allSelected(): boolean {
        const ids = this.visibleIds;
        return ids.length > 0 && ids.every((id) => this.state.selected.includes(id));
    }

    get filterCount(): number {
        return activeFilterCount(this.state.filters);
    }

    get stateFilter(): string {
        return this.state.filters.states[0] ?? "";
    }

    canTake(row: ExceptionRow): boolean {
        return Boolean(this.state.data && canTakeOwnership(row, this.state.data));
    }

    canResolve(row: ExceptionRow): boolean {
        return Boolean(this.state.data && canResolve(row, this.state.data));
    }

    severityLabel(severity: Severity): string {
        return severityLabel(severity);
    }

    severityClass(severity: Severity): string {
        return severityBadgeClass(severity);
    }

    stateLabel(state: ExceptionState): string {
        return stateLabel(state);
    }

    stateClass(state: ExceptionState): string {
        return stateBadgeClass(state);
    }

    documentName(row: ExceptionRow): string {
        return (row.picking && row.picking[1]) || (row.sale_order && row.sale_order[1]) || "";
    }

    // ------------------------------------------------------------------ filters

    async setFilters(filters: BoardFilters): Promise<void> {
        this.state.filters = filters;
        await this.load();
    }

    toggleFlag(flag: BoardFlag): Promise<void> {
        return this.setFilters(toggleFlag(this.state.filters, flag));
    }

    toggleSeverity(severity: Severity): Promise<void> {
        return this.setFilters({
            ...this.state.filters,
            severities: toggleValue(this.state.filters.severities, severity, SEVERITIES),
        });
    }

    onSelectIds(key: "type_ids" | "warehouse_ids", ev: Event): Promise<void> {
        const value = Number((ev.target as HTMLSelectElement).value);
        return this.setFilters({ ...this.state.filters, [key]: value ? [value] : [] });
    }

    onSelectState(ev: Event): Promise<void> {
        const value = (ev.target as HTMLSelectElement).value;
        const states = STATES.filter((s) => s === value);
        return this.setFilters({ ...this.state.filters, states });
    }

    clearFilters(): Promise<void> {
        return this.setFilters(defaultFilters());
    }

    setGroupBy(groupBy: GroupBy): void {
        this.state.groupBy = groupBy;
    }

    // ------------------------------------------------------------------ rows

    openRow(row: Pick<ExceptionRow, "id">): Promise<void> {
        this.state.focusId = row.id;
        return this.workflow.open(row);
    }

    toggleRow(id: number): void {
        this.state.selected = toggleSelection(this.state.selected, id);
    }

    toggleAllRows(): void {
        this.state.selected = toggleAll(this.state.selected, this.visibleIds);
    }

    onAssignUser(ev: Event): void {
        const value = Number((ev.target as HTMLSelectElement).value);
        this.state.assignUserId = value || null;
    }

    async assignSelected(): Promise<void> {
        const userId = this.state.assignUserId;
        const ids = [...this.state.selected];
        if (!userId || !ids.length) {
            return;
        }
        await this.workflow.assign(ids, userId);
        this.state.selected = [];
        const user = this.state.data?.users.find((u) => u.id === userId);
        this.notification.add(_t("%s exception(s) assigned to %s.", ids.length, user?.name ?? ""), {
            type: "success",
        });
    }

    onKeydown(ev: KeyboardEvent): void {
        const target = ev.target instanceof HTMLElement ? ev.target : null;
        const command = boardCommand({
            key: ev.key,
            altKey: ev.altKey,
            ctrlKey: ev.ctrlKey,
            metaKey: ev.metaKey,
            targetTag: target?.tagName,
            elsewhere: Boolean(
                target?.isContentEditable ||
                target?.closest(".modal, .o_dialog, .o-dropdown--menu, .o_popover"),
            ),
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
                    command === "next" ? 1 : -1,
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
