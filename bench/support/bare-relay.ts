import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { Redis } from "ioredis";
import { WebSocketServer } from "ws";

// The floor the bench measures shiming's QR relay against: the relay as people build it with `ws` and
// `ioredis` and nothing else. One channel per ticket (SUBSCRIBE when the ticket is issued on the
// client's node), one PUBLISH per confirm (on the phone's node), the push to the socket, UNSUBSCRIBE
// at redeem. It checks nothing: no secret, no state machine, no session store, no one-use grant.
// It speaks just enough of shiming's wire (hello, qr.issue, qr.redeem, the phone's login / scan /
// confirm) for the same load generator to drive it. Run: node --import tsx bench/support/bare-relay.ts
// with REDIS_URL and PORT; it prints "listening on http://…" as a hub does.

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const pub = new Redis(redisUrl);
const sub = new Redis(redisUrl);
const sockets = new Map<string, import("ws").WebSocket>();
const channel = (id: string) => `bare:t:${id}`;

sub.on("messageBuffer", (ch: Buffer, message: Buffer) => {
  const id = ch.toString().slice(channel("").length);
  const ws = sockets.get(id);
  if (ws) ws.send(`{"type":"qr.state","ticketId":"${id}","state":"confirmed","grant":"${message}"}`);
});

const http = createServer((req, res) => {
  const m = /^\/api\/app\/(?:login|qr\/([^/]+)\/(scan|confirm))$/.exec(req.url ?? "");
  req.resume();
  req.on("end", () => {
    const answer = (body: string) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    };
    if (!m || req.method !== "POST") {
      res.writeHead(404).end();
    } else if (!m[1]) {
      answer(`{"token":"${randomBytes(16).toString("hex")}"}`);
    } else if (m[2] === "scan") {
      answer('{"state":"scanned"}');
    } else {
      const id = m[1];
      pub.publish(channel(id), randomBytes(16).toString("hex")).then(
        () => answer('{"state":"confirmed"}'),
        () => res.writeHead(503).end(),
      );
    }
  });
});

const wss = new WebSocketServer({ server: http, path: "/ws", perMessageDeflate: false });
wss.on("connection", (ws) => {
  const mine = new Set<string>();
  ws.on("message", (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; rid?: number; ticketId?: string };
    if (msg.type === "hello") {
      ws.send(`{"type":"welcome","rid":${msg.rid}}`);
    } else if (msg.type === "qr.issue") {
      const id = randomBytes(16).toString("hex");
      sockets.set(id, ws);
      mine.add(id);
      sub.subscribe(channel(id)).then(() => {
        ws.send(`{"type":"qr.ticket","rid":${msg.rid},"ticketId":"${id}","secret":"s"}`);
      });
    } else if (msg.type === "qr.redeem" && msg.ticketId) {
      const id = msg.ticketId;
      sockets.delete(id);
      mine.delete(id);
      sub.unsubscribe(channel(id)).then(() => {
        ws.send(`{"type":"session","rid":${msg.rid},"token":"${randomBytes(16).toString("hex")}"}`);
      });
    }
  });
  ws.on("close", () => {
    for (const id of mine) {
      sockets.delete(id);
      sub.unsubscribe(channel(id)).catch(() => {});
    }
  });
});

http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const a = http.address() as { port: number };
  console.log(`listening on http://127.0.0.1:${a.port}`);
});
process.on("SIGTERM", () => {
  wss.close();
  http.close();
  pub.disconnect();
  sub.disconnect();
  process.exit(0);
});
