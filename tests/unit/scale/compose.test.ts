import {
    durationMs,
    entriesFrom,
    hostPath,
    mapMountedPaths,
    parseVolume,
    planHost,
    startOrder,
    unescapeDollars,
    type ComposeConfig,
    type Substitutes,
} from "../../../scripts/scale/compose";

const SUBS: Substitutes = {
    pgBin: "/usr/lib/postgresql/15/bin",
    pgMajor: "15",
    odooPython: "/usr/bin/python3",
    odooSrc: "/src/odoo",
    lang: "C.UTF-8",
};
const VOLUMES = "/run/scale/volumes";

/** What `docker-compose --profile scale config` prints of docker-compose.yml (as JSON). */
function config(): ComposeConfig {
    return {
        services: {
            db: {
                image: "postgres:16",
                command: [
                    "postgres",
                    "-c",
                    "hba_file=/etc/postgresql/pg_hba.conf",
                    "-c",
                    "synchronous_standby_names=replica",
                ],
                environment: {
                    POSTGRES_DB: "postgres",
                    POSTGRES_USER: "odoo",
                    POSTGRES_PASSWORD: "odoo",
                },
                volumes: [
                    "db-data:/var/lib/postgresql/data:rw",
                    "/repo/docker/pg_hba.conf:/etc/postgresql/pg_hba.conf:ro",
                ],
                healthcheck: {
                    test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U odoo"],
                    interval: "5s",
                    retries: 20,
                },
            },
            "db-replica": {
                image: "postgres:16",
                user: "postgres",
                depends_on: { db: { condition: "service_healthy" } },
                environment: { PGPASSWORD: "odoo" },
                command: ["bash", "-ec", 'test -s "$$PGDATA/PG_VERSION" || echo $$$$\n'],
                volumes: ["db-replica-data:/var/lib/postgresql/data:rw"],
            },
            "odoo-workers": {
                image: "odoo:18",
                depends_on: {
                    db: { condition: "service_healthy" },
                    "db-replica": { condition: "service_healthy" },
                },
                command: ["--workers=4", "--db_replica_host=db-replica"],
                environment: { HOST: "db", USER: "odoo", PASSWORD: "odoo" },
                volumes: ["/repo/addon:/mnt/extra-addons:ro", "odoo-data:/var/lib/odoo:rw"],
                ports: ["8070:8069"],
            },
            odoo: {
                image: "odoo:18",
                depends_on: { db: { condition: "service_healthy" } },
                environment: { HOST: "db", USER: "odoo", PASSWORD: "odoo" },
                volumes: ["/repo/addon:/mnt/extra-addons:ro", "odoo-data:/var/lib/odoo:rw"],
            },
        },
    };
}

QUnit.module("scale/compose", () => {
    QUnit.test("compose's $$ is the container's $", (assert) => {
        assert.strictEqual(unescapeDollars('"$$PGDATA" $$$$ $HOME'), '"$PGDATA" $$ $HOME');
    });

    QUnit.test("durations", (assert) => {
        assert.strictEqual(durationMs("5s"), 5000);
        assert.strictEqual(durationMs("1m30s"), 90_000);
        assert.strictEqual(durationMs("250ms"), 250);
        assert.strictEqual(durationMs(undefined), 30_000);
        assert.throws(() => durationMs("5 seconds"), /unknown duration/);
    });

    QUnit.test("volumes: named ones are folders of the run, binds keep their path", (assert) => {
        assert.deepEqual(parseVolume("db-data:/var/lib/postgresql/data:rw", VOLUMES), {
            source: `${VOLUMES}/db-data`,
            target: "/var/lib/postgresql/data",
            readOnly: false,
            named: true,
        });
        assert.deepEqual(parseVolume("/repo/addon:/mnt/extra-addons:ro", VOLUMES), {
            source: "/repo/addon",
            target: "/mnt/extra-addons",
            readOnly: true,
            named: false,
        });
    });

    QUnit.test("a container's paths on this machine", (assert) => {
        const mounts = [
            parseVolume("odoo-data:/var/lib/odoo:rw", VOLUMES),
            parseVolume("/repo/addon:/mnt/extra-addons:ro", VOLUMES),
            parseVolume("/repo/x:/var/lib/odoo/sessions:rw", VOLUMES),
        ];
        assert.strictEqual(
            hostPath(mounts, "/h", "/var/lib/odoo/filestore"),
            `${VOLUMES}/odoo-data/filestore`,
        );
        assert.strictEqual(hostPath(mounts, "/h", "/var/lib/odoo/sessions/a"), "/repo/x/a");
        assert.strictEqual(hostPath(mounts, "/h", "/var/lib/odoo2"), "/h/var/lib/odoo2");
        assert.strictEqual(hostPath(mounts, "/h", "/etc/odoo/odoo.conf"), "/h/etc/odoo/odoo.conf");
        assert.strictEqual(
            mapMountedPaths(mounts, "--addons-path=/mnt/extra-addons,/mnt/extra-addons2"),
            "--addons-path=/repo/addon,/mnt/extra-addons2",
        );
    });

    QUnit.test("start order follows depends_on; a cycle is refused", (assert) => {
        assert.deepEqual(startOrder(config()), ["db", "db-replica", "odoo", "odoo-workers"]);
        const cyclic = config();
        cyclic.services.db = { ...cyclic.services.db, depends_on: ["odoo"] };
        assert.throws(() => startOrder(cyclic), /depends_on cycle: db → odoo → db/);
        const missing = config();
        missing.services.odoo = { ...missing.services.odoo, depends_on: ["redis"] };
        assert.throws(() => startOrder(missing), /odoo depends on redis/);
    });

    QUnit.test(
        "the primary: the postgres image's entrypoint, its paths on the volumes",
        (assert) => {
            const plan = planHost("db", config().services.db ?? {}, SUBS, "/h/db", VOLUMES);
            assert.strictEqual(plan.kind, "postgres");
            assert.strictEqual(plan.user, "root");
            assert.deepEqual(plan.argv, [
                "/h/db/usr/local/bin/docker-entrypoint.sh",
                "postgres",
                "-c",
                "hba_file=/repo/docker/pg_hba.conf",
                "-c",
                "synchronous_standby_names=replica",
            ]);
            assert.strictEqual(plan.env.PGDATA, `${VOLUMES}/db-data`);
            assert.strictEqual(plan.env.PATH?.split(":")[0], "/usr/lib/postgresql/15/bin");
            assert.strictEqual(plan.env.POSTGRES_USER, "odoo");
            assert.deepEqual(plan.volumeDirs, [
                { path: `${VOLUMES}/db-data`, owner: "postgres", mode: "1777" },
            ]);
            assert.deepEqual(plan.healthcheck, {
                command: "pg_isready -h 127.0.0.1 -U odoo",
                intervalMs: 5000,
                retries: 20,
            });
            const entrypoint = plan.files[plan.argv[0] ?? ""] ?? "";
            assert.ok(entrypoint.includes('initdb --username="$POSTGRES_USER" --pwfile='));
            assert.ok(entrypoint.includes("host all all all scram-sha-256"));
            assert.ok(entrypoint.includes("listen_addresses = '*'"));
        },
    );

    QUnit.test("the replica: its script verbatim, as postgres, after db is healthy", (assert) => {
        const service = config().services["db-replica"] ?? {};
        const plan = planHost("db-replica", service, SUBS, "/h/r", VOLUMES);
        assert.strictEqual(plan.user, "postgres");
        assert.strictEqual(plan.env.HOME, "/var/lib/postgresql");
        assert.strictEqual(plan.env.PGPASSWORD, "odoo");
        assert.deepEqual(plan.argv.slice(1), [
            "bash",
            "-ec",
            'test -s "$PGDATA/PG_VERSION" || echo $$\n',
        ]);
        assert.deepEqual(plan.dependsOn, [{ service: "db", condition: "service_healthy" }]);
        assert.strictEqual(plan.healthcheck, null);
    });

    QUnit.test("odoo: the image's entrypoint and odoo.conf, the addon mounted", (assert) => {
        const service = config().services["odoo-workers"] ?? {};
        const plan = planHost("odoo-workers", service, SUBS, "/h/w", VOLUMES);
        assert.strictEqual(plan.kind, "odoo");
        assert.deepEqual(plan.argv, [
            "/h/w/entrypoint.sh",
            "--workers=4",
            "--db_replica_host=db-replica",
        ]);
        assert.strictEqual(plan.env.HOST, "db");
        assert.strictEqual(plan.env.ODOO_RC, "/h/w/etc/odoo/odoo.conf");
        assert.strictEqual(
            plan.files["/h/w/etc/odoo/odoo.conf"],
            "[options]\naddons_path = /repo/addon,/src/odoo/addons\n" +
                `data_dir = ${VOLUMES}/odoo-data\n`,
        );
        assert.ok(plan.files["/h/w/entrypoint.sh"]?.includes('odoo "$@" "${DB_ARGS[@]}"'));
        assert.deepEqual(plan.ports, ["8070:8069"]);
        const odoo = planHost("odoo", config().services.odoo ?? {}, SUBS, "/h/o", VOLUMES);
        assert.deepEqual(odoo.argv.slice(1), ["odoo"], "the image's CMD");
        assert.throws(
            () => planHost("cache", { image: "redis:7" }, SUBS, "/h/c", VOLUMES),
            /no substitute for the image "redis:7"/,
        );
    });

    QUnit.test("a server's log entries of one client, continuation lines included", (assert) => {
        const log = [
            "2026-11-30 23:00:00.001 UTC [10] 10.0.0.14 dg LOG:  statement: SELECT 1",
            "2026-11-30 23:00:00.002 UTC [11] 10.0.0.13 dg LOG:  statement: SELECT",
            "\t2 FROM x",
            "2026-11-30 23:00:00.003 UTC [10] 10.0.0.14 dg LOG:  statement: UPDATE y",
            "\tSET z = 1",
            "2026-11-30 23:00:00.004 UTC [9]   LOG:  checkpoint starting: time",
        ].join("\n");
        assert.strictEqual(
            entriesFrom(log, "10.0.0.14"),
            [
                "2026-11-30 23:00:00.001 UTC [10] 10.0.0.14 dg LOG:  statement: SELECT 1",
                "2026-11-30 23:00:00.003 UTC [10] 10.0.0.14 dg LOG:  statement: UPDATE y",
                "\tSET z = 1",
            ].join("\n"),
        );
        assert.strictEqual(entriesFrom(log, "10.0.0.1"), "");
    });
});
