// The web client's way into Odoo for the benchmark: JSON-RPC on /web/dataset/call_kw with a
// session cookie, as the ORM service sends it. XML-RPC cannot carry the dashboard's answer (it
// refuses None, and the KPIs have null values).
import type { OdooValue, OdooValues } from "../lib/odoo-rpc";

export class JsonRpcError extends Error {
    readonly model: string;
    readonly method: string;

    constructor(model: string, method: string, message: string) {
        super(`Odoo ${model}.${method} failed: ${message}`);
        this.name = "JsonRpcError";
        this.model = model;
        this.method = method;
    }
}

interface RpcReply<T> {
    result?: T;
    error?: { message?: string; data?: { name?: string; message?: string } };
}

export interface TimedResult<T> {
    value: T;
    ms: number;
    /** Size of the JSON answer as received. */
    bytes: number;
}

export class JsonRpcSession {
    readonly url: string;
    private cookie = "";

    private constructor(url: string) {
        this.url = url;
    }

    static async login(url: string, db: string, login: string, password: string) {
        const session = new JsonRpcSession(url);
        await session.post(
            "/web/session/authenticate",
            { db, login, password },
            "res.users",
            "login",
        );
        if (!session.cookie) throw new Error(`no session cookie from ${url} for ${login}`);
        return session;
    }

    private async post<T>(
        route: string,
        params: OdooValues,
        model: string,
        method: string,
    ): Promise<TimedResult<T>> {
        const started = performance.now();
        const response = await fetch(this.url + route, {
            method: "POST",
            headers: { "Content-Type": "application/json", Cookie: this.cookie },
            body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params }),
        });
        const text = await response.text();
        const ms = performance.now() - started;
        const setCookie = response.headers.get("set-cookie");
        if (setCookie) this.cookie = setCookie.split(";")[0] ?? "";
        let reply: RpcReply<T>;
        try {
            reply = JSON.parse(text) as RpcReply<T>;
        } catch {
            throw new JsonRpcError(model, method, `HTTP ${response.status}: ${text.slice(0, 300)}`);
        }
        if (reply.error) {
            const data = reply.error.data;
            const message = data?.message ?? reply.error.message ?? "unknown error";
            throw new JsonRpcError(
                model,
                method,
                data?.name ? `${data.name}: ${message}` : message,
            );
        }
        return { value: reply.result as T, ms, bytes: text.length };
    }

    /** One call_kw, with the time from request to parsed answer. */
    callTimed<T>(
        model: string,
        method: string,
        args: OdooValue[] = [],
        kwargs: OdooValues = {},
    ): Promise<TimedResult<T>> {
        return this.post<T>(
            `/web/dataset/call_kw/${model}/${method}`,
            { model, method, args, kwargs },
            model,
            method,
        );
    }

    async call<T>(
        model: string,
        method: string,
        args: OdooValue[] = [],
        kwargs: OdooValues = {},
    ): Promise<T> {
        return (await this.callTimed<T>(model, method, args, kwargs)).value;
    }
}
