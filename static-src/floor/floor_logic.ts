// Pure rules of the floor capture screen (what a scan fills, when a capture may be saved).
import type {
    CapturePayload,
    CapturePhoto,
    FloorReason,
    ScanKind,
} from "@distribution_governance/types/floor";

/** A scan of the capture: checked by the server (its kind known) or, offline, not yet. */
export interface Scan {
    kind: ScanKind | "unchecked";
    name: string;
    barcode: string;
}

/** A random RFC 4122 version 4 id (crypto.randomUUID needs a secure context; this does not). */
export function newClientId(random: (bytes: Uint8Array<ArrayBuffer>) => void): string {
    const bytes = new Uint8Array(16);
    random(bytes);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The scans once `scan` is added: one of each kind (a new one replaces the old), at most 3. */
export function addScan(scans: Scan[], scan: Scan): Scan[] {
    if (scans.some((s) => s.barcode === scan.barcode)) {
        return scans;
    }
    const kept = scan.kind === "unchecked" ? scans : scans.filter((s) => s.kind !== scan.kind);
    return [...kept, scan].slice(-3);
}

export interface Draft {
    pickingId: number | null;
    scans: Scan[];
    reason: FloorReason | null;
    quantity: number;
}

/** Why the capture cannot be saved yet (the first missing step), or null. */
export function missingStep(draft: Draft): "picking" | "reason" | "product" | "quantity" | null {
    if (!draft.pickingId) {
        return "picking";
    }
    if (!draft.reason) {
        return "reason";
    }
    const hasProduct = draft.scans.some((s) => s.kind !== "location");
    if (draft.reason.product_required && !hasProduct) {
        return "product";
    }
    if (hasProduct && !(draft.quantity > 0)) {
        return "quantity";
    }
    return null;
}

export function buildPayload(
    draft: Draft,
    clientId: string,
    note: string,
    photo: CapturePhoto | null,
): CapturePayload {
    if (!draft.pickingId || !draft.reason) {
        throw new Error("incomplete capture");
    }
    return {
        client_id: clientId,
        picking: draft.pickingId,
        barcodes: draft.scans.map((s) => s.barcode),
        reason: draft.reason.code,
        quantity: draft.quantity,
        note: note.trim(),
        photo,
    };
}

/** A quantity typed or stepped by the user: a non-negative number (0 when not one). */
export function parseQuantity(value: string | number): number {
    const n = typeof value === "number" ? value : Number(String(value).replace(",", "."));
    return Number.isFinite(n) && n > 0 ? n : 0;
}
