// The whole system for one browser test file, on private ports: a database of its own (on the
// cluster of TICKETING_TEST_PG, else a cluster started here), the three services as real
// processes, and the real nginx gateway (deploy/gateway/render.sh) serving the built pages.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../../..");
const nginx = process.env.NGINX ?? "/usr/sbin/nginx";
const psql = "psql";

function binary(service) {
  const given = process.env[`${service.toUpperCase()}_SERVICE_BINARY`];
  const build = process.env.BROWSER_BUILD_DIR ?? path.join(root, "build", "debug");
  return given ?? path.join(build, "services", service, `${service}-service`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, check, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${seconds} s`);
    await sleep(100);
  }
}

// "host=... port=... user=postgres dbname=postgres" with some keys replaced.
const rewrite = (url, changes) => {
  const parts = Object.fromEntries(url.trim().split(/\s+/).map((kv) => kv.split("=")));
  return Object.entries({ ...parts, ...changes }).map(([k, v]) => `${k}=${v}`).join(" ");
};

export class Stack {
  constructor() {
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), "ticketing-browser-"));
    fs.chmodSync(this.work, 0o755); // the postgres user reaches its data directory inside
    this.children = [];
    this.adminKey = "browser-admin-key";
    this.internalKey = randomBytes(24).toString("hex");
    this.ownCluster = null;
  }

  // settings: { queue: {ENV: value}, concert: {...}, payment: {...} }
  async start(settings = {}) {
    let server = process.env.TICKETING_TEST_PG;
    if (!server) {
      this.ownCluster = path.join(this.work, "pg");
      const port = await freePort();
      server = execFileSync(path.join(root, "deploy/lib/pg-cluster.sh"), ["start", this.ownCluster, String(port)], { encoding: "utf8" }).trim();
    }
    this.server = server;
    const tag = `browser_${process.pid}_${randomBytes(3).toString("hex")}`;
    this.database = tag;
    this.roles = [];
    this.sql(rewrite(server, { dbname: "postgres" }), `CREATE DATABASE ${tag}`);
    const admin = rewrite(server, { dbname: tag });

    const ports = { queue: await freePort(), concert: await freePort(), payment: await freePort() };
    const env = (service) => {
      const role = `${tag}_${service}`;
      this.roles.push(role);
      return {
        PATH: process.env.PATH, HOME: process.env.HOME ?? "/root", LANG: "C.UTF-8",
        PORT: String(ports[service]),
        DATABASE_URL: rewrite(server, { dbname: tag, user: role, password: "browser-test-password" }),
        DATABASE_ADMIN_URL: admin,
        ADMIN_API_KEY: this.adminKey,
        INTERNAL_API_KEY: this.internalKey,
        SEED_DEMO: "0",
        ASAN_OPTIONS: "detect_leaks=0",
        ...(service === "payment"
          ? { QUEUE_URL: `http://127.0.0.1:${ports.queue}`, CONCERT_URL: `http://127.0.0.1:${ports.concert}` }
          : {}),
        ...(settings[service] ?? {}),
      };
    };
    // In order: the payment service asks the other two.
    for (const service of ["queue", "concert", "payment"]) {
      this.spawn(service, binary(service), [], env(service));
      await waitFor(`the ${service} service`, async () => {
        const answer = await fetch(`http://127.0.0.1:${ports[service]}/healthz`, { headers: { "X-Internal-Key": this.internalKey } });
        return answer.ok;
      });
    }

    const gatewayPort = await freePort();
    const runDir = path.join(this.work, "gateway");
    fs.mkdirSync(path.join(runDir, "tmp"), { recursive: true });
    const conf = execFileSync(path.join(root, "deploy/gateway/render.sh"), [runDir], {
      encoding: "utf8",
      env: {
        ...process.env,
        GATEWAY_PORT: String(gatewayPort),
        GATEWAY_LISTEN: "127.0.0.1",
        QUEUE_UPSTREAM: `127.0.0.1:${ports.queue}`,
        CONCERT_UPSTREAM: `127.0.0.1:${ports.concert}`,
        PAYMENT_UPSTREAM: `127.0.0.1:${ports.payment}`,
        ISSUE_RATE_LIMIT_PER_IP: "0",
        INTERNAL_API_KEY: this.internalKey,
        WEB_ROOT: path.join(root, "services/web/dist"),
      },
    });
    fs.writeFileSync(path.join(runDir, "nginx.conf"), conf);
    this.spawn("gateway", nginx, ["-e", path.join(runDir, "error.log"), "-p", `${runDir}/`, "-c", path.join(runDir, "nginx.conf")], process.env);
    this.url = `http://127.0.0.1:${gatewayPort}`;
    await waitFor("the gateway", async () => (await fetch(`${this.url}/healthz`)).ok);
    return this;
  }

  spawn(name, command, args, env) {
    const log = fs.openSync(path.join(this.work, `${name}.log`), "a");
    const child = spawn(command, args, { env, stdio: ["ignore", log, log] });
    child.on("exit", (code, signal) => {
      if (!this.stopping) fs.appendFileSync(path.join(this.work, `${name}.log`), `exited: ${code ?? signal}\n`);
    });
    this.children.push({ name, child });
  }

  sql(url, statement) {
    execFileSync(psql, [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", statement], { stdio: ["ignore", "ignore", "inherit"] });
  }

  async stop({ keep = false } = {}) {
    this.stopping = true;
    for (const { name, child } of this.children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill(name === "gateway" ? "SIGQUIT" : "SIGTERM");
      const exited = new Promise((r) => child.once("exit", r));
      if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) child.kill("SIGKILL");
    }
    if (this.database) {
      const postgres = rewrite(this.server, { dbname: "postgres" });
      this.sql(postgres, `DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`);
      for (const role of this.roles) this.sql(postgres, `DROP ROLE IF EXISTS ${role}`);
    }
    if (this.ownCluster) execFileSync(path.join(root, "deploy/lib/pg-cluster.sh"), ["stop", this.ownCluster]);
    if (keep) console.log(`browser: kept ${this.work}`);
    else fs.rmSync(this.work, { recursive: true, force: true });
  }

  // The admin API, straight (the console has its own test).
  async admin(method, apiPath, body) {
    const answer = await fetch(`${this.url}/api/v1/admin/${apiPath}`, {
      method,
      headers: { "X-Admin-Key": this.adminKey, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`admin ${method} ${apiPath}: ${answer.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  // A concert on the day `daysAhead` from today (UTC); returns its date.
  async concert(daysAhead, { title = "Winter Gala", price = 120000 } = {}) {
    const date = new Date(Date.now() + daysAhead * 86400000).toISOString().slice(0, 10);
    await this.admin("POST", "concerts", { title, price, dates: [date] });
    return date;
  }
}
