// The odoo-xmlrpc package ships no types. Only what scripts/lib/odoo-rpc.ts uses is declared.
declare module "odoo-xmlrpc" {
    /** Error given by the underlying `xmlrpc` client; Odoo faults carry faultCode/faultString. */
    interface OdooXmlrpcError extends Error {
        faultCode?: number | string;
        faultString?: string;
        code?: number | string;
    }

    type OdooXmlrpcCallback = (error: OdooXmlrpcError | null, value: unknown) => void;

    interface OdooXmlrpcConfig {
        url: string;
        port?: number | string;
        db: string;
        username: string;
        password: string;
    }

    class OdooXmlrpc {
        constructor(config: OdooXmlrpcConfig);
        host: string;
        port: number | string;
        db: string;
        username: string;
        password: string;
        /** Calls common.authenticate; the callback receives the uid. */
        connect(callback: OdooXmlrpcCallback): void;
        /** `params` is spread after (db, uid, password, model, method): pass `[args, kwargs]`. */
        execute_kw(
            model: string,
            method: string,
            params: unknown[],
            callback: OdooXmlrpcCallback,
        ): void;
    }

    export = OdooXmlrpc;
}
