import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanRenderer, type SortableDropParams } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";
import {
    EXCEPTION_MODEL,
    EXCEPTIONS_CHANGED,
} from "@distribution_governance/exceptions/exception_actions";
import { TriageDashboard } from "@distribution_governance/exceptions/triage_dashboard/triage_dashboard";
import { kanbanMove, type KanbanMove } from "@distribution_governance/exceptions/triage_logic";
import type {
    ActionService,
    DgEnv,
    OrmService,
    ServerAction,
} from "@distribution_governance/types/services";

/**
 * `js_class="dg_exception_kanban"`: exceptions in columns by state, under the triage figures.
 * The state is not written by the kanban (the server refuses that to everyone): a card dropped
 * in another column asks the server for the action that leads there (`action_move`: take
 * ownership, the resolve wizard, cancel, reopen), with that action's rules. The card moves
 * when the view reloads after it; a refused move leaves it where it was, under Odoo's error.
 */
export class ExceptionKanbanRenderer extends KanbanRenderer {
    static template = "distribution_governance.ExceptionKanbanRenderer";
    static components = { ...KanbanRenderer.components, TriageDashboard };

    dgOrm!: OrmService;
    dgAction!: ActionService;

    setup(): void {
        super.setup();
        this.dgOrm = useService("orm");
        this.dgAction = useService("action");
    }

    /** Grouped by state: moves go through the server's actions. */
    get movesByAction(): boolean {
        return this.props.list.groupByField?.name === "state";
    }

    get canMoveRecords(): boolean {
        return this.movesByAction ? this.canResequenceRecords : super.canMoveRecords;
    }

    async sortRecordDrop(
        dataRecordId: string,
        dataGroupId: string,
        params: SortableDropParams,
    ): Promise<void> {
        if (!this.movesByAction) {
            return super.sortRecordDrop(dataRecordId, dataGroupId, params);
        }
        const parent = params.parent;
        const hovered = parent?.classList.contains("o_kanban_hover");
        parent?.classList.remove("o_kanban_hover");
        const move = hovered
            ? kanbanMove(this.props.list.groups, dataRecordId, dataGroupId, parent?.dataset.id)
            : null;
        if (!move) {
            return;
        }
        this.toggleProcessing(dataRecordId, true);
        try {
            await this.moveOnServer(move);
        } finally {
            this.toggleProcessing(dataRecordId, false);
        }
    }

    async moveOnServer(move: KanbanMove): Promise<void> {
        const reload = () => this.props.list.model.load();
        let result: ServerAction | false;
        try {
            result = await this.dgOrm.call<ServerAction | false>(EXCEPTION_MODEL, "action_move", [
                [move.resId],
                move.state,
            ]);
        } catch (error) {
            // the card stays in its column; the data may be stale (someone else acted)
            await reload().catch(() => undefined);
            throw error;
        }
        const changed = async () => {
            (this.env as unknown as DgEnv).bus.trigger(EXCEPTIONS_CHANGED);
            await reload();
        };
        if (result && typeof result === "object") {
            // a notification (then the view reloads), or the resolve wizard (on its close)
            await this.dgAction.doAction(result, { onClose: changed });
        } else {
            await changed();
        }
    }
}

export const exceptionKanbanView = { ...kanbanView, Renderer: ExceptionKanbanRenderer };

registry.category("views").add("dg_exception_kanban", exceptionKanbanView);
