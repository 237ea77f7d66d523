import type { EventData } from "../../shared/events";

/** Where flows report what happened. The stream behind it is in-process or Redis Streams. */
export interface EventSink {
  emit(kind: string, data: EventData): void;
}

/** Collects events in memory: for tests, and as the default until a stream is attached. */
export class MemorySink implements EventSink {
  readonly events: { kind: string; data: EventData }[] = [];
  emit(kind: string, data: EventData): void {
    this.events.push({ kind, data });
  }
  ofKind(kind: string): EventData[] {
    return this.events.filter((e) => e.kind === kind).map((e) => e.data);
  }
}
