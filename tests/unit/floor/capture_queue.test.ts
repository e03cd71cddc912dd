import {
    CaptureQueue,
    IdbCaptureStore,
    type CaptureStore,
} from "@distribution_governance/floor/capture_queue";
import {
    addScan,
    buildPayload,
    missingStep,
    newClientId,
    parseQuantity,
    type Draft,
} from "@distribution_governance/floor/floor_logic";
import type {
    CapturePayload,
    CaptureResult,
    FloorReason,
} from "@distribution_governance/types/floor";

class NetworkDown extends Error {}
class ServerRefusal extends Error {}

/**
 * The network and the server's answer, faked: offline it throws as a dropped connection;
 * `dropReplies` records the capture but loses the answer (the request reached the server);
 * the server records a client id once, as floor_capture() does.
 */
class FakeServer {
    online = true;
    dropReplies = false;
    refuse = new Set<string>();
    recorded = new Map<string, CaptureResult>();
    calls = 0;

    send = (payload: CapturePayload): Promise<CaptureResult> => {
        this.calls++;
        if (!this.online) {
            return Promise.reject(new NetworkDown("offline"));
        }
        if (this.refuse.has(payload.client_id)) {
            return Promise.reject(new ServerRefusal("Unknown barcode: X"));
        }
        const previous = this.recorded.get(payload.client_id);
        const result: CaptureResult = previous
            ? { ...previous, duplicate: true }
            : {
                  client_id: payload.client_id,
                  exception_id: this.recorded.size + 1,
                  name: `EXC/${this.recorded.size + 1}`,
                  type: "Damaged goods",
                  joined: false,
                  duplicate: false,
              };
        this.recorded.set(payload.client_id, previous ?? result);
        return this.dropReplies
            ? Promise.reject(new NetworkDown("reply lost"))
            : Promise.resolve(result);
    };
}

let dbSeq = 0;
function store(): CaptureStore {
    dbSeq++;
    return new IdbCaptureStore(`dg_floor_test_${Date.now()}_${dbSeq}`);
}

function queueOn(server: FakeServer, captureStore: CaptureStore, uid = 7): CaptureQueue {
    let clock = 1000;
    return new CaptureQueue(
        captureStore,
        server.send,
        (error) => error instanceof NetworkDown,
        (error) => (error as Error).message,
        uid,
        () => clock++,
    );
}

function payload(clientId: string): CapturePayload {
    return {
        client_id: clientId,
        picking: 12,
        barcodes: ["PRD-1", "LOC-1"],
        reason: "damaged",
        quantity: 2,
        note: "",
        photo: null,
    };
}

const damaged: FloorReason = {
    id: 2,
    code: "damaged",
    name: "Damaged",
    type: "Damaged goods",
    product_required: true,
};

QUnit.module("floor/capture_queue", () => {
    QUnit.test("online: sent at once, nothing left in the outbox", async (assert) => {
        const server = new FakeServer();
        const queue = queueOn(server, store());
        const outcome = await queue.submit(payload("aaaaaaaa-1"));
        assert.strictEqual(outcome.status, "sent");
        assert.strictEqual(server.recorded.size, 1);
        assert.strictEqual((await queue.pending()).length, 0);
    });

    QUnit.test(
        "offline mid-capture: kept with its client id, sent once when back",
        async (assert) => {
            const server = new FakeServer();
            const captureStore = store();
            const queue = queueOn(server, captureStore);
            server.online = false;
            const outcome = await queue.submit(payload("bbbbbbbb-1"));
            assert.deepEqual(outcome, { status: "queued", clientId: "bbbbbbbb-1" });
            await queue.submit(payload("bbbbbbbb-2"));
            // still offline: a flush keeps both, in order
            let report = await queue.flush();
            assert.strictEqual(report.pending, 2);
            assert.deepEqual(
                (await queue.pending()).map((i) => i.client_id),
                ["bbbbbbbb-1", "bbbbbbbb-2"],
            );
            // a reload of the page: a new queue on the same IndexedDB still has them
            const reloaded = queueOn(server, captureStore);
            server.online = true;
            report = await reloaded.flush();
            assert.deepEqual(
                report.sent.map((r) => r.client_id),
                ["bbbbbbbb-1", "bbbbbbbb-2"],
            );
            assert.strictEqual(server.recorded.size, 2, "each capture recorded once");
            assert.strictEqual((await reloaded.pending()).length, 0);
            // flushing again sends nothing
            const calls = server.calls;
            await reloaded.flush();
            assert.strictEqual(server.calls, calls);
        },
    );

    QUnit.test("a reply lost on the way back: sent again, the server keeps one", async (assert) => {
        const server = new FakeServer();
        const queue = queueOn(server, store());
        server.dropReplies = true;
        const outcome = await queue.submit(payload("cccccccc-1"));
        assert.strictEqual(outcome.status, "queued");
        server.dropReplies = false;
        const report = await queue.flush();
        assert.strictEqual(report.sent.length, 1);
        assert.true(report.sent[0]?.duplicate, "the server answered the first call's result");
        assert.strictEqual(server.recorded.size, 1);
    });

    QUnit.test(
        "refused when sent later: kept aside with the reason, not resent",
        async (assert) => {
            const server = new FakeServer();
            const queue = queueOn(server, store());
            server.online = false;
            await queue.submit(payload("dddddddd-1"));
            await queue.submit(payload("dddddddd-2"));
            server.online = true;
            server.refuse.add("dddddddd-1");
            const report = await queue.flush();
            assert.deepEqual(
                report.refused.map((i) => [i.client_id, i.error]),
                [["dddddddd-1", "Unknown barcode: X"]],
            );
            assert.deepEqual(
                report.sent.map((r) => r.client_id),
                ["dddddddd-2"],
                "the next one still goes",
            );
            assert.strictEqual((await queue.pending()).length, 0);
            assert.strictEqual((await queue.refused()).length, 1);
            const calls = server.calls;
            await queue.flush();
            assert.strictEqual(server.calls, calls, "a refused capture is not sent again");
            await queue.discard("dddddddd-1");
            assert.strictEqual((await queue.refused()).length, 0);
        },
    );

    QUnit.test(
        "refused while online: the error goes to the screen, nothing kept",
        async (assert) => {
            const server = new FakeServer();
            const queue = queueOn(server, store());
            server.refuse.add("eeeeeeee-1");
            await assert.rejects(queue.submit(payload("eeeeeeee-1")), /Unknown barcode/);
            assert.strictEqual((await queue.pending()).length + (await queue.refused()).length, 0);
        },
    );

    QUnit.test("two flushes at once send each capture once", async (assert) => {
        const server = new FakeServer();
        const queue = queueOn(server, store());
        server.online = false;
        await queue.submit(payload("ffffffff-1"));
        server.online = true;
        const calls = server.calls;
        await Promise.all([queue.flush(), queue.flush()]);
        assert.strictEqual(server.calls - calls, 1);
    });

    QUnit.test("another user's captures on the same device are not sent", async (assert) => {
        const server = new FakeServer();
        const captureStore = store();
        server.online = false;
        await queueOn(server, captureStore, 7).submit(payload("abababab-1"));
        server.online = true;
        const other = queueOn(server, captureStore, 8);
        const report = await other.flush();
        assert.strictEqual(report.sent.length, 0);
        assert.strictEqual((await queueOn(server, captureStore, 7).pending()).length, 1);
    });
});

QUnit.module("floor/floor_logic", () => {
    QUnit.test("client ids are version 4 UUIDs", (assert) => {
        const id = newClientId((bytes) => void crypto.getRandomValues(bytes));
        assert.true(
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
        );
        assert.notStrictEqual(
            id,
            newClientId((bytes) => void crypto.getRandomValues(bytes)),
        );
    });

    QUnit.test("scans: one of each kind, a rescan changes nothing", (assert) => {
        let scans = addScan([], { kind: "product", name: "Wrap", barcode: "P1" });
        scans = addScan(scans, { kind: "location", name: "WH/Stock", barcode: "L1" });
        scans = addScan(scans, { kind: "product", name: "Tape", barcode: "P2" });
        assert.deepEqual(
            scans.map((s) => s.barcode),
            ["L1", "P2"],
        );
        assert.strictEqual(addScan(scans, { kind: "location", name: "x", barcode: "L1" }), scans);
    });

    QUnit.test("the first missing step, then the payload", (assert) => {
        const draft: Draft = { pickingId: null, scans: [], reason: null, quantity: 1 };
        assert.strictEqual(missingStep(draft), "picking");
        draft.pickingId = 12;
        assert.strictEqual(missingStep(draft), "reason");
        draft.reason = damaged;
        assert.strictEqual(missingStep(draft), "product");
        draft.scans = [{ kind: "location", name: "WH/Stock", barcode: "L1" }];
        assert.strictEqual(missingStep(draft), "product", "a location is not a product");
        draft.scans.push({ kind: "unchecked", name: "P1", barcode: "P1" });
        draft.quantity = 0;
        assert.strictEqual(missingStep(draft), "quantity");
        draft.quantity = 2;
        assert.strictEqual(missingStep(draft), null);
        assert.deepEqual(buildPayload(draft, "id-1", "  dented  ", null), {
            client_id: "id-1",
            picking: 12,
            barcodes: ["L1", "P1"],
            reason: "damaged",
            quantity: 2,
            note: "dented",
            photo: null,
        });
        assert.strictEqual(
            missingStep({ ...draft, scans: [], reason: { ...damaged, product_required: false } }),
            null,
            "a label unreadable needs no product",
        );
    });

    QUnit.test("quantities typed by hand", (assert) => {
        assert.strictEqual(parseQuantity("2,5"), 2.5);
        assert.strictEqual(parseQuantity("-3"), 0);
        assert.strictEqual(parseQuantity("abc"), 0);
        assert.strictEqual(parseQuantity(4), 4);
    });
});
