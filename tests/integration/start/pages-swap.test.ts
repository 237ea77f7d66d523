import { spawn } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Hono } from "hono";
import { afterAll, expect, it } from "vitest";
import { currentStamp, pagesState } from "../../../scripts/build-web";
import { mountPages } from "../../../server/http/pages";

// A build while a hub serves the pages (a second node started from the same checkout, or `npm run build:web`
// after an edit): every request meanwhile gets the old pages or the new ones, never a 404 or a 503. Built into a
// folder of the test's own (--output), so the checkout's .output/web, which other tests serve, stays as it is.

const ROOT = resolve(import.meta.dirname, "../../..");
const output = mkdtempSync(join(tmpdir(), "shiming-pages-"));
afterAll(() => rmSync(output, { recursive: true, force: true }));

function build(...flags: string[]): Promise<number | null> {
  const args = ["--import", "tsx", "scripts/build-web.ts", "--output", output, ...flags];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
  return new Promise((res) => child.once("exit", (code) => res(code)));
}

it("swaps a new build in under a serving hub without a moment of missing pages", async () => {
  // A checkout from before builds were linked has a plain folder there, without a stamp.
  mkdirSync(join(output, "web/app"), { recursive: true });
  writeFileSync(join(output, "web/app/index.html"), "<html>an old build</html>");
  expect(pagesState(output)).toEqual({ fresh: false, reason: "pages built without a stamp" });
  expect(await build()).toBe(0);
  expect(pagesState(output).fresh).toBe(true);
  expect(lstatSync(join(output, "web")).isSymbolicLink()).toBe(true);
  expect(readdirSync(join(output, "web-builds"))).toHaveLength(1); // the old folder is gone
  const first = realpathSync(join(output, "web"));
  // A lazily loaded chunk only the first build has (as after an edit), which a page opened before the swap asks for.
  writeFileSync(join(first, "assets/only-in-first-Ab12Cd34.js"), "export const x = 1;\n");
  mkdirSync(join(first, "assets/only-in-first")); // folders are not carried (nor in the way)

  const app = new Hono();
  mountPages(app, { webDir: join(output, "web") });
  const seen = new Map<string, number>();
  const look = async () => {
    const page = await app.request("/app");
    const html = await page.text();
    const script = /src="(\/static\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = script ? (await app.request(script)).status : "no script";
    const key = `${page.status} ${asset}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  };

  let done = false;
  const forced = build("--force").then((code) => {
    done = true;
    return code;
  });
  while (!done) {
    await look();
    await new Promise((r) => setTimeout(r, 2));
  }
  expect(await forced).toBe(0);
  await look();

  expect(Object.fromEntries(seen)).toEqual({ "200 200": expect.any(Number) });
  expect(seen.get("200 200")).toBeGreaterThan(10);
  const second = realpathSync(join(output, "web"));
  expect(second).not.toBe(first);
  expect(existsSync(dirname(first))).toBe(false); // the previous build is gone once nothing points at it
  expect(pagesState(output).fresh).toBe(true);
  expect(currentStamp(output)?.carried).toEqual(["only-in-first-Ab12Cd34.js"]);
  const chunk = await app.request("/static/assets/only-in-first-Ab12Cd34.js");
  expect(chunk.status).toBe(200);
  expect(await chunk.text()).toContain("export const x = 1;");
}, 240_000);
