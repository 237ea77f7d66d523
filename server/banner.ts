import { EXTENSION_ID } from "../shared/extension-id";

// What `npm start` prints once the hub listens: where to open what, and what it runs on. The first
// line's "listening on <url>" is read by tools and tests (tests/support/hub-nodes.ts).

export interface BannerFacts {
  nodeId: string;
  /** The address bound. */
  url: string;
  /** The address phones and browsers use (QR links, pages). */
  publicUrl: string;
  store: { kind: "pglite"; dir: string | null } | { kind: "postgres"; where: string };
  bus: { kind: "memory" } | { kind: "redis"; where: string; prefix: string };
  production: boolean;
  /** Development SMS sender and portrait verifier (and, outside production, test logins on the phone pages). */
  devAdapters: boolean;
  devFaceIds: number;
  extensionBuilt: boolean;
  pagesBuilt: boolean;
  /** Other nodes' origins the phone pages also follow QR links to. */
  hubOrigins: readonly string[];
  /** Processes serving the one port (WORKERS); 1 when absent. */
  workers?: number;
}

/** A connection string without its user and password: host, port and database (or prefix) only. */
export function redactUrl(raw: string): string {
  // redis+cluster://[credentials@]h1:p1,h2:p2 is no WHATWG URL (several hosts): keep the hosts only.
  const cluster = /^redis\+cluster:\/\/(?:[^@/]*@)?([^/?#]+)/.exec(raw);
  if (cluster) return `redis+cluster://${cluster[1]}`;
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

export function startBanner(f: BannerFacts): string[] {
  const pub = f.publicUrl.replace(/\/$/, "");
  const ws = `${pub.replace(/^http/, "ws")}/ws`;
  const store =
    f.store.kind === "postgres"
      ? `PostgreSQL ${f.store.where} (DATABASE_URL; shared by every node)`
      : f.store.dir
        ? `embedded PGlite in ${f.store.dir} (this process only; npm run hall / demo go through this hub)`
        : "embedded PGlite in memory (DATA_DIR=:memory:, nothing is kept)";
  const bus =
    f.bus.kind === "redis"
      ? `Redis ${f.bus.where}, prefix ${f.bus.prefix} (several nodes)`
      : "in-process (this node only; REDIS_URL for several)";
  const lines = [
    `shiming hub ${f.nodeId} listening on ${f.url} (public: ${pub})`,
    `  health:  ${f.url}/healthz`,
    `  socket:  ${ws}   events: ${pub}/dev/events`,
    "",
    "Open:",
    `  phone pages (the app)  ${pub}/app            scan the client's QR, confirm the login`,
    `  web portal             ${pub}/web/register   registration, password recovery`,
    `  event console          ${pub}/dev/events     or in a terminal: npm run events${pub === "http://127.0.0.1:8080" ? "" : ` -- --url ${pub}`}`,
    ...(f.pagesBuilt ? [] : ["  (pages not built: npm run build:web — npm start does it)"]),
    "Extension (the withholding client):",
    f.extensionBuilt
      ? "  .output/chrome-mv3 → chrome://extensions → Developer mode → Load unpacked"
      : "  not built yet: npm run build:ext, then chrome://extensions → Developer mode → Load unpacked → .output/chrome-mv3",
    `  ID ${EXTENSION_ID}; in its options page set the hub URL ${pub} (socket ${ws})`,
    "Try it:",
    "  npm run demo              test people, companies and a hall code; prints what to type where",
    "  npm run hall -- --help    the tax hall's tool (issue-code, add-company, reset-password, unlock…)",
    "Running on:",
    `  store  ${store}`,
    `  bus    ${bus}`,
    ...((f.workers ?? 1) > 1
      ? [
          `  workers ${f.workers} processes on one port (WORKERS; NODE_ID ${f.nodeId.replace(/-w\d+$/, "")}-w1…)`,
        ]
      : []),
    `  mode   ${f.production ? "production (NODE_ENV=production): event console needs OPERATOR_TOKEN" : "development"}`,
    ...(f.hubOrigins.length > 0 ? [`  phone pages also follow QR links of: ${f.hubOrigins.join(" ")}`] : []),
  ];
  if (f.devAdapters) {
    const warn = [
      "!! DEVELOPMENT ADAPTERS ON — not for real people:",
      "!!   SMS: nothing is sent; every code appears in the event stream (sms.sent)",
      `!!   face check: no face is compared; accepts ${f.devFaceIds} ID number(s) from DEV_FACE_ID_NUMBERS`,
      ...(f.production
        ? ["!!   turned on in production by DEV_ADAPTERS=1"]
        : [
            "!!   phone pages: test identities may log in without a password (NODE_ENV=production turns all this off)",
          ]),
    ];
    lines.push("", ...warn);
  }
  return lines;
}
