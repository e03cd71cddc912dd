// Shapes of the exception read API of `distribution.exception` (models/distribution_exception.py:
// _ui_row, _ui_rights, get_panel_data, get_board_data, get_systray_data). Type-only.

export type Severity = "low" | "medium" | "high" | "critical";
export type ExceptionState = "new" | "in_progress" | "resolved" | "cancelled";
export type SlaStatus = "on_track" | "at_risk" | "breached";
/** A many2one as the server sends it: `[id, display name]`, or false when empty. */
export type Many2oneValue = [number, string] | false;

export interface ResolutionCode {
    id: number;
    name: string;
    note_required: boolean;
}

export interface ExceptionRow {
    id: number;
    name: string;
    type_id: number;
    type: string;
    type_code: string;
    severity: Severity;
    state: ExceptionState;
    owner: Many2oneValue;
    partner: string | false;
    sale_order: Many2oneValue;
    picking: Many2oneValue;
    product: string | false;
    quantity_missing: number;
    warehouse: Many2oneValue;
    description: string;
    /** UTC, "YYYY-MM-DD HH:MM:SS". */
    sla_deadline: string | false;
    /** When the exception turns "at risk"; not sent by every server version. */
    sla_warning_at?: string | false;
    sla_status: SlaStatus;
    escalation_level: number;
    resolutions: ResolutionCode[];
}

export interface UiRights {
    can_work: boolean;
    can_manage: boolean;
    user_id: number;
    /** The server's clock (UTC) when it answered: corrects the client's clock skew. */
    server_now: string;
}

export interface PanelData extends UiRights {
    exceptions: ExceptionRow[];
}

export interface NamedRecord {
    id: number;
    name: string;
}

export interface BoardData extends UiRights {
    exceptions: ExceptionRow[];
    truncated: boolean;
    types: NamedRecord[];
    warehouses: NamedRecord[];
    users: NamedRecord[];
}

/** The `filters` dict of get_board_data: only the keys that filter are sent. */
export interface BoardServerFilters {
    mine?: boolean;
    unassigned?: boolean;
    breached?: boolean;
    severities?: Severity[];
    type_ids?: number[];
    warehouse_ids?: number[];
    states?: ExceptionState[];
}

/** get_systray_data(): named counts; later capabilities add their own keys. */
export type SystrayData = Record<string, number | boolean>;
