import type { ErrorCode } from "../../shared/errors";

/** A refusal a handler throws: the socket answers `error` with this code, HTTP with errorBody(). */
export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly data: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = "HubError";
  }
}
