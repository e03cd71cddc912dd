// A throw-away PostgreSQL primary, and a streaming replica of it made with `pg_basebackup -R`,
// for the scripts that run Odoo against a primary and a read replica on this machine
// (`npm run replica-check`, `npm run load`).
//
// The primary listens on a socket only, under its own folder; the replica on 127.0.0.1:port.
// A throw-away primary keeps the clone to the databases the script puts in it (a replica of
// this machine's shared cluster would clone every database on it). `stop()` stops both servers
// and `remove()` deletes their folder.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { sh, shOk } from "./odoo-process.mjs";

export interface PgClusterOptions {
    /** The folder of the servers' data, socket and logs (emptied first, removed by remove()). */
    dir: string;
    /** The replica's TCP port on 127.0.0.1; the primary's socket is named by the one before. */
    replicaPort: number;
    /** Lines added to the primary's postgresql.conf before it starts. */
    primaryConf?: string[];
    /** Lines added to the replica's postgresql.conf (after those it inherits from the primary). */
    replicaConf?: string[];
}

// as root (this machine), PostgreSQL's own programs run as its user
const AS_PG = process.getuid?.() === 0 ? "runuser -u postgres -- " : "";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PgCluster {
    readonly dir: string;
    readonly socket: string;
    readonly primaryDir: string;
    readonly replicaDir: string;
    readonly primaryLog: string;
    readonly replicaLog: string;
    readonly primaryPort: number;
    readonly replicaPort: number;
    /** The environment that points psql, pg_dump and Odoo's scripts at the primary. */
    readonly primaryEnv: Record<string, string>;
    private readonly options: PgClusterOptions;
    private pgBin = "";

    constructor(options: PgClusterOptions) {
        this.options = options;
        this.dir = options.dir;
        this.socket = path.join(this.dir, "socket");
        this.primaryDir = path.join(this.dir, "primary");
        this.replicaDir = path.join(this.dir, "replica");
        this.primaryLog = path.join(this.dir, "primary.log");
        this.replicaLog = path.join(this.dir, "replica.log");
        this.replicaPort = options.replicaPort;
        this.primaryPort = options.replicaPort - 1;
        this.primaryEnv = { PGHOST: this.socket, PGPORT: String(this.primaryPort) };
    }

    /** The folder of the installed PostgreSQL's programs (that of this machine's server). */
    async binaries(): Promise<string> {
        if (!this.pgBin) {
            const { out } = await shOk(
                `psql -d postgres -AtXc "SHOW server_version_num"`,
                "the version of this machine's PostgreSQL",
            );
            this.pgBin =
                process.env.PG_BIN || `/usr/lib/postgresql/${Math.floor(Number(out) / 10000)}/bin`;
        }
        return this.pgBin;
    }

    private async pgCtl(dataDir: string, action: string, logFile = ""): Promise<void> {
        await sh(
            `${AS_PG}${this.pgBin}/pg_ctl -D ${dataDir} ${logFile ? `-l ${logFile}` : ""} -w -t 60 ${action}`,
        );
    }

    private async appendConf(dataDir: string, lines: string[], what: string): Promise<void> {
        if (!lines.length) return;
        await shOk(`cat >> ${dataDir}/postgresql.conf <<'EOF'\n${lines.join("\n")}\nEOF`, what);
    }

    /** initdb and start the primary (trust authentication, fsync off: it is thrown away). */
    async startPrimary(): Promise<void> {
        const pgBin = await this.binaries();
        const busy = await sh(`(exec 3<>/dev/tcp/127.0.0.1/${this.replicaPort}) 2>/dev/null`);
        if (busy.code === 0) throw new Error(`port ${this.replicaPort} is in use`);
        rmSync(this.dir, { recursive: true, force: true });
        mkdirSync(this.socket, { recursive: true });
        if (AS_PG) await shOk(`chown -R postgres: ${this.dir}`, "the temporary folder");
        await shOk(
            `${AS_PG}${pgBin}/initdb -D ${this.primaryDir} -U "$PGUSER" --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync`,
            "initdb",
        );
        await this.appendConf(
            this.primaryDir,
            [
                "listen_addresses = ''",
                `port = ${this.primaryPort}`,
                `unix_socket_directories = '${this.socket}'`,
                "shared_buffers = 64MB",
                "fsync = off",
                "max_wal_senders = 4",
                "log_line_prefix = '%m [%p] %d '",
                ...(this.options.primaryConf ?? []),
            ],
            "the primary's settings",
        );
        await this.pgCtl(this.primaryDir, "start", this.primaryLog);
    }

    /** psql on the primary (or the replica); the rows as psql -At prints them. */
    async psql(sql: string, db = "postgres", on: "primary" | "replica" = "primary") {
        const where =
            on === "primary"
                ? `-h ${this.socket} -p ${this.primaryPort}`
                : `-h 127.0.0.1 -p ${this.replicaPort}`;
        const { out } = await shOk(
            `psql ${where} -d ${db} -AtXc "$CLUSTER_SQL"`,
            `psql (${on}) ${sql}`,
            { env: { CLUSTER_SQL: sql } },
        );
        return out.trim();
    }

    /** A copy of `source` of this machine's cluster (and its filestore) as `db` on the primary. */
    async copyFromMain(source: string, db: string): Promise<void> {
        await shOk(`createdb -T template0 -E UTF8 ${db}`, "createdb", { env: this.primaryEnv });
        await shOk(
            `pg_dump -d ${source} --no-owner | psql -q -X -v ON_ERROR_STOP=1 -h ${this.socket} -p ${this.primaryPort} -d ${db} >/dev/null`,
            `the copy of ${source}`,
        );
        await sh(`rm -rf "$FILESTORE/${db}" && scripts/pg copy-filestore ${source} ${db}`);
    }

    /**
     * `pg_basebackup -R` of the primary into a hot standby on 127.0.0.1:replicaPort, named
     * `standby` (its application_name); resolves once it streams, with pg_stat_replication's
     * `name state` (empty when it never did).
     */
    async startReplica(standby: string): Promise<string> {
        const pgBin = await this.binaries();
        await shOk(
            `${AS_PG}${pgBin}/pg_basebackup -d "host=${this.socket} port=${this.primaryPort} user=$PGUSER application_name=${standby}" -D ${this.replicaDir} -R -X stream -c fast`,
            "pg_basebackup",
        );
        await this.appendConf(
            this.replicaDir,
            [
                "listen_addresses = '127.0.0.1'",
                `port = ${this.replicaPort}`,
                "hot_standby = on",
                ...(this.options.replicaConf ?? []),
            ],
            "the replica's settings",
        );
        await this.pgCtl(this.replicaDir, "start", this.replicaLog);
        let replication = "";
        for (let i = 0; i < 30 && !replication.includes("streaming"); i++) {
            replication = await this.psql(
                `SELECT application_name || ' ' || state FROM pg_stat_replication`,
            );
            if (!replication.includes("streaming")) await sleep(1000);
        }
        return replication;
    }

    /**
     * Commits on the primary wait for `standby` to apply them (read-your-writes: what a reader
     * sees on the replica next includes them); `extra` lines join the primary's settings.
     * Resolves with the standby's sync_state.
     */
    async makeSynchronous(standby: string, extra: string[] = []): Promise<string> {
        await this.appendConf(
            this.primaryDir,
            [
                `synchronous_standby_names = '${standby}'`,
                "synchronous_commit = remote_apply",
                ...extra,
            ],
            "the primary's synchronous replication",
        );
        await this.pgCtl(this.primaryDir, "reload");
        return this.psql(
            `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${standby}'`,
        );
    }

    /** Whether the replica refuses a write, as a hot standby must. */
    async replicaRefusesWrites(db: string): Promise<boolean> {
        const { out } = await sh(
            `psql -h 127.0.0.1 -p ${this.replicaPort} -d ${db} -AtXc "CREATE TABLE dg_x (id int)"`,
        );
        return out.includes("read-only transaction");
    }

    get replicaRunning(): boolean {
        return existsSync(path.join(this.replicaDir, "postmaster.pid"));
    }

    /** Stops the replica, then the primary (those running). */
    async stop(): Promise<void> {
        if (!this.pgBin) return;
        for (const dir of [this.replicaDir, this.primaryDir]) {
            if (existsSync(path.join(dir, "postmaster.pid"))) await this.pgCtl(dir, "stop -m fast");
        }
    }

    /** Deletes the folder (after stop()). */
    remove(): void {
        rmSync(this.dir, { recursive: true, force: true });
    }
}
