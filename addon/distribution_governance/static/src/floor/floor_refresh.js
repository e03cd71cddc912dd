/** @odoo-module */
import { onWillUnmount } from "@odoo/owl";
import { useBus } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { registry } from "@web/core/registry";
import { EXCEPTIONS_CHANGED } from "@distribution_governance/exceptions/exception_actions";
import { ExceptionKanbanRenderer } from "@distribution_governance/exceptions/triage_views/triage_kanban";
import { ExceptionTriageListRenderer } from "@distribution_governance/exceptions/triage_views/triage_list";
const FLOOR_CAPTURE_NOTIFICATION = "distribution_governance/floor_capture";
const FLOOR_CAPTURED = "DISTRIBUTION_GOVERNANCE:FLOOR-CAPTURED";
const floorCaptureBusService = {
  dependencies: ["bus_service"],
  start(env, services) {
    services.bus_service.subscribe(FLOOR_CAPTURE_NOTIFICATION, (payload) => {
      env.bus.trigger(FLOOR_CAPTURED, payload);
      env.bus.trigger(EXCEPTIONS_CHANGED);
    });
  }
};
registry.category("services").add("dg_floor_capture_bus", floorCaptureBusService);
const RELOAD_DELAY_MS = 500;
function reloadOnCapture(renderer) {
  const env = renderer.env;
  let timer;
  useBus(env.bus, FLOOR_CAPTURED, () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => env.searchModel?.search(), RELOAD_DELAY_MS);
  });
  onWillUnmount(() => window.clearTimeout(timer));
}
function patchSetup(proto) {
  const ownSetup = proto.setup;
  patch(proto, {
    setup() {
      ownSetup.call(this);
      reloadOnCapture(this);
    }
  });
}
patchSetup(ExceptionTriageListRenderer.prototype);
patchSetup(ExceptionKanbanRenderer.prototype);
export {
  FLOOR_CAPTURED,
  FLOOR_CAPTURE_NOTIFICATION,
  floorCaptureBusService
};
