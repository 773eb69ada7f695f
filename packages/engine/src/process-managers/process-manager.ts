import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@ballast/domain';
import type { CommandInput, KindName } from '../aggregate-kinds';

/**
 * A command a process manager wants executed, with the key that makes it happen exactly once. The
 * command is typed by its kind (wire form without `at`: the engine's clock stamps it), so a typo in
 * a manager fails to compile instead of becoming an INVALID_INPUT outcome at run time.
 */
export type Reaction = {
  readonly [K in KindName]: {
    readonly kind: K;
    readonly id: string;
    readonly command: CommandInput<K>;
    /** Unique per intended effect; the command id is `pm-<manager>-<key>`, so a retry is a no-op. */
    readonly key: string;
  };
}[KindName];

/**
 * Reacts to events by issuing commands. `react` is pure: it folds what the manager must remember
 * and returns the commands for this event. The runner executes them through the engine under
 * deterministic command ids, then checkpoints; after a crash it re-reacts from the checkpoint and
 * the engine answers already-executed commands with their first result, so nothing acts twice.
 */
export interface ProcessManager<S> {
  readonly name: string;
  readonly version: number;
  readonly initial: S;
  react(state: S, event: RecordedEvent): { readonly state: S; readonly reactions: readonly Reaction[] };
}

/** The store's limit on command ids. */
const MAX_COMMAND_ID_LENGTH = 128;

/**
 * The command id a reaction runs under: the same trigger always yields the same id. A key too long
 * for the store is replaced by a prefix of its sha256 rather than cut, since two keys that differ
 * only past the cut would share an id and the second effect would never happen. Short keys keep
 * their readable form, so existing stores keep their ids.
 */
export const reactionCommandId = (manager: string, key: string): string => {
  const readable = `pm-${manager}-${key}`.replace(/[^A-Za-z0-9_.:-]/g, '_');
  if (readable.length <= MAX_COMMAND_ID_LENGTH) return readable;
  return `pm-${manager}-${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40)}`.replace(
    /[^A-Za-z0-9_.:-]/g,
    '_',
  );
};
