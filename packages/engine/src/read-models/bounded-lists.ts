/**
 * Lists kept per key, each cut to its last `limit` entries: the in-place half of the audit trail and
 * the breaker history. A list may grow to twice its limit before it is cut, so each entry is
 * copied O(1) times however many arrive (cutting at every push would copy `limit` entries each time).
 */
export class BoundedLists<T> {
  private readonly lists: Map<string, T[]>;

  constructor(
    private readonly limit: number,
    from: Readonly<Record<string, readonly T[]>>,
  ) {
    this.lists = new Map(Object.entries(from).map(([key, list]) => [key, [...list]]));
  }

  push(key: string, entry: T): void {
    const list = this.lists.get(key);
    if (list === undefined) {
      this.lists.set(key, [entry]);
      return;
    }
    list.push(entry);
    if (list.length >= 2 * this.limit) list.splice(0, list.length - this.limit);
  }

  /** Every list cut to its last `limit` entries, as a record in first-seen key order. */
  toRecord(): Record<string, T[]> {
    return Object.fromEntries([...this.lists].map(([key, list]) => [key, list.slice(-this.limit)]));
  }
}
