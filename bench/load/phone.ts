import { Agent, request } from "node:http";

// A scripted phone for load: the app's HTTP API over keep-alive connections, nothing parsed beyond
// what the bench needs.

export interface PhoneAnswer {
  status: number;
  body: { code?: string; state?: string; token?: string };
}

export class LoadPhone {
  constructor(
    private readonly hub: URL,
    private readonly agent: Agent,
    readonly token: string,
  ) {}

  static agent(maxSockets: number): Agent {
    return new Agent({ keepAlive: true, maxSockets });
  }

  /** The app's own login (POST /api/app/login), one phone session per person. */
  static async login(hubUrl: string, agent: Agent, account: string, password: string): Promise<LoadPhone> {
    const hub = new URL(hubUrl);
    const body = JSON.stringify({ account, password });
    const r = await call(hub, agent, "POST", "/api/app/login", null, body);
    if (r.status !== 200 || !r.body.token)
      throw new Error(`app login answered ${r.status} ${r.body.code ?? ""}`);
    return new LoadPhone(hub, agent, r.body.token);
  }

  scan(ticketId: string): Promise<PhoneAnswer> {
    return call(this.hub, this.agent, "POST", `/api/app/qr/${ticketId}/scan`, this.token);
  }

  confirm(ticketId: string): Promise<PhoneAnswer> {
    return call(this.hub, this.agent, "POST", `/api/app/qr/${ticketId}/confirm`, this.token);
  }
}

function call(
  hub: URL,
  agent: Agent,
  method: string,
  path: string,
  token: string | null,
  body?: string,
): Promise<PhoneAnswer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const req = request(
      { host: hub.hostname, port: hub.port, method, path, agent, headers, timeout: 30_000 },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => {
          let parsed: PhoneAnswer["body"] = {};
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) => resolve({ status: 0, body: { code: err.message } }));
    req.end(body);
  });
}
