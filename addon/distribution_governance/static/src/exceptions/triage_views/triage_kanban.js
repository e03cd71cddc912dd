/** @odoo-module */
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";
import {
  EXCEPTION_MODEL,
  EXCEPTIONS_CHANGED
} from "@distribution_governance/exceptions/exception_actions";
import { TriageDashboard } from "@distribution_governance/exceptions/triage_dashboard/triage_dashboard";
import { kanbanMove } from "@distribution_governance/exceptions/triage_logic";
class ExceptionKanbanRenderer extends KanbanRenderer {
  static template = "distribution_governance.ExceptionKanbanRenderer";
  static components = { ...KanbanRenderer.components, TriageDashboard };
  dgOrm;
  dgAction;
  setup() {
    super.setup();
    this.dgOrm = useService("orm");
    this.dgAction = useService("action");
  }
  /** Grouped by state: moves go through the server's actions. */
  get movesByAction() {
    return this.props.list.groupByField?.name === "state";
  }
  get canMoveRecords() {
    return this.movesByAction ? this.canResequenceRecords : super.canMoveRecords;
  }
  async sortRecordDrop(dataRecordId, dataGroupId, params) {
    if (!this.movesByAction) {
      return super.sortRecordDrop(dataRecordId, dataGroupId, params);
    }
    const parent = params.parent;
    const hovered = parent?.classList.contains("o_kanban_hover");
    parent?.classList.remove("o_kanban_hover");
    const move = hovered ? kanbanMove(this.props.list.groups, dataRecordId, dataGroupId, parent?.dataset.id) : null;
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
  async moveOnServer(move) {
    const reload = () => this.props.list.model.load();
    let result;
    try {
      result = await this.dgOrm.call(EXCEPTION_MODEL, "action_move", [
        [move.resId],
        move.state
      ]);
    } catch (error) {
      await reload().catch(() => void 0);
      throw error;
    }
    const changed = async () => {
      this.env.bus.trigger(EXCEPTIONS_CHANGED);
      await reload();
    };
    if (result && typeof result === "object") {
      await this.dgAction.doAction(result, { onClose: changed });
    } else {
      await changed();
    }
  }
}
const exceptionKanbanView = { ...kanbanView, Renderer: ExceptionKanbanRenderer };
registry.category("views").add("dg_exception_kanban", exceptionKanbanView);
export {
  ExceptionKanbanRenderer,
  exceptionKanbanView
};
