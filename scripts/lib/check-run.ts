// The frame of the scripts that print PASS/FAIL checks against servers they start themselves
// (`npm run replica-check`, `npm run scale-check`): a clock for their log lines, the checks, a
// time limit and Ctrl-C that stop everything, and the one-line verdict. The body's error is a
// failed check; the cleanup runs whatever happened.

export interface Check {
    name: string;
    ok: boolean;
    detail: string;
}

export interface CheckRunOptions {
    /** The script's name, first word of its verdict. */
    name: string;
    /** The word of a passed check in the log. */
    passed: string;
    minutes: number;
    cleanup: () => Promise<void>;
    signals: NodeJS.Signals[];
    /** What the verdict says of what is left once it ran (kept folder, or removed). */
    leftovers: () => string;
}

export class CheckRun {
    readonly checks: Check[] = [];
    private readonly started = Date.now();

    constructor(private readonly options: CheckRunOptions) {}

    say = (line: string): void =>
        console.log(`[${((Date.now() - this.started) / 1000).toFixed(0).padStart(4)}s] ${line}`);

    check = (name: string, ok: boolean, detail = ""): void => {
        this.checks.push({ name, ok, detail });
        this.say(`${ok ? this.options.passed : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
    };

    /** Runs `body` within the limits; 0 when every check passed, 1 otherwise. */
    async run(body: () => Promise<void>): Promise<number> {
        const { name, minutes, cleanup, signals } = this.options;
        const limit = setTimeout(() => {
            console.error(`${name}: over ${minutes} minutes, stopping`);
            void cleanup().then(() => process.exit(2));
        }, minutes * 60_000);
        for (const signal of signals) {
            process.on(signal, () => {
                console.error(`${name}: ${signal}, stopping`);
                void cleanup().then(() => process.exit(130));
            });
        }
        try {
            await body();
        } catch (error) {
            this.check(
                "the check ran to its end",
                false,
                String(error instanceof Error ? error.message : error),
            );
        } finally {
            await cleanup();
            clearTimeout(limit);
        }
        const failed = this.checks.filter((c) => !c.ok);
        const seconds = ((Date.now() - this.started) / 1000).toFixed(0);
        console.log(
            `\n${name}: ${failed.length ? "FAIL" : "PASS"} — ${this.checks.length - failed.length}/${this.checks.length} checks in ${seconds} s` +
                (failed.length ? `; failed: ${failed.map((c) => c.name).join("; ")}` : "") +
                `; ${this.options.leftovers()}`,
        );
        return failed.length ? 1 : 0;
    }
}
