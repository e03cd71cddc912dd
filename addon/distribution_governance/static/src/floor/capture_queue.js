/** @odoo-module */
class CaptureQueue {
  constructor(store, send, isNetworkError, errorMessage, uid, now = Date.now) {
    this.store = store;
    this.send = send;
    this.isNetworkError = isNetworkError;
    this.errorMessage = errorMessage;
    this.uid = uid;
    this.now = now;
  }
  store;
  send;
  isNetworkError;
  errorMessage;
  uid;
  now;
  flushing = null;
  /**
   * Sends a capture; when the network is down, keeps it for later. The capture goes into the
   * outbox before it is sent: a tab closed mid-request still has it.
   */
  async submit(payload) {
    const item = {
      client_id: payload.client_id,
      uid: this.uid,
      payload,
      queued_at: this.now()
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
      await this.store.delete(payload.client_id);
      throw error;
    }
  }
  /** The current user's captures still to send, oldest first. */
  async pending() {
    return (await this.mine()).filter((item) => !item.error);
  }
  /** The current user's captures the server refused when they were sent later. */
  async refused() {
    return (await this.mine()).filter((item) => Boolean(item.error));
  }
  async mine() {
    const items = await this.store.all();
    return items.filter((item) => item.uid === this.uid).sort((a, b) => a.queued_at - b.queued_at);
  }
  /** Sends what waits, oldest first; stops at the first network failure. One at a time. */
  flush() {
    if (!this.flushing) {
      this.flushing = this.doFlush().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }
  async doFlush() {
    const report = { sent: [], refused: [], pending: 0 };
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
  async discard(clientId) {
    await this.store.delete(clientId);
  }
}
const DB_NAME = "distribution_governance_floor";
const STORE = "captures";
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}
class IdbCaptureStore {
  constructor(name = DB_NAME) {
    this.name = name;
  }
  name;
  db = null;
  open() {
    if (!this.db) {
      const req = indexedDB.open(this.name, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      this.db = request(req);
    }
    return this.db;
  }
  async objectStore(mode) {
    const db = await this.open();
    return db.transaction(STORE, mode).objectStore(STORE);
  }
  async all() {
    return request(
      (await this.objectStore("readonly")).getAll()
    );
  }
  async put(item) {
    await request((await this.objectStore("readwrite")).put(item));
  }
  async delete(clientId) {
    await request((await this.objectStore("readwrite")).delete(clientId));
  }
}
function storeName(dbName) {
  return `${DB_NAME}:${dbName}`;
}
export {
  CaptureQueue,
  IdbCaptureStore,
  storeName
};
