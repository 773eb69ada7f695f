import type { FastifyInstance } from 'fastify';

/**
 * Requests whose response has not closed yet. Shutdown waits for them (a command in flight is
 * answered), then drops what is left: a client may keep a finished connection open for seconds
 * (fetch's keep-alive holds a socket whose stream it aborted), and Node's server.close waits for it.
 */
export class InFlight {
  private count = 0;
  private readonly idle: (() => void)[] = [];

  register(app: FastifyInstance): void {
    app.addHook('onRequest', (_request, reply, done) => {
      this.count += 1;
      // 'close' fires once per response, answered or aborted, so the count cannot drift.
      reply.raw.once('close', () => {
        this.count -= 1;
        if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
      done();
    });
  }

  size(): number {
    return this.count;
  }

  /** Resolves when no request is in flight, or after `ms` at the latest. */
  async drained(ms: number): Promise<void> {
    if (this.count === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idle.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }
}
