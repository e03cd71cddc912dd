/** @odoo-module */
import { Component, onWillStart, onWillUpdateProps, toRaw, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { KeepLast } from "@web/core/utils/concurrency";
import { EXCEPTION_MODEL } from "@distribution_governance/exceptions/exception_actions";
import {
  TRIAGE_DEFAULT_FILTER,
  TRIAGE_FILTERS
} from "@distribution_governance/exceptions/triage_logic";
const figuresOfList = /* @__PURE__ */ new WeakMap();
class TriageDashboard extends Component {
  static template = "distribution_governance.TriageDashboard";
  static props = {
    list: Object,
    keyboardHint: { type: Boolean, optional: true }
  };
  orm;
  state;
  keepLast = new KeepLast();
  setup() {
    this.orm = this.env.services["orm"];
    this.state = useState({ counts: null });
    onWillStart(() => void this.load(toRaw(this.props.list)));
    onWillUpdateProps((next) => {
      const list = toRaw(next.list);
      if (list !== toRaw(this.props.list)) {
        void this.load(list);
      }
    });
  }
  get searchModel() {
    return this.env.searchModel;
  }
  /** Reads the figures (once per `list` when one is given). */
  async load(list) {
    let counts = list && figuresOfList.get(list);
    if (!counts) {
      counts = this.orm.call(EXCEPTION_MODEL, "get_triage_counts");
      if (list) {
        figuresOfList.set(list, counts);
      }
    }
    try {
      this.state.counts = await this.keepLast.add(counts);
    } catch {
    }
  }
  isActive(filter) {
    return Boolean(this.searchModel?.getSearchItems((i) => i.name === filter)[0]?.isActive);
  }
  get figures() {
    const counts = this.state.counts;
    const figure = (key, label, help, alertTone = "") => {
      const value = counts ? counts[key] : null;
      return {
        key,
        label,
        help,
        value,
        active: this.isActive(TRIAGE_FILTERS[key]),
        tone: value ? alertTone : ""
      };
    };
    return [
      figure("mine", _t("Mine"), _t("Open exceptions you own")),
      figure("unassigned", _t("Unassigned"), _t("Open exceptions nobody owns yet")),
      figure(
        "breached",
        _t("Breached"),
        _t("Open exceptions past their SLA deadline"),
        "text-danger"
      ),
      figure(
        "at_risk",
        _t("At risk"),
        _t("Open exceptions in the last quarter of their SLA"),
        "text-warning"
      )
    ];
  }
  /** Toggles the figure's filter, among the open exceptions. */
  toggle(figure) {
    const searchModel = this.searchModel;
    if (!searchModel) {
      return;
    }
    const wanted = [TRIAGE_FILTERS[figure.key]];
    if (!figure.active) {
      wanted.push(TRIAGE_DEFAULT_FILTER);
    }
    for (const item of searchModel.getSearchItems((i) => wanted.includes(i.name ?? ""))) {
      if (item.name === TRIAGE_DEFAULT_FILTER && item.isActive) {
        continue;
      }
      searchModel.toggleSearchItem(item.id);
    }
  }
}
export {
  TriageDashboard
};
