// Typed promise wrapper over the callback-style `odoo-xmlrpc` package, for scripts and e2e tests.
import OdooXmlrpc from "odoo-xmlrpc";

/** Any value XML-RPC carries between this script and Odoo. */
export type OdooValue =
    string | number | boolean | null | OdooValue[] | { [key: string]: OdooValue };
export type OdooValues = { [field: string]: OdooValue };
export type DomainTerm = [string, string, OdooValue];
export type Domain = (DomainTerm | "&" | "|" | "!")[];
export type OdooContext = { [key: string]: OdooValue };
/** A row of `read` / `search_read`: the id plus whatever fields were asked for. */
export type OdooRecord = { id: number; [field: string]: OdooValue };

export interface OdooConnectionOptions {
    url: string;
    db: string;
    login: string;
    password: string;
}

export interface SearchOptions {
    limit?: number;
    offset?: number;
    order?: string;
    context?: OdooContext;
}

export interface EnsuredRecord {
    id: number;
    /** True when this call created the record (and its xmlid), false when it already existed. */
    created: boolean;
}

/** Odoo's XML-RPC fault code for refused credentials (RPC_FAULT_CODE_ACCESS_DENIED). */
const ACCESS_DENIED = 3;

/** The ir.model.data module of every record the demo seeding creates. */
export const DEMO_MODULE = "distribution_governance_demo";

/** An Odoo fault (or transport failure), naming the model and method that caused it. */
export class OdooRpcError extends Error {
    readonly model: string;
    readonly method: string;
    readonly faultCode: number | string | undefined;
    /** The full server text: the message for user errors, a Python traceback otherwise. */
    readonly faultString: string;

    constructor(
        model: string,
        method: string,
        faultString: string,
        faultCode: number | string | undefined,
    ) {
        super(`Odoo ${model}.${method} failed: ${summarizeFault(faultString)}`);
        this.name = "OdooRpcError";
        this.model = model;
        this.method = method;
        this.faultCode = faultCode;
        this.faultString = faultString;
    }
}

/**
 * Keeps what a person needs from a fault: user errors arrive as their message, server errors as a
 * whole traceback whose last line names the exception.
 */
function summarizeFault(faultString: string): string {
    const text = faultString.trim();
    if (!text.includes("Traceback (most recent call last)")) {
        return text.replace(/^warning -- \w+\n\n/, "");
    }
    // The exception line is the last unindented "module.ClassName: message" line; its message may
    // go on over several lines (psycopg2 quotes the SQL with a caret under it).
    const lines = text.split("\n");
    let start = -1;
    for (let i = lines.length - 1; i >= 0; i--) {
        if (/^[A-Za-z_][\w.]*: /.test(lines[i] ?? "")) {
            start = i;
            break;
        }
    }
    const tail = start >= 0 ? lines.slice(start) : lines.slice(-1);
    const summary = tail
        .map((line) => line.trim())
        .filter((line) => line && !/^\^+$/.test(line))
        .join(" | ");
    return summary.length > 600 ? `${summary.slice(0, 600)}…` : summary;
}

function isNoneResultFault(error: { faultString?: unknown }): boolean {
    return (
        typeof error.faultString === "string" &&
        error.faultString.includes("cannot marshal None unless allow_none is enabled")
    );
}

function toRpcError(model: string, method: string, error: unknown): OdooRpcError {
    if (error instanceof Error) {
        const fault = error as Error & { faultString?: unknown; faultCode?: unknown };
        const faultString =
            typeof fault.faultString === "string" && fault.faultString
                ? fault.faultString
                : error.message;
        const faultCode =
            typeof fault.faultCode === "number" || typeof fault.faultCode === "string"
                ? fault.faultCode
                : undefined;
        return new OdooRpcError(model, method, faultString, faultCode);
    }
    const message =
        typeof error === "object" && error !== null && "message" in error
            ? String(error.message)
            : String(error);
    return new OdooRpcError(model, method, message, undefined);
}

/** The id of a many2one value as `read` returns it (`[id, name]` or `false`). */
export function m2oId(value: OdooValue | undefined): number | false {
    if (Array.isArray(value) && typeof value[0] === "number") {
        return value[0];
    }
    return typeof value === "number" ? value : false;
}

/** The ids of a x2many value as `read` returns it. */
export function x2mIds(value: OdooValue | undefined): number[] {
    return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

/** Splits "module.name" into its two parts (names may contain dots after the first). */
function splitXmlid(xmlid: string): [string, string] {
    const dot = xmlid.indexOf(".");
    if (dot <= 0) {
        throw new Error(`"${xmlid}" is not a full xmlid (module.name)`);
    }
    return [xmlid.slice(0, dot), xmlid.slice(dot + 1)];
}

export class OdooRpc {
    readonly url: string;
    readonly db: string;
    readonly login: string;
    readonly uid: number;
    private readonly client: OdooXmlrpc;
    private readonly password: string;
    private readonly xmlidCache = new Map<string, number>();

    private constructor(options: OdooConnectionOptions, client: OdooXmlrpc, uid: number) {
        this.url = options.url;
        this.password = options.password;
        this.db = options.db;
        this.login = options.login;
        this.client = client;
        this.uid = uid;
    }

    /** Another user's connection to the same server and database (password = `password`). */
    as(login: string, password: string): Promise<OdooRpc> {
        return OdooRpc.connect({ url: this.url, db: this.db, login, password });
    }

    /** Authenticates and returns a connection; rejects when the login is refused. */
    static async connect(options: OdooConnectionOptions): Promise<OdooRpc> {
        const client = new OdooXmlrpc({
            url: options.url,
            db: options.db,
            username: options.login,
            password: options.password,
        });
        const uid = await new Promise<number>((resolve, reject) => {
            client.connect((error, value) => {
                // odoo-xmlrpc reports a refused login (uid false) as a plain, non-Error object.
                const refused =
                    error && (!(error instanceof Error) || error.faultCode === ACCESS_DENIED);
                if (error && !refused) {
                    reject(toRpcError("common", "authenticate", error));
                } else if (typeof value === "number" && value > 0) {
                    resolve(value);
                } else {
                    reject(
                        new OdooRpcError(
                            "common",
                            "authenticate",
                            `login "${options.login}" refused on database "${options.db}"`,
                            ACCESS_DENIED,
                        ),
                    );
                }
            });
        });
        return new OdooRpc(options, client, uid);
    }

    /** True when the credentials authenticate, false when Odoo refuses them. */
    static async canLogin(options: OdooConnectionOptions): Promise<boolean> {
        try {
            await OdooRpc.connect(options);
            return true;
        } catch (error) {
            // Only a refusal means "cannot log in"; a server that does not answer is an error.
            if (error instanceof OdooRpcError && error.faultCode === ACCESS_DENIED) {
                return false;
            }
            throw error;
        }
    }

    /**
     * `execute_kw(model, method, args, kwargs)`; the caller states the result type it expects.
     * Methods that return None (many `action_*` buttons) resolve to `null`.
     */
    call<T = unknown>(
        model: string,
        method: string,
        args: OdooValue[] = [],
        kwargs: OdooValues = {},
    ): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            this.client.execute_kw(model, method, [args, kwargs], (error, value) => {
                if (error && isNoneResultFault(error)) {
                    // Odoo 18 commits the call, then fails to marshal its None result.
                    resolve(null as T);
                } else if (error) {
                    reject(toRpcError(model, method, error));
                } else {
                    resolve(value as T);
                }
            });
        });
    }

    /**
     * `execute_kw` over JSON-RPC (`/jsonrpc`), as Odoo's web client talks: results keep their
     * `null`s, which XML-RPC cannot marshal (the widget endpoints return them).
     */
    async callJson<T = unknown>(
        model: string,
        method: string,
        args: OdooValue[] = [],
        kwargs: OdooValues = {},
    ): Promise<T> {
        const response = await fetch(new URL("/jsonrpc", this.url), {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({
                jsonrpc: "2.0",
                method: "call",
                id: 1,
                params: {
                    service: "object",
                    method: "execute_kw",
                    args: [this.db, this.uid, this.password, model, method, args, kwargs],
                },
            }),
        });
        const body = (await response.json()) as {
            result?: T;
            error?: { message: string; data?: { name?: string; message?: string } };
        };
        if (body.error) {
            const data = body.error.data;
            throw new OdooRpcError(
                model,
                method,
                `${data?.name ?? "Error"}: ${data?.message ?? body.error.message}`,
                data?.name ?? "",
            );
        }
        return body.result as T;
    }

    search(model: string, domain: Domain, options: SearchOptions = {}): Promise<number[]> {
        return this.call<number[]>(model, "search", [domain], searchKwargs(options));
    }

    searchCount(model: string, domain: Domain, context?: OdooContext): Promise<number> {
        return this.call<number>(model, "search_count", [domain], context ? { context } : {});
    }

    searchRead<T extends OdooRecord = OdooRecord>(
        model: string,
        domain: Domain,
        fields: string[],
        options: SearchOptions = {},
    ): Promise<T[]> {
        return this.call<T[]>(model, "search_read", [domain], {
            ...searchKwargs(options),
            fields,
        });
    }

    read<T extends OdooRecord = OdooRecord>(
        model: string,
        ids: number[],
        fields: string[],
        context?: OdooContext,
    ): Promise<T[]> {
        return this.call<T[]>(model, "read", [ids, fields], context ? { context } : {});
    }

    create(model: string, values: OdooValues, context?: OdooContext): Promise<number> {
        return this.call<number>(model, "create", [values], context ? { context } : {});
    }

    write(
        model: string,
        ids: number[],
        values: OdooValues,
        context?: OdooContext,
    ): Promise<boolean> {
        return this.call<boolean>(model, "write", [ids, values], context ? { context } : {});
    }

    /** Database id of a full xmlid ("module.name"), or false when it does not exist. */
    async refOrFalse(xmlid: string): Promise<number | false> {
        const cached = this.xmlidCache.get(xmlid);
        if (cached !== undefined) {
            return cached;
        }
        const [module, name] = splitXmlid(xmlid);
        // check_object_reference works for any user who may read the record, where reading
        // ir.model.data itself is for administrators only.
        let found: [string, number | false];
        try {
            found = await this.call<[string, number | false]>(
                "ir.model.data",
                "check_object_reference",
                [module, name],
            );
        } catch (error) {
            if (error instanceof OdooRpcError && /External ID not found/.test(error.faultString)) {
                return false;
            }
            throw error;
        }
        const id = found[1];
        if (typeof id === "number" && id) {
            this.xmlidCache.set(xmlid, id);
            return id;
        }
        return false;
    }

    /** Database id of a full xmlid ("module.name"); throws when it does not exist. */
    async ref(xmlid: string): Promise<number> {
        const id = await this.refOrFalse(xmlid);
        if (id === false) {
            throw new Error(`xmlid ${xmlid} not found in database ${this.db} (or not readable)`);
        }
        return id;
    }

    /**
     * Demo xmlids (names in the distribution_governance_demo module) of `model` whose record
     * still exists, as name → id. Names that are missing, or whose record was deleted, are absent.
     */
    async lookupXmlids(model: string, names: string[]): Promise<Map<string, number>> {
        const found = new Map<string, number>();
        if (!names.length) return found;
        const rows = await this.searchRead<
            OdooRecord & { name: string; model: string; res_id: number }
        >(
            "ir.model.data",
            [
                ["module", "=", DEMO_MODULE],
                ["name", "in", names],
            ],
            ["name", "model", "res_id"],
        );
        for (const row of rows) {
            if (row.model !== model) {
                throw new Error(
                    `xmlid ${DEMO_MODULE}.${row.name} points at ${row.model}, not ${model}`,
                );
            }
        }
        const alive = new Set(
            rows.length
                ? await this.search(model, [["id", "in", rows.map((row) => row.res_id)]], {
                      context: { active_test: false },
                  })
                : [],
        );
        for (const row of rows) {
            if (alive.has(row.res_id)) {
                found.set(row.name, row.res_id);
                this.xmlidCache.set(`${DEMO_MODULE}.${row.name}`, row.res_id);
            }
        }
        return found;
    }

    /** Points demo xmlids at records (creating the xmlids, or repointing ones left dangling). */
    async registerXmlids(model: string, entries: [name: string, id: number][]): Promise<void> {
        if (!entries.length) return;
        const rows = await this.searchRead<OdooRecord & { name: string }>(
            "ir.model.data",
            [
                ["module", "=", DEMO_MODULE],
                ["name", "in", entries.map(([name]) => name)],
            ],
            ["name"],
        );
        const dangling = new Map(rows.map((row) => [row.name, row.id]));
        const fresh: OdooValues[] = [];
        for (const [name, id] of entries) {
            const rowId = dangling.get(name);
            if (rowId !== undefined) {
                await this.write("ir.model.data", [rowId], { model, res_id: id });
            } else {
                fresh.push({ module: DEMO_MODULE, name, model, res_id: id, noupdate: true });
            }
            this.xmlidCache.set(`${DEMO_MODULE}.${name}`, id);
        }
        if (fresh.length) await this.call("ir.model.data", "create", [fresh]);
    }

    /**
     * Idempotent creation: `xmlid` (a name in the distribution_governance_demo module) points at
     * the record once it exists, so a second run finds it instead of creating a duplicate. An
     * xmlid whose record was deleted since is repointed at a new record.
     */
    async ensureRecord(
        xmlid: string,
        model: string,
        values: OdooValues,
        context?: OdooContext,
    ): Promise<EnsuredRecord> {
        const [record] = await this.ensureRecords(model, [{ xmlid, values }], context);
        if (!record) throw new Error(`ensureRecord ${xmlid} returned nothing`);
        return record;
    }

    /**
     * ensureRecord for many records of one model: one lookup, and one `create` call for all the
     * missing ones (much faster than one by one). Results are in the order of `entries`.
     */
    async ensureRecords(
        model: string,
        entries: { xmlid: string; values: OdooValues }[],
        context?: OdooContext,
    ): Promise<EnsuredRecord[]> {
        const found = await this.lookupXmlids(
            model,
            entries.map((entry) => entry.xmlid),
        );
        const missing = entries.filter((entry) => !found.has(entry.xmlid));
        const created = new Map<string, number>();
        if (missing.length) {
            const ids = await this.call<number[]>(
                model,
                "create",
                [missing.map((entry) => entry.values)],
                context ? { context } : {},
            );
            missing.forEach((entry, index) => {
                const id = ids[index];
                if (id === undefined) throw new Error(`${model}.create returned too few ids`);
                created.set(entry.xmlid, id);
            });
            await this.registerXmlids(model, [...created]);
        }
        return entries.map((entry) => {
            const id = found.get(entry.xmlid) ?? created.get(entry.xmlid);
            if (id === undefined) throw new Error(`no record for ${entry.xmlid}`);
            return { id, created: created.has(entry.xmlid) };
        });
    }

    /**
     * Like ensureRecord, for records that a plain `create` cannot make (wizards' results,
     * records created by another record's action): `factory` runs only when the xmlid is
     * missing and returns the id to register.
     */
    async ensureRecordWith(
        xmlid: string,
        model: string,
        factory: () => Promise<number>,
    ): Promise<EnsuredRecord> {
        const existing = (await this.lookupXmlids(model, [xmlid])).get(xmlid);
        if (existing !== undefined) {
            return { id: existing, created: false };
        }
        const id = await factory();
        await this.registerXmlids(model, [[xmlid, id]]);
        return { id, created: true };
    }
}

function searchKwargs(options: SearchOptions): OdooValues {
    const kwargs: OdooValues = {};
    if (options.limit !== undefined) kwargs.limit = options.limit;
    if (options.offset !== undefined) kwargs.offset = options.offset;
    if (options.order !== undefined) kwargs.order = options.order;
    if (options.context !== undefined) kwargs.context = options.context;
    return kwargs;
}
