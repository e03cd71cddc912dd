/** The message of a failed call: an Odoo RPCError keeps the server's text in `data.message`. */
export function errorMessage(error: unknown): string {
    if (typeof error === "object" && error !== null) {
        const data = (error as { data?: { message?: unknown } }).data;
        if (data && typeof data.message === "string" && data.message) {
            return data.message;
        }
        const message = (error as { message?: unknown }).message;
        if (typeof message === "string" && message) {
            return message;
        }
    }
    return String(error);
}
