// Types of run.mjs for the TypeScript files that import it (Playwright's config).
export declare const CHROMIUM_ARGS: string[];
export declare const CHROMIUM_PATH: string;
export declare function runUnit(options?: {
    log?: (line: string) => void;
}): Promise<{ passed: number; failed: number }>;
