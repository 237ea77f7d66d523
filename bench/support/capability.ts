import { SuiteSkipped } from "../lib";
import { Wire } from "../load/wire";

/** Throws SuiteSkipped, loudly, if the hub at `url` does not answer these client messages yet. */
export async function requireMessages(url: string, probes: { type: string; [k: string]: unknown }[]) {
  const wire = await Wire.open(url);
  try {
    for (const probe of probes) {
      const r = await wire.request(probe as Parameters<Wire["request"]>[0], 10_000);
      if (r.code === "UNKNOWN_MESSAGE")
        throw new SuiteSkipped(
          `needs ${probe.type}: this hub answers UNKNOWN_MESSAGE (not wired on this branch yet; merge main once it lands)`,
        );
    }
  } finally {
    wire.terminate();
  }
}
