// Shapes of the exception read API of `distribution.exception` (models/distribution_exception.py:
// _ui_row, _ui_rights, get_panel_data, get_systray_data, get_triage_counts). Type-only.

export type Severity = "low" | "medium" | "high" | "critical";
export type ExceptionState = "new" | "in_progress" | "resolved" | "cancelled";
export type SlaStatus = "on_track" | "at_risk" | "breached";
/** A many2one as the server sends it: `[id, display name]`, or false when empty. */
export type Many2oneValue = [number, string] | false;

/** One open exception of a document, with its labels and what the user may do with it. */
export interface ExceptionRow {
    id: number;
    name: string;
    type: string;
    type_code: string;
    severity: Severity;
    severity_label: string;
    state: ExceptionState;
    state_label: string;
    owner: Many2oneValue;
    partner: string | false;
    sale_order: Many2oneValue;
    picking: Many2oneValue;
    product: string | false;
    quantity_missing: number;
    uom: string | false;
    description: string;
    /** UTC, "YYYY-MM-DD HH:MM:SS". */
    sla_deadline: string | false;
    /** When the exception turns "at risk" (UTC). */
    sla_warning_at: string | false;
    sla_status: SlaStatus;
    sla_status_label: string;
    escalation_level: number;
    /** The server's rules (the actions apply the same ones). */
    can_take: boolean;
    can_resolve: boolean;
    /** Why not, when it is not already obvious (already mine): the server's words. */
    why_not_take: string | false;
    why_not_resolve: string | false;
    /** A customer notice may be sent for it (its order exists, the user may post on it and a
     * template of its resolution applies): models/exception_customer_notice.py. */
    can_notify_customer?: boolean;
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

/** get_systray_data(): named counts; each capability adds its own keys. */
export type SystrayData = Record<string, number | boolean>;

/** get_triage_counts(): open exceptions per search filter of the triage views. */
export interface TriageCounts {
    mine: number;
    unassigned: number;
    breached: number;
    at_risk: number;
}
