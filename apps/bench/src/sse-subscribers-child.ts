import { request, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * `node --import tsx sse-subscribers-child.ts URL KEY COUNT AFTER`: COUNT subscribers of
 * `/v1/events/stream` (from AFTER), in a process of their own so parsing 100 streams shares the
 * event loop of neither the server nor the load generator. Each subscriber notes when it first saw
 * every event id (wall clock in ms, comparable across processes: `timeOrigin + now()`); the parent
 * asks over IPC for the times of the positions it was acknowledged, or waits until all caught up.
 *
 * Messages in: { type: 'times', ids } → { type: 'times', times: (number | null)[][] } (per id, per
 * subscriber); { type: 'waitFor', id, timeoutMs } → { type: 'caughtUp', reached, ms };
 * { type: 'forget', every } drops the times so far and keeps them from now on for every `every`-th
 * subscriber. Out on start: { type: 'ready' } or { type: 'failed' }.
 */
const [url, key, countText, afterText] = process.argv.slice(2);
const count = Number(countText);
const now = () => performance.timeOrigin + performance.now();

/** Per subscriber: id → when it arrived; the last id seen. */
const seen: Map<number, number>[] = [];
const last: number[] = [];
const requests: ClientRequest[] = [];
let waiters: { id: number; resolve: () => void }[] = [];

const allReached = (id: number) => last.every((l) => l >= id);

/** Times are kept for every this-many-th subscriber (all of them by default; fewer under load). */
let recordEvery = 1;

const onEvent = (sub: number, id: number) => {
  if (sub % recordEvery === 0) seen[sub]!.set(id, now());
  last[sub] = id;
  if (waiters.length > 0 && allReached(Math.min(...waiters.map((w) => w.id)))) {
    const done = waiters.filter((w) => allReached(w.id));
    waiters = waiters.filter((w) => !allReached(w.id));
    for (const w of done) w.resolve();
  }
};

const subscribe = (sub: number): Promise<void> =>
  new Promise((resolve, reject) => {
    seen[sub] = new Map();
    last[sub] = Number(afterText);
    const target = new URL(`/v1/events/stream?after=${afterText}`, url);
    const req = request(target, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`subscriber ${sub}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let rest = '';
      res.on('data', (chunk: string) => {
        const text = rest + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
          // Only the `id:` line matters: the event's data follows it in the same write.
          if (text.startsWith('id:', start)) onEvent(sub, Number(text.slice(start + 3, nl).trim()));
          start = nl + 1;
        }
        rest = text.slice(start);
      });
      resolve();
    });
    req.on('error', (error) => {
      if (!closing) reject(error);
    });
    req.end();
    requests.push(req);
  });

let closing = false;

process.on('message', (message: { type: string; ids?: number[]; id?: number; timeoutMs?: number; every?: number }) => {
  if (message.type === 'times') {
    const times = message.ids!.map((id) => seen.map((m) => m.get(id) ?? null));
    process.send!({ type: 'times', times });
  } else if (message.type === 'forget') {
    for (const m of seen) m.clear();
    recordEvery = message.every ?? 1;
  } else if (message.type === 'waitFor') {
    const t0 = now();
    const id = message.id!;
    const answer = () =>
      process.send!({ type: 'caughtUp', reached: last.filter((l) => l >= id).length, ms: now() - t0 });
    if (allReached(id)) answer();
    else {
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w.resolve !== done);
        answer();
      }, message.timeoutMs ?? 10_000);
      const done = () => {
        clearTimeout(timer);
        answer();
      };
      waiters.push({ id, resolve: done });
    }
  } else if (message.type === 'close') {
    closing = true;
    for (const req of requests) req.destroy();
    process.exit(0);
  }
});

Promise.all(Array.from({ length: count }, (_, i) => subscribe(i))).then(
  () => process.send!({ type: 'ready' }),
  (error: unknown) => {
    process.send!({ type: 'failed', message: String(error) });
    process.exit(1);
  },
);
