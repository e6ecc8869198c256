/**
 * Where the limiter keeps its counters. Keys are already keyed hashes (32 bytes): no store ever
 * sees a client address. `windowStart` + key identify a counter; `expiresAt` is when it may be
 * forgotten (for a block, it is the end of the block).
 */
export interface CounterStore {
  /** Adds `weight` to the counter and returns its new value. */
  add(key: Uint8Array, windowStart: Date, weight: number, expiresAt: Date): Promise<number>;
  /** The counter's value, 0 when absent. */
  get(key: Uint8Array, windowStart: Date): Promise<number>;
  /** Blocks until `until` (never shortens an existing block). */
  block(key: Uint8Array, windowStart: Date, until: Date): Promise<void>;
  /** The end of the current block, if one is running at `now`. */
  blockedUntil(key: Uint8Array, windowStart: Date, now: Date): Promise<Date | undefined>;
  /**
   * The secret of the day starting at `dayStart`: the same for every process sharing the store,
   * new each day, and gone once the day has ended.
   */
  daySecret(dayStart: Date, dayEnd: Date): Promise<Uint8Array>;
  /** Forgets everything that expired before `now`. */
  purge(now: Date): Promise<void>;
}

interface Entry {
  hits: number;
  expiresAt: number;
}

const MAX_ENTRIES = 200_000;

/** One process: counters in a Map, the day secret in memory only. */
export class MemoryStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();
  private day: { start: number; secret: Uint8Array } | undefined;

  constructor(private readonly random: (n: number) => Uint8Array) {}

  private id(key: Uint8Array, windowStart: Date): string {
    return `${Buffer.from(key).toString("base64")}@${windowStart.getTime()}`;
  }

  async add(key: Uint8Array, windowStart: Date, weight: number, expiresAt: Date): Promise<number> {
    const id = this.id(key, windowStart);
    const e = this.entries.get(id);
    if (e) {
      e.hits += weight;
      e.expiresAt = Math.max(e.expiresAt, expiresAt.getTime());
      return e.hits;
    }
    if (this.entries.size >= MAX_ENTRIES) this.evict();
    this.entries.set(id, { hits: weight, expiresAt: expiresAt.getTime() });
    return weight;
  }

  async get(key: Uint8Array, windowStart: Date): Promise<number> {
    return this.entries.get(this.id(key, windowStart))?.hits ?? 0;
  }

  async block(key: Uint8Array, windowStart: Date, until: Date): Promise<void> {
    await this.add(key, windowStart, 0, until);
  }

  async blockedUntil(key: Uint8Array, windowStart: Date, now: Date): Promise<Date | undefined> {
    const e = this.entries.get(this.id(key, windowStart));
    return e && e.expiresAt > now.getTime() ? new Date(e.expiresAt) : undefined;
  }

  async daySecret(dayStart: Date): Promise<Uint8Array> {
    if (this.day?.start !== dayStart.getTime()) {
      this.day?.secret.fill(0);
      this.day = { start: dayStart.getTime(), secret: this.random(32) };
    }
    return this.day.secret;
  }

  async purge(now: Date): Promise<void> {
    const t = now.getTime();
    for (const [id, e] of this.entries) if (e.expiresAt <= t) this.entries.delete(id);
  }

  /** Under a flood of sources, the oldest tenth goes first (a Map iterates in insertion order). */
  private evict(): void {
    let n = Math.ceil(MAX_ENTRIES / 10);
    for (const id of this.entries.keys()) {
      if (n-- <= 0) break;
      this.entries.delete(id);
    }
  }

  /** For tests: how many counters are held. */
  get size(): number {
    return this.entries.size;
  }
}
