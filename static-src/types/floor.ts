// The floor capture's contract with distribution.floor.capture (models/floor_capture.py).

export interface FloorReason {
    id: number;
    code: string;
    name: string;
    type: string;
    product_required: boolean;
}

export interface FloorPicking {
    id: number;
    name: string;
    partner: string;
    state: string;
}

export interface FloorTransfer extends FloorPicking {
    lines: { product_id: number; product: string; quantity: number; uom: string }[];
}

export interface FloorData {
    reasons: FloorReason[];
    pickings: FloorPicking[];
}

export type ScanKind = "product" | "lot" | "location";

/** floor_scan(): what a barcode names in the transfer. */
export interface ScanResult {
    kind: ScanKind;
    id: number;
    name: string;
    barcode: string;
}

export interface CapturePhoto {
    name: string;
    mimetype: string;
    /** base64, without the data: prefix */
    data: string;
}

export interface CapturePayload {
    client_id: string;
    picking: number;
    barcodes: string[];
    reason: string;
    quantity: number;
    note: string;
    photo: CapturePhoto | null;
}

export interface CaptureResult {
    client_id: string;
    exception_id: number;
    name: string;
    type: string;
    joined: boolean;
    duplicate: boolean;
}

/** The bus notification `distribution_governance/floor_capture`. */
export interface FloorCaptureNotification {
    exception_id: number;
    company_id: number;
}
