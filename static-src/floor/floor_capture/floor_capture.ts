import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { session } from "@web/session";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { user } from "@web/core/user";
import { errorMessage } from "@distribution_governance/core/errors";
import {
    CaptureQueue,
    IdbCaptureStore,
    storeName,
    type QueuedCapture,
} from "@distribution_governance/floor/capture_queue";
import {
    addScan,
    buildPayload,
    missingStep,
    newClientId,
    parseQuantity,
    type Scan,
} from "@distribution_governance/floor/floor_logic";
import type {
    CapturePayload,
    CapturePhoto,
    CaptureResult,
    FloorData,
    FloorReason,
    FloorTransfer,
    ScanResult,
} from "@distribution_governance/types/floor";
import type { OrmService } from "@distribution_governance/types/services";

const MODEL = "distribution.floor.capture";
/** How often the outbox is retried while captures wait (besides the browser's "online"). */
const RETRY_MS = 10000;
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

interface Message {
    kind: "success" | "danger" | "warning";
    text: string;
}

interface FloorState {
    data: FloorData | null;
    transfer: FloorTransfer | null;
    scans: Scan[];
    reason: FloorReason | null;
    quantity: number;
    note: string;
    photo: CapturePhoto | null;
    saving: boolean;
    message: Message | null;
    online: boolean;
    pending: number;
    refused: QueuedCapture[];
    manual: string;
}

/** A network failure: the browser is offline or the server unreachable. */
export function isNetworkError(error: unknown): boolean {
    return error instanceof ConnectionLostError || !navigator.onLine;
}

/** A short low beep: a bad scan is heard on a noisy floor, not only seen. */
function beep(): void {
    try {
        const audio = new AudioContext();
        const osc = audio.createOscillator();
        osc.type = "square";
        osc.frequency.value = 220;
        osc.connect(audio.destination);
        osc.start();
        osc.stop(audio.currentTime + 0.25);
        osc.onended = () => void audio.close();
    } catch {
        // no audio (autoplay policy): the message still shows
    }
}

/**
 * Client action `distribution_governance.floor_capture`: a picker's handheld screen. Scan a
 * transfer (or tap one of theirs), scan the product / lot / location, tap a reason, save.
 */
export class FloorCapture extends Component {
    static template = "distribution_governance.FloorCapture";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    orm!: OrmService;
    state!: FloorState;
    queue!: CaptureQueue;
    clientId = "";
    retry: number | undefined;
    manualInput = useRef("manual");

    setup(): void {
        this.orm = useService("orm");
        const barcode = useService("barcode");
        this.state = useState<FloorState>({
            data: null,
            transfer: null,
            scans: [],
            reason: null,
            quantity: 1,
            note: "",
            photo: null,
            saving: false,
            message: null,
            online: navigator.onLine,
            pending: 0,
            refused: [],
            manual: "",
        });
        this.queue = new CaptureQueue(
            new IdbCaptureStore(storeName(session.db || "odoo")),
            (payload: CapturePayload) =>
                this.orm.call<CaptureResult>(MODEL, "floor_capture", [payload]),
            isNetworkError,
            errorMessage,
            user.userId,
        );
        this.clientId = this.newId();
        useBus(barcode.bus, "barcode_scanned", (ev: CustomEvent<unknown>) => {
            const detail = ev.detail as { barcode: string };
            void this.onScan(detail.barcode);
        });
        const goOnline = () => {
            this.state.online = true;
            void this.flush();
        };
        const goOffline = () => {
            this.state.online = false;
        };
        onWillStart(async () => {
            try {
                this.state.data = await this.orm.call<FloorData>(MODEL, "floor_data");
            } catch (error) {
                this.state.message = { kind: "danger", text: errorMessage(error) };
            }
            await this.refreshOutbox();
        });
        onMounted(() => {
            window.addEventListener("online", goOnline);
            window.addEventListener("offline", goOffline);
            this.retry = window.setInterval(() => {
                if (this.state.pending) {
                    void this.flush();
                }
            }, RETRY_MS);
            void this.flush();
        });
        onWillUnmount(() => {
            window.removeEventListener("online", goOnline);
            window.removeEventListener("offline", goOffline);
            window.clearInterval(this.retry);
        });
    }

    newId(): string {
        return newClientId((bytes) => void crypto.getRandomValues(bytes));
    }

    get missing(): string | null {
        return missingStep({
            pickingId: this.state.transfer?.id ?? null,
            scans: this.state.scans,
            reason: this.state.reason,
            quantity: this.state.quantity,
        });
    }

    get prompt(): string {
        switch (this.missing) {
            case "picking":
                return _t("Scan a transfer, or pick one of yours");
            case "product":
                return _t("Scan the product (or its lot), then the location");
            case "reason":
                return this.state.scans.length
                    ? _t("Tap a reason")
                    : _t("Scan the product, lot or location; then tap a reason");
            case "quantity":
                return _t("Enter the quantity");
            default:
                return _t("Ready: save the capture");
        }
    }

    scanLabel(scan: Scan): string {
        const labels: Record<Scan["kind"], string> = {
            product: _t("Product"),
            lot: _t("Lot"),
            location: _t("Location"),
            unchecked: _t("Checked when sent"),
        };
        return labels[scan.kind];
    }

    bad(text: string): void {
        this.state.message = { kind: "danger", text };
        beep();
    }

    async onScan(barcode: string): Promise<void> {
        const code = barcode.trim();
        if (!code || this.state.saving) {
            return;
        }
        if (!this.state.transfer) {
            await this.openTransfer(code);
            return;
        }
        try {
            const found = await this.orm.call<ScanResult>(MODEL, "floor_scan", [
                this.state.transfer.id,
                code,
            ]);
            this.state.scans = addScan(this.state.scans, found);
            this.state.message = null;
        } catch (error) {
            if (isNetworkError(error)) {
                // offline: kept as scanned, the server checks it when the capture is sent
                this.state.online = false;
                this.state.scans = addScan(this.state.scans, {
                    kind: "unchecked",
                    name: code,
                    barcode: code,
                });
                return;
            }
            this.bad(errorMessage(error));
        }
    }

    async openTransfer(ref: string | number): Promise<void> {
        try {
            this.state.transfer = await this.orm.call<FloorTransfer>(MODEL, "floor_transfer", [
                ref,
            ]);
            this.state.scans = [];
            this.state.message = null;
        } catch (error) {
            if (isNetworkError(error)) {
                this.state.online = false;
                this.bad(_t("No network: a transfer can only be opened online."));
                return;
            }
            this.bad(errorMessage(error));
        }
    }

    changeTransfer(): void {
        this.reset();
        this.state.transfer = null;
    }

    onManualSubmit(ev: Event): void {
        ev.preventDefault();
        const code = this.state.manual;
        this.state.manual = "";
        void this.onScan(code);
    }

    chooseReason(reason: FloorReason): void {
        this.state.reason = this.state.reason?.id === reason.id ? null : reason;
    }

    step(delta: number): void {
        this.state.quantity = Math.max(0, parseQuantity(this.state.quantity) + delta);
    }

    onQuantity(ev: Event): void {
        this.state.quantity = parseQuantity((ev.target as HTMLInputElement).value);
    }

    async onPhoto(ev: Event): Promise<void> {
        const file = (ev.target as HTMLInputElement).files?.[0];
        if (!file) {
            this.state.photo = null;
            return;
        }
        if (file.size > MAX_PHOTO_BYTES) {
            this.bad(_t("The photo is too large (at most 5 MB)."));
            return;
        }
        const dataUrl = await new Promise<string>((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
            reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
            reader.readAsDataURL(file);
        });
        this.state.photo = {
            name: file.name,
            mimetype: file.type || "image/jpeg",
            data: dataUrl.slice(dataUrl.indexOf(",") + 1),
        };
    }

    reset(): void {
        this.state.scans = [];
        this.state.reason = null;
        this.state.quantity = 1;
        this.state.note = "";
        this.state.photo = null;
        this.clientId = this.newId();
    }

    async save(): Promise<void> {
        if (this.missing || this.state.saving) {
            return;
        }
        const payload = buildPayload(
            {
                pickingId: this.state.transfer?.id ?? null,
                scans: this.state.scans,
                reason: this.state.reason,
                quantity: this.state.quantity,
            },
            this.clientId,
            this.state.note,
            this.state.photo,
        );
        this.state.saving = true;
        try {
            const outcome = await this.queue.submit(payload);
            if (outcome.status === "sent") {
                this.state.message = { kind: "success", text: this.savedText(outcome.result) };
            } else {
                this.state.online = false;
                this.state.message = {
                    kind: "warning",
                    text: _t(
                        "No network: the capture is kept on this device and sent when the network returns.",
                    ),
                };
            }
            this.reset();
        } catch (error) {
            this.bad(errorMessage(error));
        } finally {
            this.state.saving = false;
            await this.refreshOutbox();
        }
    }

    savedText(result: CaptureResult): string {
        return result.joined
            ? _t("Added to %(name)s (%(type)s), already open.", {
                  name: result.name,
                  type: result.type,
              })
            : _t("%(name)s recorded (%(type)s).", { name: result.name, type: result.type });
    }

    async flush(): Promise<void> {
        const report = await this.queue.flush();
        if (report.sent.length) {
            this.state.online = true;
            this.state.message = {
                kind: "success",
                text: _t("Sent from this device: %s", report.sent.map((r) => r.name).join(", ")),
            };
        }
        if (report.refused.length) {
            beep();
        }
        await this.refreshOutbox();
    }

    async refreshOutbox(): Promise<void> {
        try {
            this.state.pending = (await this.queue.pending()).length;
            this.state.refused = await this.queue.refused();
        } catch {
            // no IndexedDB (private mode of some browsers): captures are sent online only
        }
    }

    async discard(item: QueuedCapture): Promise<void> {
        await this.queue.discard(item.client_id);
        await this.refreshOutbox();
    }
}

registry.category("actions").add("distribution_governance.floor_capture", FloorCapture);
