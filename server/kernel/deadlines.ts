import type { Clock } from "./clock";

// Many deadlines on one timer. A node holds tens of thousands of waiting QR tickets, each with an
// expiry and QR rotations; a timer and a closure apiece cost ~0.5 KiB per ticket, this costs 24
// bytes an entry (three parallel arrays: instants unboxed, order, keys). Nothing is cancelled:
// whoever owns a deadline checks, when it fires, that it still wants it (the entry names a key and
// an instant; a stale one is simply ignored).

export class Deadlines<K> {
  // A binary min-heap by (at, seq) over parallel arrays: equal instants fire in the order added.
  private readonly ats: number[] = [];
  private readonly seqs: number[] = [];
  private readonly keys: K[] = [];
  private seq = 0;
  private armedAt = Number.POSITIVE_INFINITY;
  private disarm: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (key: K, at: number) => void,
  ) {}

  /** Entries not yet due, stale ones included. */
  get size(): number {
    return this.ats.length;
  }

  /** Calls `fire(key, at)` once `at` has come. */
  add(at: number, key: K): void {
    const seq = this.seq++;
    let i = this.ats.length;
    this.ats.push(at);
    this.seqs.push(seq);
    this.keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(at, seq, this.ats[parent] as number, this.seqs[parent] as number)) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, at, seq, key);
    if (at < this.armedAt) this.arm(at);
  }

  /** Stops the timer; entries stay (a closed node fires nothing more). */
  stop(): void {
    this.disarm?.();
    this.disarm = null;
    this.armedAt = Number.NEGATIVE_INFINITY; // never armed again by add
  }

  private arm(at: number): void {
    this.disarm?.();
    this.armedAt = at;
    this.disarm = this.clock.setTimer(at - this.clock.now(), () => this.run());
  }

  private run(): void {
    this.disarm = null;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    while (this.ats.length > 0 && (this.ats[0] as number) <= now) {
      const at = this.ats[0] as number;
      const key = this.keys[0] as K;
      this.pop();
      this.fire(key, at);
      if (this.armedAt === Number.NEGATIVE_INFINITY) return; // stopped by a callback
    }
    const next = this.ats[0];
    if (next !== undefined && next < this.armedAt) this.arm(next);
  }

  private pop(): void {
    const at = this.ats.pop() as number;
    const seq = this.seqs.pop() as number;
    const key = this.keys.pop() as K;
    const n = this.ats.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.lessAt(r, l) ? r : l;
      if (!less(this.ats[c] as number, this.seqs[c] as number, at, seq)) break;
      this.move(c, i);
      i = c;
    }
    this.put(i, at, seq, key);
  }

  private lessAt(i: number, j: number): boolean {
    return less(this.ats[i] as number, this.seqs[i] as number, this.ats[j] as number, this.seqs[j] as number);
  }

  private move(from: number, to: number): void {
    this.put(to, this.ats[from] as number, this.seqs[from] as number, this.keys[from] as K);
  }

  private put(i: number, at: number, seq: number, key: K): void {
    this.ats[i] = at;
    this.seqs[i] = seq;
    this.keys[i] = key;
  }
}

function less(at: number, seq: number, otherAt: number, otherSeq: number): boolean {
  return at < otherAt || (at === otherAt && seq < otherSeq);
}
