import { maskIdNumber } from "../../shared/mask";
import type { EventSink } from "../events/sink";

// The public-security portrait check (公安人像比对) behind face registration, seed 2.2.2:
// "调用公安人像数据进行比对验证，验证通过后即可进行实名注册，此注册方式仅支持居民身份证".

export interface PortraitRequest {
  /** A checked 居民身份证 number (18 characters, upper-case X). */
  idNumber: string;
  /** The name as typed, Unicode NFC. */
  name: string;
  /** One JPEG taken live by the phone camera (non-empty, at most MAX_CAPTURE_BYTES). */
  capture: Uint8Array;
}

/** match: same person; no_match: face or liveness differs; no_record: ID number + name unknown. */
export type PortraitResult = "match" | "no_match" | "no_record";

/**
 * Contract of a production adapter:
 * - resolves "match" only when the service says the capture shows the holder of that ID number and
 *   name (liveness included); never "match" on doubt;
 * - resolves "no_match" / "no_record" for a clear negative answer;
 * - rejects when the service cannot answer (down, timeout — bound it, ≤ 10 s): the person sees
 *   UNAVAILABLE and may try again;
 * - keeps neither the capture nor the ID number after the call, and logs neither.
 */
export interface PortraitVerifier {
  readonly name: string;
  verify(request: PortraitRequest): Promise<PortraitResult>;
}

/**
 * DEVELOPMENT ONLY — compares nothing. Accepts the test identities listed in its configuration
 * (DEV_FACE_ID_NUMBERS) with any non-empty capture, and says so in the log and the event stream.
 */
export class DevPortraitVerifier implements PortraitVerifier {
  readonly name = "dev";
  private readonly accepted: ReadonlySet<string>;

  constructor(
    idNumbers: readonly string[],
    private readonly events: EventSink,
    log: (line: string) => void,
  ) {
    this.accepted = new Set(idNumbers.map((n) => n.trim().toUpperCase()));
    log(
      `[portrait] DEVELOPMENT portrait verifier in use: no face is compared; ${this.accepted.size} test identities accepted. Never use in production.`,
    );
    events.emit("portrait.dev_verifier", { dev: true, testIdentities: this.accepted.size });
  }

  async verify(r: PortraitRequest): Promise<PortraitResult> {
    const result = r.capture.length > 0 && this.accepted.has(r.idNumber) ? "match" : "no_match";
    this.events.emit("portrait.checked", {
      verifier: "dev",
      dev: true,
      idNumber: maskIdNumber(r.idNumber),
      result,
    });
    return result;
  }
}
