import type {
    BoardData,
    ExceptionRow,
    PanelData,
    ResolutionCode,
} from "@distribution_governance/types/exceptions";

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** An Odoo UTC datetime string, as the server sends it. */
export function serverDatetime(ms: number): string {
    return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

export const SHORT_PICK_RESOLUTIONS: ResolutionCode[] = [
    { id: 11, name: "Ship the rest later (backorder)", note_required: false },
    { id: 12, name: "Cancel the remaining quantity", note_required: true },
];

export function makeRow(overrides: Partial<ExceptionRow> = {}): ExceptionRow {
    return {
        id: 1,
        name: "EXC/0001",
        type_id: 2,
        type: "Short pick",
        type_code: "short_pick",
        severity: "high",
        state: "new",
        owner: false,
        partner: "Deco Addict",
        sale_order: [5, "S00005"],
        picking: [9, "WH/OUT/00009"],
        product: "Pallet Wrap",
        quantity_missing: 3,
        warehouse: [1, "WH"],
        description: "WH/OUT/00009 shipped 7 of 10 Units of Pallet Wrap",
        sla_deadline: serverDatetime(Date.now() + 2 * HOUR + 5 * MINUTE + 30_000),
        sla_status: "on_track",
        escalation_level: 0,
        resolutions: SHORT_PICK_RESOLUTIONS,
        ...overrides,
    };
}

export function rights(overrides: Partial<PanelData> = {}): Omit<PanelData, "exceptions"> {
    return {
        can_work: true,
        can_manage: false,
        user_id: 7,
        server_now: serverDatetime(Date.now()),
        ...overrides,
    };
}

export function boardData(rows: ExceptionRow[], overrides: Partial<BoardData> = {}): BoardData {
    return {
        ...rights(),
        exceptions: rows,
        truncated: false,
        types: [
            { id: 1, name: "Stockout" },
            { id: 2, name: "Short pick" },
            { id: 3, name: "Damaged goods" },
        ],
        warehouses: [{ id: 1, name: "WH" }],
        users: [],
        ...overrides,
    };
}
