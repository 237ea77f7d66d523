import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { HubEvent } from "../../shared/events";
import { findLocalHub, HUB_FILE } from "../store/hub-file";
import { kindMatcher } from "./glob";

// Tails a hub's event stream: `npx tsx server/events/cli.ts [--json] [--kind qr.*] [--url …]`.
// Readable lines by default, one JSON event per line with --json. On Redis the stream is every
// node's, so watching any one node shows them all.

const HELP = `usage: events [--url http://127.0.0.1:8080] [--kind 'qr.*,ws.closed'] [--json] [--last 50]
              [--no-follow] [--token OPERATOR_TOKEN]
  --url        the hub to watch (env EVENTS_URL; else the hub in DATA_DIR/hub.json, DATA_DIR
               default ./data; else http://127.0.0.1:8080)
  --kind       only these kinds; * matches anything, commas separate patterns
  --json       one JSON event per line, for machines
  --last       how many past events to print first (default 50)
  --no-follow  print the past events and exit
  --token      the operator token, needed in production (env OPERATOR_TOKEN)
Exit codes: 0 done (--no-follow) or stopped, 1 the hub cannot be reached, 2 usage or refused.`;

const DEFAULT_URL = "http://127.0.0.1:8080";

let args: {
  url?: string;
  kind?: string;
  json: boolean;
  last: string;
  "no-follow": boolean;
  token?: string;
  help: boolean;
};
try {
  args = parseArgs({
    options: {
      url: { type: "string" },
      kind: { type: "string" },
      json: { type: "boolean", default: false },
      last: { type: "string", default: "50" },
      "no-follow": { type: "boolean", default: false },
      token: { type: "string", default: process.env.OPERATOR_TOKEN },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (err) {
  console.error(`${(err as Error).message}\n\n${HELP}`);
  process.exit(2);
}

if (args.help) {
  console.log(HELP);
  process.exit(0);
}

/** The hub to watch and how it was chosen: --url, EVENTS_URL, the running hub's hub.json, the default. */
function target(): { url: string; from?: string } {
  if (args.url) return { url: args.url };
  if (process.env.EVENTS_URL) return { url: process.env.EVENTS_URL };
  const dataDir = process.env.DATA_DIR ?? "./data";
  const hub = dataDir === ":memory:" ? null : findLocalHub(dataDir);
  if (hub) return { url: hub.url, from: join(resolve(dataDir), HUB_FILE) };
  return { url: DEFAULT_URL };
}
const { url: hubUrl, from } = target();
if (from && !args.json) console.error(`events: watching the hub ${hubUrl} (found in ${from})`);

const matches = kindMatcher(args.kind);
const color = process.stdout.isTTY && !args.json;
const COLORS: Record<string, string> = { qr: "36", ws: "35", limit: "31", phone: "33" };
const seen = new Set<string>(); // ids already printed, so a reconnect does not repeat them
let retry = 0;
/** A socket to the hub opened once: after that a lost connection is retried, before it the hub is unreachable. */
let reached = false;

function print(e: HubEvent): void {
  if (!matches(e.kind) || (e.id && seen.has(e.id))) return;
  if (e.id) {
    seen.add(e.id);
    if (seen.size > 5000) seen.delete(seen.values().next().value as string);
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(e)}\n`);
    return;
  }
  const time = `${new Date(e.at).toLocaleTimeString("en-GB", { hour12: false })}.${e.at.slice(20, 23)}`;
  const details = Object.entries(e.data)
    .map(([k, v]) => `${k}=${v === null ? "—" : v}`)
    .join(" ");
  const kind = e.kind.padEnd(15);
  const tint = COLORS[e.kind.split(".")[0] ?? ""];
  process.stdout.write(
    `${time}  ${e.node.padEnd(10)} ${color && tint ? `\x1b[${tint}m${kind}\x1b[0m` : kind} ${details}\n`,
  );
}

function connect(): void {
  const url = new URL("/dev/events/ws", hubUrl.replace(/^http/, "ws"));
  url.searchParams.set("last", retry === 0 ? args.last : "200");
  if (args.kind) url.searchParams.set("kind", args.kind);
  const ws = new WebSocket(url, args.token ? { headers: { authorization: `Bearer ${args.token}` } } : {});
  let failure = "";
  ws.on("open", () => {
    retry = 0;
    reached = true;
  });
  ws.on("unexpected-response", (_req, res) => {
    console.error(
      `events: ${hubUrl} refused the watcher (HTTP ${res.statusCode})${res.statusCode === 401 ? "; pass --token" : ""}`,
    );
    process.exit(2);
  });
  let done = false;
  ws.on("message", (raw) => {
    const frame = JSON.parse(raw.toString()) as { type: string; events?: unknown[]; event?: unknown };
    for (const candidate of frame.type === "history" ? (frame.events ?? []) : [frame.event]) {
      const e = HubEvent.safeParse(candidate);
      if (e.success) print(e.data);
    }
    if (frame.type === "history" && args["no-follow"]) {
      done = true;
      ws.close();
    }
  });
  ws.on("error", (err) => {
    failure = (err as NodeJS.ErrnoException).code ?? err.message;
  });
  ws.on("close", () => {
    if (done) process.exit(0);
    if (!reached) {
      console.error(
        `events: cannot reach the hub at ${hubUrl}${failure ? ` (${failure})` : ""}: is it running? ` +
          "Start it with npm start, or name it with --url / EVENTS_URL",
      );
      process.exit(1);
    }
    if (args["no-follow"]) {
      console.error(`events: connection to ${hubUrl} lost before the history came`);
      process.exit(1);
    }
    const delay = Math.min(10_000, 250 * 2 ** retry++);
    if (!args.json) console.error(`events: connection to ${hubUrl} lost; retrying in ${delay} ms`);
    setTimeout(connect, delay);
  });
}

connect();
