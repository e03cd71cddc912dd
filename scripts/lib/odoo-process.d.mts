// Types of odoo-process.mjs for the TypeScript files that import it (Playwright specs).
export declare const ROOT: string;
export declare const ODOO_SRC: string;
export declare const HAS_ODOO: boolean;
export declare function sh(
    command: string,
    options?: { echo?: boolean; env?: Record<string, string>; logFile?: string | null },
): Promise<{ code: number | null; out: string }>;
export declare function waitForHttp(url: string, seconds: number): Promise<boolean>;
export declare function shOk(
    command: string,
    what: string,
    options?: { echo?: boolean; env?: Record<string, string>; logFile?: string | null },
): Promise<{ code: number | null; out: string }>;
export declare function dbExists(name: string): Promise<boolean>;
export declare function copyDb(template: string, name: string): Promise<string>;
export declare function dropDb(name: string): Promise<void>;
export declare function ensureDependenciesDb(
    name: string,
    log?: (message: string) => void,
): Promise<string>;
export interface OdooServer {
    url: string;
    pid: number | undefined;
    stop(): Promise<void>;
}
export declare function startOdoo(options: {
    db: string;
    port: string | number;
    logFile: string;
    args?: string;
    env?: Record<string, string>;
}): OdooServer;
