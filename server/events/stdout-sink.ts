import type { EventData } from "../../shared/events";
import type { EventSink } from "./sink";

/**
 * Prints each event as one JSON line on stdout. The hub's sink until the event stream is attached,
 * so a developer running `npm start` sees what happens (including the dev SMS sender's codes).
 */
export class StdoutSink implements EventSink {
  constructor(private readonly node: string) {}
  emit(kind: string, data: EventData): void {
    process.stdout.write(
      `${JSON.stringify({ at: new Date().toISOString(), node: this.node, kind, data })}\n`,
    );
  }
}
