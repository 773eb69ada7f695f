// The same as client-example.mjs through require(): plain `node`, CommonJS.
const { ballastClient, StreamRefused } = require('@ballast/client');
const { startFakeServer } = require('./fake-server.cjs');

async function main() {
  const server = await startFakeServer();
  try {
    const client = ballastClient({ url: server.url, key: 'bk_example' });
    const executed = await client.treasuries.execute(
      'a',
      { type: 'Deposit', amount: '1' },
      { idempotencyKey: 'dep-1' },
    );
    const refused = await client.treasuries.get('nobody');
    const followed = await new Promise((resolve, reject) => {
      const subscription = client.follow.events().subscribe({
        next: (event) => {
          subscription.unsubscribe();
          resolve(event);
        },
        error: reject,
      });
    });
    const command = server.seen.find((request) => request.method === 'POST');
    console.log(
      JSON.stringify({
        format: 'cjs',
        executed: executed.ok
          ? `${executed.status} ${executed.events.map((e) => e.type).join(',')} at ${executed.position}`
          : executed.code,
        replayed: executed.ok && executed.replayed,
        refused: refused.ok ? 'ok' : `${refused.status} ${refused.code}`,
        followed: `${followed.position} ${followed.streamId} ${followed.type}`,
        sent: command && `${command.authorization} ${command.idempotencyKey} ${command.contentType} ${command.body}`,
        streamRefusedIsError:
          new StreamRefused({ ok: false, status: 401, code: 'UNAUTHORIZED', message: '' }) instanceof Error,
      }),
    );
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
