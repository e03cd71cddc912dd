// Managers see floor captures arrive: the server sends `distribution_governance/floor_capture`
// on the bus to exception users (models/floor_capture.py); this service turns it into events of
// the web client's bus, on which the exception list and kanban reload and the figures recount.
import { onWillUnmount } from "@odoo/owl";
import { useBus } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { registry } from "@web/core/registry";
import { EXCEPTIONS_CHANGED } from "@distribution_governance/exceptions/exception_actions";
import { ExceptionKanbanRenderer } from "@distribution_governance/exceptions/triage_views/triage_kanban";
import { ExceptionTriageListRenderer } from "@distribution_governance/exceptions/triage_views/triage_list";
import type { BusService, DgEnv } from "@distribution_governance/types/services";

export const FLOOR_CAPTURE_NOTIFICATION = "distribution_governance/floor_capture";
/** Triggered on env.bus when a floor capture opened an exception somewhere. */
export const FLOOR_CAPTURED = "DISTRIBUTION_GOVERNANCE:FLOOR-CAPTURED";

export const floorCaptureBusService = {
    dependencies: ["bus_service"],
    start(env: DgEnv, services: { bus_service: BusService }): void {
        services.bus_service.subscribe(FLOOR_CAPTURE_NOTIFICATION, (payload: unknown) => {
            env.bus.trigger(FLOOR_CAPTURED, payload);
            env.bus.trigger(EXCEPTIONS_CHANGED);
        });
    },
};

registry.category("services").add("dg_floor_capture_bus", floorCaptureBusService);

/** Captures arriving together (a wave of offline ones sent at once) reload the view once. */
const RELOAD_DELAY_MS = 500;

/**
 * The view's records reload when a capture arrives, through its search model as a search
 * would: the filters and grouping stay, and a view that showed its sample data (nothing to
 * show yet) leaves it for the real records.
 */
function reloadOnCapture(renderer: { env: unknown }): void {
    const env = renderer.env as DgEnv & { searchModel?: { search(): void } };
    let timer: number | undefined;
    useBus(env.bus, FLOOR_CAPTURED, () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => env.searchModel?.search(), RELOAD_DELAY_MS);
    });
    onWillUnmount(() => window.clearTimeout(timer));
}

/** Patches `setup` of a renderer class to reload on captures (after its own setup). */
function patchSetup(proto: { setup(): void; env: unknown; props: { list: OdooRootList } }): void {
    // called below with the renderer as `this`, as the prototype's method would be
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const ownSetup = proto.setup;
    patch(proto, {
        setup(this: typeof proto) {
            ownSetup.call(this);
            reloadOnCapture(this);
        },
    });
}

patchSetup(ExceptionTriageListRenderer.prototype);
patchSetup(ExceptionKanbanRenderer.prototype);
