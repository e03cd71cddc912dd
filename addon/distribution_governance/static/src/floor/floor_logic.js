/** @odoo-module */
function newClientId(random) {
  const bytes = new Uint8Array(16);
  random(bytes);
  bytes[6] = (bytes[6] ?? 0) & 15 | 64;
  bytes[8] = (bytes[8] ?? 0) & 63 | 128;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function addScan(scans, scan) {
  if (scans.some((s) => s.barcode === scan.barcode)) {
    return scans;
  }
  const kept = scan.kind === "unchecked" ? scans : scans.filter((s) => s.kind !== scan.kind);
  return [...kept, scan].slice(-3);
}
function missingStep(draft) {
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
function buildPayload(draft, clientId, note, photo) {
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
    photo
  };
}
function parseQuantity(value) {
  const n = typeof value === "number" ? value : Number(String(value).replace(",", "."));
  return Number.isFinite(n) && n > 0 ? n : 0;
}
export {
  addScan,
  buildPayload,
  missingStep,
  newClientId,
  parseQuantity
};
