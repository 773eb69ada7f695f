import { decodeInput, type Rejection } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';

interface SpecDecider<C, Ev, S> {
  readonly initialState: S;
  evolve(state: S, event: Ev): S;
  decide(command: C, state: S): E.Either<Rejection<string, Ev>, readonly Ev[]>;
}

/**
 * Given/when/then for deciders, in the wire form: commands and expected events are plain JSON with
 * decimal strings, decoded and encoded through the real codecs, so a test reads like the seed's
 * rules and also proves the codecs round-trip.
 */
export const deciderSpec = <C, Ev, S>(
  decider: SpecDecider<C, Ev, S>,
  commandCodec: t.Type<C, unknown, unknown>,
  eventCodec: t.Type<Ev, unknown, unknown>,
) => {
  const command = (json: unknown): C => {
    const decoded = decodeInput(commandCodec, 'command')(json);
    if (E.isLeft(decoded)) throw new Error(decoded.left.message);
    return decoded.right;
  };
  const wire = (events: readonly Ev[]) =>
    events.map((e) => JSON.parse(JSON.stringify(eventCodec.encode(e))) as Record<string, unknown>);

  /** Runs setup commands through decide and evolve; each must be accepted. */
  const run = (state: S, commands: readonly unknown[]): S =>
    commands.reduce<S>((s, json) => {
      const result = decider.decide(command(json), s);
      if (E.isLeft(result))
        throw new Error(
          `setup command ${JSON.stringify(json)} was refused: ${result.left.code} ${result.left.message}`,
        );
      return result.right.reduce(decider.evolve, s);
    }, state);

  /**
   * Wire-form events (as `wire` gives them), decoded through the real codec: a state no accepted command can reach
   * alone.
   */
  const events = (json: readonly unknown[]): Ev[] =>
    json.map((e) => {
      const decoded = decodeInput(eventCodec, 'event')(e);
      if (E.isLeft(decoded)) throw new Error(decoded.left.message);
      return decoded.right;
    });

  /** The when/then half of a spec, from a state. */
  const from = (state: S) => {
    return {
      state,
      when: (json: unknown) => {
        const result = decider.decide(command(json), state);
        return {
          result,
          /** The events, in wire form; `toMatchObject` semantics so a test names only what matters. */
          then: (expected: readonly Record<string, unknown>[]) => {
            if (E.isLeft(result)) throw new Error(`expected events, got ${result.left.code}: ${result.left.message}`);
            const events = wire(result.right);
            expect(events).toHaveLength(expected.length);
            expect(events).toMatchObject(expected);
            return result.right.reduce(decider.evolve, state);
          },
          thenRejects: (code: string, details: Record<string, unknown> = {}) => {
            if (E.isRight(result))
              throw new Error(`expected ${code}, got events ${JSON.stringify(wire(result.right))}`);
            expect(result.left.code).toBe(code);
            expect(result.left.details).toMatchObject(details);
            return { rejection: result.left, recorded: wire(result.left.recorded) };
          },
        };
      },
    };
  };

  const given = (commands: readonly unknown[]) => from(run(decider.initialState, commands));
  /** Emmett's given(events): the state folded from these events, then the setup commands. */
  const givenEvents = (history: readonly unknown[], commands: readonly unknown[] = []) =>
    from(run(events(history).reduce(decider.evolve, decider.initialState), commands));
  return { given, givenEvents, command, run, wire };
};
