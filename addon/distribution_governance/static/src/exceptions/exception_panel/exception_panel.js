/** @odoo-module */
import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
  EXCEPTION_MODEL,
  useExceptionActions
} from "@distribution_governance/exceptions/exception_actions";
import { panelSummary } from "@distribution_governance/exceptions/panel_logic";
import { clockSkew } from "@distribution_governance/exceptions/sla";
import {
  alternativesText,
  similarCasesAction,
  suggestionLines,
  suggestionsById
} from "@distribution_governance/exceptions/suggestion_logic";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
const SEVERITY_BADGE = {
  critical: "text-bg-danger",
  high: "text-bg-warning",
  medium: "text-bg-info",
  low: "text-bg-secondary"
};
class ExceptionPanel extends Component {
  static template = "distribution_governance.ExceptionPanel";
  static components = { SlaCountdown };
  static props = { ...standardWidgetProps };
  state;
  actions;
  action;
  loader;
  orm;
  suggestionLoads = new KeepLast();
  setup() {
    this.orm = useService("orm");
    this.action = useService("action");
    this.loader = makePanelLoader(this.orm, EXCEPTION_MODEL);
    this.state = useState({
      data: null,
      skew: 0,
      error: null,
      expanded: false,
      suggestions: /* @__PURE__ */ new Map()
    });
    this.actions = useExceptionActions({
      afterChange: () => this.reloadForm(),
      afterFailure: () => this.load(this.props.record)
    });
    useRecordObserver((record) => {
      void record.data;
      return this.load(record);
    });
  }
  get rows() {
    return this.state.data?.exceptions ?? [];
  }
  get summary() {
    return panelSummary(this.rows);
  }
  get toggleLabel() {
    return this.state.expanded ? _t("Hide") : _t("Details");
  }
  async load(record) {
    let ids = [];
    await this.loader(record, ({ data, error }) => {
      this.state.data = data;
      if (data) {
        this.state.skew = clockSkew(data.server_now, Date.now());
        ids = data.exceptions.map((row) => row.id);
      }
      this.state.error = error;
    });
    await this.loadSuggestions(ids);
  }
  /** One call for the suggestions of all the panel's exceptions; the latest load wins. */
  async loadSuggestions(ids) {
    let suggestions = [];
    if (ids.length) {
      try {
        suggestions = await this.suggestionLoads.add(
          this.orm.call(EXCEPTION_MODEL, "get_triage_suggestion", [
            ids
          ])
        );
      } catch {
      }
    } else {
      void this.suggestionLoads.add(Promise.resolve([]));
    }
    this.state.suggestions = suggestionsById(suggestions);
  }
  suggestion(row) {
    return this.state.suggestions.get(row.id);
  }
  suggestionLines(suggestion) {
    return suggestionLines(suggestion);
  }
  alternatives(suggestion) {
    const found = [
      {
        label: _t("Other playbooks"),
        text: alternativesText(suggestion.alternatives.resolution, suggestion.resolution)
      },
      {
        label: _t("Other owners"),
        text: alternativesText(suggestion.alternatives.owner, suggestion.owner)
      }
    ];
    return found.filter((alt) => alt.text);
  }
  apply(row, part) {
    return this.actions.applyTriage(row.id, part);
  }
  openSimilar(suggestion) {
    return this.action.doAction(similarCasesAction(suggestion));
  }
  /**
   * After an action, reload the form so its counters follow (that reload reloads the panel
   * through the record observer). Unsaved edits are never thrown away: then only the panel
   * reloads.
   */
  async reloadForm() {
    const record = this.props.record;
    if (record.resId && !await record.isDirty()) {
      await record.load();
    } else {
      await this.load(record);
    }
  }
  toggle() {
    this.state.expanded = !this.state.expanded;
  }
  severityClass(row) {
    return SEVERITY_BADGE[row.severity];
  }
  /** Why the user may not act on the exception, when they may do neither. */
  whyNot(row) {
    if (row.can_take || row.can_resolve) {
      return "";
    }
    return row.why_not_resolve || row.why_not_take || "";
  }
}
registry.category("view_widgets").add("dg_exception_panel", { component: ExceptionPanel });
export {
  ExceptionPanel
};
