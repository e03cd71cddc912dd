// The floor capture's outbox: captures not yet acknowledged by the server, kept in IndexedDB
// with their client id so that a dropped network loses nothing, and sent again when it
// returns. The server records a client id once, so sending one twice doubles nothing.
import type { CapturePayload, CaptureResult } from "@distribution_governance/types/floor";

/** A capture waiting in the outbox; `error` once the server refused it (not sent again). */
export interface QueuedCapture {
    client_id: string;
    /** The user who captured it: only their session sends it. */
    uid: number;
    payload: CapturePayload;
    queued_at: number;
    error?: string;
}

/** Where the outbox lives (IndexedDB in the browser). */
export interface CaptureStore {
    all(): Promise<QueuedCapture[]>;
    put(item: QueuedCapture): Promise<void>;
    delete(clientId: string): Promise<void>;
}

/** Sends one capture to the server. */
export type SendCapture = (payload: CapturePayload) => Promise<CaptureResult>;

export type SubmitOutcome =
    { status: "sent"; result: CaptureResult } | { status: "queued"; clientId: string };

export interface FlushReport {
    sent: CaptureResult[];
    refused: QueuedCapture[];
    /** Still waiting: the network dropped again before they went. */
    pending: number;
}

/**
 * The outbox logic, with the store, the sender and what counts as a network failure given.
 * A network failure queues (or keeps) a capture; any other failure is the server's answer
 * about it (a bad scan found on sending): it is kept aside with that message, not resent.
 */
export class CaptureQueue {
    private flushing: Promise<FlushReport> | null = null;

    constructor(
        private readonly store: CaptureStore,
        private readonly send: SendCapture,
        private readonly isNetworkError: (error: unknown) => boolean,
        private readonly errorMessage: (error: unknown) => string,
        private readonly uid: number,
        private readonly now: () => number = Date.now,
    ) {}

    /**
     * Sends a capture; when the network is down, keeps it for later. The capture goes into the
     * outbox before it is sent: a tab closed mid-request still has it.
     */
    async submit(payload: CapturePayload): Promise<SubmitOutcome> {
        const item: QueuedCapture = {
            client_id: payload.client_id,
            uid: this.uid,
            payload,
            queued_at: this.now(),
        };
        await this.store.put(item);
        try {
            const result = await this.send(payload);
            await this.store.delete(payload.client_id);
            return { status: "sent", result };
        } catch (error) {
            if (this.isNetworkError(error)) {
                return { status: "queued", clientId: payload.client_id };
            }
            // the server refused it while online: the screen shows why, nothing is kept
            await this.store.delete(payload.client_id);
            throw error;
        }
    }

    /** The current user's captures still to send, oldest first. */
    async pending(): Promise<QueuedCapture[]> {
        return (await this.mine()).filter((item) => !item.error);
    }

    /** The current user's captures the server refused when they were sent later. */
    async refused(): Promise<QueuedCapture[]> {
        return (await this.mine()).filter((item) => Boolean(item.error));
    }

    private async mine(): Promise<QueuedCapture[]> {
        const items = await this.store.all();
        return items
            .filter((item) => item.uid === this.uid)
            .sort((a, b) => a.queued_at - b.queued_at);
    }

    /** Sends what waits, oldest first; stops at the first network failure. One at a time. */
    flush(): Promise<FlushReport> {
        if (!this.flushing) {
            this.flushing = this.doFlush().finally(() => {
                this.flushing = null;
            });
        }
        return this.flushing;
    }

    private async doFlush(): Promise<FlushReport> {
        const report: FlushReport = { sent: [], refused: [], pending: 0 };
        const waiting = await this.pending();
        for (const [index, item] of waiting.entries()) {
            try {
                report.sent.push(await this.send(item.payload));
                await this.store.delete(item.client_id);
            } catch (error) {
                if (this.isNetworkError(error)) {
                    report.pending = waiting.length - index;
                    break;
                }
                const refused = { ...item, error: this.errorMessage(error) };
                await this.store.put(refused);
                report.refused.push(refused);
            }
        }
        return report;
    }

    /** Drops a refused capture the user has read about. */
    async discard(clientId: string): Promise<void> {
        await this.store.delete(clientId);
    }
}

const DB_NAME = "distribution_governance_floor";
const STORE = "captures";

function request<T>(req: IDBRequest<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
    });
}

/** The outbox in IndexedDB (one database per Odoo database name). */
export class IdbCaptureStore implements CaptureStore {
    private db: Promise<IDBDatabase> | null = null;

    constructor(private readonly name: string = DB_NAME) {}

    private open(): Promise<IDBDatabase> {
        if (!this.db) {
            const req = indexedDB.open(this.name, 1);
            req.onupgradeneeded = () => {
                req.result.createObjectStore(STORE, { keyPath: "client_id" });
            };
            this.db = request(req);
        }
        return this.db;
    }

    private async objectStore(mode: IDBTransactionMode): Promise<IDBObjectStore> {
        const db = await this.open();
        return db.transaction(STORE, mode).objectStore(STORE);
    }

    async all(): Promise<QueuedCapture[]> {
        return request(
            (await this.objectStore("readonly")).getAll() as IDBRequest<QueuedCapture[]>,
        );
    }

    async put(item: QueuedCapture): Promise<void> {
        await request((await this.objectStore("readwrite")).put(item));
    }

    async delete(clientId: string): Promise<void> {
        await request((await this.objectStore("readwrite")).delete(clientId));
    }
}

/** The database name of the outbox of one Odoo database. */
export function storeName(dbName: string): string {
    return `${DB_NAME}:${dbName}`;
}
