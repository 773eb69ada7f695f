/** Ids in the order they were first used, shared by every version of one history. Append-only. */
interface IdLog {
  readonly ids: string[];
  readonly index: Map<string, number>;
}

/**
 * The ids a treasury has used (bets, positions, escrows, sessions, payments): a read-only Set that
 * grows by one id without copying. A plain Set copied on every bet costs O(ids) per event, O(n²) per
 * stream. Every version of one history shares an append-only log and sees its first `size` ids, so
 * adding to the newest version is O(1); adding to an older one (a decision folding onto a state
 * that already has successors) reuses the log when the next id in it is the same one, and copies
 * its own ids otherwise. No version ever changes what it holds.
 *
 * It is a Set (`instanceof Set`; size, has, iteration, forEach, keys/values/entries), so a state's
 * digest and its JSON (`$set`) are exactly those of a plain Set with the same ids in the same order.
 * The ids live in the log, not in the Set's own storage: add, delete and clear throw, and what
 * reads a Set's native storage (structuredClone, util.isDeepStrictEqual) sees it as empty, so
 * compare states by digest or by spreading the ids. Logging shows the ids (inspect hook below).
 */
export class UsedIds extends Set<string> {
  readonly #log: IdLog;
  readonly #count: number;

  private constructor(log: IdLog, count: number) {
    super();
    this.#log = log;
    this.#count = count;
  }

  /** `ids` plus `id`, as `new Set([...ids, id])` would hold them (an id already there keeps its place). */
  static with(ids: ReadonlySet<string>, id: string): UsedIds {
    if (ids instanceof UsedIds) return ids.with(id);
    const log: IdLog = { ids: [], index: new Map() };
    for (const each of ids) UsedIds.append(log, each);
    return new UsedIds(log, log.ids.length).with(id);
  }

  private static append(log: IdLog, id: string): void {
    log.index.set(id, log.ids.length);
    log.ids.push(id);
  }

  with(id: string): UsedIds {
    if (this.has(id)) return this;
    const log = this.#log;
    const count = this.#count;
    if (log.ids.length === count) {
      UsedIds.append(log, id);
      return new UsedIds(log, count + 1);
    }
    // An older version: its successor in the log may already be this id (the same event folded again).
    if (log.ids[count] === id) return new UsedIds(log, count + 1);
    const copy: IdLog = { ids: [], index: new Map() };
    for (let i = 0; i < count; i++) UsedIds.append(copy, log.ids[i]!);
    UsedIds.append(copy, id);
    return new UsedIds(copy, count + 1);
  }

  override get size(): number {
    return this.#count;
  }

  override has(id: string): boolean {
    const at = this.#log.index.get(id);
    return at !== undefined && at < this.#count;
  }

  override *values(): SetIterator<string> {
    const { ids } = this.#log;
    for (let i = 0; i < this.#count; i++) yield ids[i]!;
  }

  override keys(): SetIterator<string> {
    return this.values();
  }

  override *entries(): SetIterator<[string, string]> {
    for (const id of this.values()) yield [id, id];
  }

  override [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  override forEach(callback: (value: string, key: string, set: Set<string>) => void, thisArg?: unknown): void {
    for (const id of this.values()) callback.call(thisArg, id, id, this);
  }

  /** What console.log and util.inspect show: the ids, as a plain Set. */
  [Symbol.for('nodejs.util.inspect.custom')](): Set<string> {
    return new Set(this.values());
  }

  override add(): this {
    throw new Error('UsedIds is read-only: use UsedIds.with(ids, id) for a new version');
  }

  override delete(): boolean {
    throw new Error('UsedIds is read-only');
  }

  override clear(): void {
    throw new Error('UsedIds is read-only');
  }
}
