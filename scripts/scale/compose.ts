// docker-compose.yml's services as hosts of this machine, for `npm run scale-check`, as pure
// functions (tests/unit/scale): what `docker-compose config` resolved (JSON) in, for each service
// the program to run, its environment, its files and its healthcheck out. Only the images are
// substituted: Debian's PostgreSQL for `postgres:N`, Odoo's source for `odoo:N`; their
// entrypoints are translated (what the official images' docker-entrypoint.sh and entrypoint.sh
// do) and the paths inside a container become the folders its volumes name.

export interface ComposeService {
    image?: string;
    command?: string[] | string;
    environment?: Record<string, string | number | boolean | null>;
    volumes?: string[];
    depends_on?: Record<string, { condition?: string }> | string[];
    healthcheck?: { test?: string[] | string; interval?: string; retries?: number };
    user?: string;
    ports?: string[];
    profiles?: string[];
}

export interface ComposeConfig {
    services: Record<string, ComposeService>;
}

/** What stands for the images on this machine. */
export interface Substitutes {
    /** Debian's PostgreSQL programs, e.g. /usr/lib/postgresql/15/bin. */
    pgBin: string;
    pgMajor: string;
    odooPython: string;
    /** Odoo's source (odoo-bin, addons, odoo/addons). */
    odooSrc: string;
    /** The images' LANG (en_US.UTF-8) where this machine has no such locale. */
    lang: string;
}

export interface Mount {
    source: string;
    target: string;
    readOnly: boolean;
    /** A named volume (a folder of the run), not a file or folder of the repository. */
    named: boolean;
}

export interface HostPlan {
    service: string;
    kind: "postgres" | "odoo";
    image: string;
    /** Who runs the entrypoint: compose's `user`, else the image's (root here for both). */
    user: string;
    env: Record<string, string>;
    /** The translated entrypoint's path, then the command, as `docker run` passes them. */
    argv: string[];
    /** Files the container has from its image (entrypoint, configuration): path → content. */
    files: Record<string, string>;
    mounts: Mount[];
    /** Named volumes' folders, made as the image has the path they are mounted on. */
    volumeDirs: { path: string; owner: string; mode: string }[];
    /** The healthcheck's shell command, run as `user` in the host, with its interval and retries. */
    healthcheck: { command: string; intervalMs: number; retries: number } | null;
    /** The services that must be healthy (or started) first. */
    dependsOn: { service: string; condition: string }[];
    ports: string[];
}

/** Compose writes a literal `$` as `$$` (and `config` prints it so); the container gets `$`. */
export function unescapeDollars(text: string): string {
    return text.replace(/\$\$/g, "$");
}

/** `5s`, `1m30s`, `500ms` (compose's durations) in milliseconds. */
export function durationMs(text: string | undefined, fallback = 30_000): number {
    if (!text) return fallback;
    const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
    let total = 0;
    let matched = "";
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)) {
        total += Number(m[1]) * (units[m[2] ?? "s"] ?? 0);
        matched += m[0];
    }
    if (matched !== text) throw new Error(`unknown duration ${JSON.stringify(text)}`);
    return total;
}

/** A `source:target[:mode]` volume of `config`'s output; named volumes live under `volumesDir`. */
export function parseVolume(spec: string, volumesDir: string): Mount {
    const [source = "", target = "", mode = "rw"] = spec.split(":");
    const named = !source.startsWith("/") && !source.startsWith(".");
    return {
        source: named ? `${volumesDir}/${source}` : source,
        target,
        readOnly: mode.split(",").includes("ro"),
        named,
    };
}

/**
 * A path inside the container as a path of this machine: under the volume mounted on it (the
 * deepest), else under `rootDir`, the host's own folder for what its image carries.
 */
export function hostPath(mounts: Mount[], rootDir: string, containerPath: string): string {
    let best: Mount | null = null;
    for (const m of mounts) {
        const inside = containerPath === m.target || containerPath.startsWith(`${m.target}/`);
        if (inside && (!best || m.target.length > best.target.length)) best = m;
    }
    return best ? best.source + containerPath.slice(best.target.length) : rootDir + containerPath;
}

/** Every mounted path in `text` (a command's argument) as the path of this machine. */
export function mapMountedPaths(mounts: Mount[], text: string): string {
    const targets = [...mounts].sort((a, b) => b.target.length - a.target.length);
    let out = text;
    for (const m of targets) {
        const escaped = m.target.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        out = out.replace(
            new RegExp(`(^|[=\\s,:'"])${escaped}(?=$|[/\\s,:'"])`, "g"),
            (_all, before: string) => before + m.source,
        );
    }
    return out;
}

/** The services in an order that starts each after those it depends on. */
export function startOrder(config: ComposeConfig): string[] {
    const order: string[] = [];
    const visiting = new Set<string>();
    const visit = (name: string, path: string[]): void => {
        if (order.includes(name)) return;
        if (visiting.has(name)) throw new Error(`depends_on cycle: ${[...path, name].join(" → ")}`);
        const service = config.services[name];
        if (!service) throw new Error(`${path.at(-1)} depends on ${name}, which is not a service`);
        visiting.add(name);
        for (const dep of dependencies(service)) visit(dep.service, [...path, name]);
        visiting.delete(name);
        order.push(name);
    };
    for (const name of Object.keys(config.services).sort()) visit(name, []);
    return order;
}

function dependencies(service: ComposeService): { service: string; condition: string }[] {
    const deps = service.depends_on ?? [];
    if (Array.isArray(deps)) return deps.map((s) => ({ service: s, condition: "service_started" }));
    return Object.entries(deps).map(([s, d]) => ({
        service: s,
        condition: d.condition ?? "service_started",
    }));
}

function commandOf(service: ComposeService): string[] | null {
    const command = service.command;
    if (command === undefined || command === null) return null;
    // a string command is split by compose like a shell would; the file uses lists only
    if (typeof command === "string") return command.split(/\s+/).filter(Boolean);
    return command.map((arg) => unescapeDollars(String(arg)));
}

function composeEnv(service: ComposeService): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(service.environment ?? {})) {
        if (v !== null && v !== undefined) env[k] = unescapeDollars(String(v));
    }
    return env;
}

function healthcheckOf(service: ComposeService): HostPlan["healthcheck"] {
    const hc = service.healthcheck;
    if (!hc?.test) return null;
    const test = typeof hc.test === "string" ? ["CMD-SHELL", hc.test] : hc.test;
    const [kind, ...rest] = test;
    let command: string;
    if (kind === "CMD-SHELL") command = rest.join(" ");
    else if (kind === "CMD") command = rest.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    else return null; // NONE
    return {
        command: unescapeDollars(command),
        intervalMs: durationMs(hc.interval),
        retries: hc.retries ?? 3,
    };
}

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The postgres image's docker-entrypoint.sh, translated: as root it owns $PGDATA and the socket
 * folder to postgres and starts again as postgres (gosu → setpriv); on an empty $PGDATA, initdb
 * with POSTGRES_USER and POSTGRES_PASSWORD, the image's `listen_addresses = '*'` (its
 * postgresql.conf.sample), `host all all all scram-sha-256` appended to $PGDATA/pg_hba.conf, a
 * temporary socket-only server with the command's settings to create POSTGRES_DB (when not
 * `postgres`); then the command. A first argument starting with `-` is postgres's.
 */
export const POSTGRES_ENTRYPOINT = `#!/usr/bin/env bash
set -Eeo pipefail
if [ "\${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    find "$PGDATA" \\! -user postgres -exec chown postgres '{}' +
    chmod 700 "$PGDATA"
    chown postgres /var/run/postgresql && chmod 3777 /var/run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql "$0" "$@"
fi
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "\${POSTGRES_USER:=postgres}" "\${POSTGRES_DB:=$POSTGRES_USER}"
    if [ -z "$POSTGRES_PASSWORD" ]; then echo >&2 "error: POSTGRES_PASSWORD is not set"; exit 1; fi
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\\n' "$POSTGRES_PASSWORD") -D "$PGDATA" $POSTGRES_INITDB_ARGS
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    printf '\\nhost all all all scram-sha-256\\n' >> "$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "$(printf '%q ' "\${@:2}" -c listen_addresses= -p 5432)" -w start
    if [ "$POSTGRES_DB" != postgres ]; then
        psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --dbname postgres -c "CREATE DATABASE \\"$POSTGRES_DB\\""
    fi
    pg_ctl -D "$PGDATA" -m fast -w stop
    echo 'PostgreSQL init process complete; ready for start up.'
fi
exec "$@"
`;

/**
 * The odoo image's entrypoint.sh, translated: HOST, PORT, USER, PASSWORD (or the image's
 * defaults: db, 5432, odoo, odoo) become --db_host, --db_port, --db_user, --db_password unless
 * $ODOO_RC sets them; wait-for-psql.py (30 s) before Odoo; `odoo` is Odoo's odoo-bin.
 */
export const ODOO_ENTRYPOINT = `#!/bin/bash
set -e
odoo() { exec "$DGS_ODOO_PYTHON" "$DGS_ODOO_SRC/odoo-bin" "$@"; }
if [ -v PASSWORD_FILE ]; then PASSWORD="$(< "$PASSWORD_FILE")"; fi
: "\${HOST:=\${DB_PORT_5432_TCP_ADDR:='db'}}"
: "\${PORT:=\${DB_PORT_5432_TCP_PORT:=5432}}"
: "\${USER:=\${DB_ENV_POSTGRES_USER:=\${POSTGRES_USER:='odoo'}}}"
: "\${PASSWORD:=\${DB_ENV_POSTGRES_PASSWORD:=\${POSTGRES_PASSWORD:='odoo'}}}"
DB_ARGS=()
check_config() {
    param="$1"
    value="$2"
    if grep -q -E "^\\s*\\b\${param}\\b\\s*=" "$ODOO_RC"; then
        value=$(grep -E "^\\s*\\b\${param}\\b\\s*=" "$ODOO_RC" | cut -d " " -f3 | sed 's/["\\n\\r]//g')
    fi
    DB_ARGS+=("--\${param}" "\${value}")
}
check_config db_host "$HOST"
check_config db_port "$PORT"
check_config db_user "$USER"
check_config db_password "$PASSWORD"
wait_for_psql() {
    for _ in $(seq 30); do
        if psql "host=\${DB_ARGS[1]} port=\${DB_ARGS[3]} user=\${DB_ARGS[5]} password=\${DB_ARGS[7]} dbname=postgres connect_timeout=1" -AtXc 'SELECT 1' >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    echo >&2 "Unable to connect to the database"; exit 1
}
case "$1" in
    -- | odoo)
        shift
        if [[ "$1" == scaffold ]]; then odoo "$@"; fi
        wait_for_psql
        odoo "$@" "\${DB_ARGS[@]}"
        ;;
    -*)
        wait_for_psql
        odoo "$@" "\${DB_ARGS[@]}"
        ;;
    *)
        exec "$@"
        ;;
esac
`;

/**
 * One service as a host: `rootDir` is its own folder (the image's files), `volumesDir` where the
 * named volumes are.
 */
export function planHost(
    name: string,
    service: ComposeService,
    subs: Substitutes,
    rootDir: string,
    volumesDir: string,
): HostPlan {
    const image = service.image ?? "";
    const kind = image.startsWith("postgres") ? "postgres" : image.startsWith("odoo") ? "odoo" : "";
    if (!kind) throw new Error(`${name}: no substitute for the image ${JSON.stringify(image)}`);
    const mounts = (service.volumes ?? []).map((v) => parseVolume(v, volumesDir));
    const at = (p: string) => hostPath(mounts, rootDir, p);
    const user = service.user ?? "root";
    const home = user === "postgres" ? "/var/lib/postgresql" : "/root";
    const files: Record<string, string> = {};
    const volumeDirs: HostPlan["volumeDirs"] = [];
    let env: Record<string, string>;
    let defaultCommand: string[];
    const entrypoint = at(
        kind === "postgres" ? "/usr/local/bin/docker-entrypoint.sh" : "/entrypoint.sh",
    );
    if (kind === "postgres") {
        env = {
            PATH: `${subs.pgBin}:${SYSTEM_PATH}`,
            LANG: subs.lang,
            PG_MAJOR: subs.pgMajor,
            PGDATA: at("/var/lib/postgresql/data"),
        };
        files[entrypoint] = POSTGRES_ENTRYPOINT;
        // the image's VOLUME: postgres's, open to any --user until the entrypoint closes it
        for (const m of mounts) {
            if (m.named && m.target === "/var/lib/postgresql/data")
                volumeDirs.push({ path: m.source, owner: "postgres", mode: "1777" });
        }
        defaultCommand = ["postgres"];
    } else {
        env = {
            PATH: SYSTEM_PATH,
            LANG: subs.lang,
            ODOO_VERSION: "18.0",
            ODOO_RC: at("/etc/odoo/odoo.conf"),
            DGS_ODOO_PYTHON: subs.odooPython,
            DGS_ODOO_SRC: subs.odooSrc,
        };
        files[entrypoint] = ODOO_ENTRYPOINT;
        // the image's /etc/odoo/odoo.conf; its Debian package has Odoo's own addons on its path
        files[env.ODOO_RC ?? ""] =
            "[options]\n" +
            `addons_path = ${at("/mnt/extra-addons")},${subs.odooSrc}/addons\n` +
            `data_dir = ${at("/var/lib/odoo")}\n`;
        for (const m of mounts) {
            if (m.named && m.target === "/var/lib/odoo")
                volumeDirs.push({ path: m.source, owner: "root", mode: "755" });
        }
        defaultCommand = ["odoo"];
    }
    env.HOME = home;
    Object.assign(env, composeEnv(service));
    const command = (commandOf(service) ?? defaultCommand).map((a) => mapMountedPaths(mounts, a));
    return {
        service: name,
        kind,
        image,
        user,
        env,
        argv: [entrypoint, ...command],
        files,
        mounts,
        volumeDirs,
        healthcheck: healthcheckOf(service),
        dependsOn: dependencies(service),
        ports: service.ports ?? [],
    };
}

/**
 * The entries of a PostgreSQL log written with log_line_prefix '%m [%p] %h %d ' whose client is
 * `host` (an address), with their continuation lines: what one Odoo host ran on a server that
 * others use too.
 */
export function entriesFrom(log: string, host: string): string {
    const out: string[] = [];
    let keep = false;
    for (const line of log.split("\n")) {
        const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[\d+\] (\S*) /.exec(line);
        if (m) keep = m[1] === host;
        if (keep) out.push(line);
    }
    return out.join("\n");
}
