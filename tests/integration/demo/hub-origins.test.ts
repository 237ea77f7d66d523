import { Window } from "happy-dom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config";
import { withHubOrigins } from "../../../server/http/pages";
import type { Hub } from "../../../server/hub";
import { hubOrigins, parseScannedQr } from "../../../server/web/app/hub-qr";
import { testHub } from "../../support/hub-nodes";

// HUB_ORIGINS: the phone's scan page follows a QR only to origins it knows — its own and those the hub
// lists in <meta name="shiming-hub-origins">, which the hub writes into the page it serves.

const TICKET = "T3stTicket_0123456789abcdef";

describe("HUB_ORIGINS", () => {
  it("is a comma list of http(s) URLs, kept as origins; none by default", () => {
    expect(loadConfig({}).hubOrigins).toEqual([]);
    expect(
      loadConfig({ HUB_ORIGINS: " https://b.example/, http://c.example:8081/any/path ,," }).hubOrigins,
    ).toEqual(["https://b.example", "http://c.example:8081"]);
    expect(() => loadConfig({ HUB_ORIGINS: "b.example" })).toThrow(/HUB_ORIGINS/);
    expect(() => loadConfig({ HUB_ORIGINS: "ftp://b.example" })).toThrow(/HUB_ORIGINS/);
  });
});

describe("the phone pages a hub serves", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub({
      PUBLIC_URL: "https://tax-a.example",
      HUB_ORIGINS: "https://tax-b.example, https://tax-c.example:8443",
    });
  });
  afterAll(() => hub.close());

  it.each(["/app", "/app/scan", "/web/register"])("list PUBLIC_URL and HUB_ORIGINS in %s", async (path) => {
    const html = await (await fetch(`${hub.url}${path}`)).text();
    expect(html).toContain(
      '<meta name="shiming-hub-origins" content="https://tax-a.example https://tax-b.example https://tax-c.example:8443">',
    );
    expect(html.match(/shiming-hub-origins/g)).toHaveLength(1);
  });

  it("make the scan page follow another node's QR, and nobody else's", async () => {
    const html = await (await fetch(`${hub.url}/app/scan`)).text();
    const meta = /<meta name="shiming-hub-origins"[^>]*>/.exec(html)?.[0] ?? "";
    const window = new Window({ url: "https://tax-a.example/app/scan" });
    window.document.head.innerHTML = meta;
    const origins = hubOrigins(window.document as unknown as Document);
    expect(parseScannedQr(`https://tax-b.example/app/qr/${TICKET}`, origins).kind).toBe("ticket");
    expect(parseScannedQr(`https://tax-c.example:8443/app/qr/${TICKET}`, origins).kind).toBe("ticket");
    expect(parseScannedQr(`https://tax-c.example/app/qr/${TICKET}`, origins).kind).toBe("unknown");
    expect(parseScannedQr(`https://evil.example/app/qr/${TICKET}`, origins).kind).toBe("unknown");
    await window.happyDOM.close();
  });
});

describe("a hub without HUB_ORIGINS", () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await testHub();
  });
  afterAll(() => hub.close());

  it("lists only its own public origin", async () => {
    const html = await (await fetch(`${hub.url}/app`)).text();
    expect(html).toContain(`<meta name="shiming-hub-origins" content="${new URL(hub.publicUrl).origin}">`);
  });
});

describe("the meta tag", () => {
  it("goes into the head once, replacing one already there, with nothing unescaped", () => {
    const page =
      '<html><head><meta name="shiming-hub-origins" content="http://old"><title>x</title></head></html>';
    const out = withHubOrigins(page, [
      "https://a.example/",
      "https://a.example",
      "http://b.example:81/p?q=1",
    ]);
    expect(out).toBe(
      '<html><head><title>x</title><meta name="shiming-hub-origins" content="https://a.example http://b.example:81">\n</head></html>',
    );
  });
});
