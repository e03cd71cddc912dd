// The subset of Odoo 18's tour step shape (web_tour) that the addon's tours use.
export interface TourActions {
    click(): Promise<void> | void;
    /** Keyboard sequence on the focused element, e.g. press("j") or press("Enter"). */
    press(...keys: string[]): Promise<void>;
}

export interface TourStep {
    trigger: string;
    content?: string;
    run?: string | ((this: { anchor: HTMLElement }, actions: TourActions) => void | Promise<void>);
}
