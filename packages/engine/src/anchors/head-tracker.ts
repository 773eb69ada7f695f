import type { AnchorHead } from './anchor-codec';
import { headsOfTips } from './heads-root';

interface Tip {
  revision: number;
  hash: string;
}

/** Every stream's last revision and hash so far, fed the verified log one event at a time. */
export class HeadTracker {
  private readonly tips = new Map<string, Tip>();
  events = 0;
  headPosition = 0;

  add(event: {
    readonly streamId: string;
    readonly revision: number;
    readonly hash: string;
    readonly position: number;
  }): void {
    this.events += 1;
    this.headPosition = event.position;
    const tip = this.tips.get(event.streamId);
    if (tip === undefined) this.tips.set(event.streamId, { revision: event.revision, hash: event.hash });
    else {
      tip.revision = event.revision;
      tip.hash = event.hash;
    }
  }

  get(streamId: string): Tip | undefined {
    return this.tips.get(streamId);
  }

  size(): number {
    return this.tips.size;
  }

  has(streamId: string): boolean {
    return this.tips.has(streamId);
  }

  streamIds(): IterableIterator<string> {
    return this.tips.keys();
  }

  /** A copy, sorted as a root is taken. */
  heads(): AnchorHead[] {
    return headsOfTips(this.tips);
  }
}
