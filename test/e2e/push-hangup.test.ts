// A push client that hangs up while its stream is still being set up (credentials and roles being read) leaves
// nothing behind: no connection in the hub, no re-check timer, no count in the metrics.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { sleep } from '../helpers/sse.ts';
import { startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

let app: TestApp;
let port = 0;
before(async () => {
  app = await startTestApp();
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.server.address() as { port: number }).port;
});
after(async () => app?.close());

test('a client gone before its stream was ready is never attached', async () => {
  const agents = app.store.topicAgents;
  const forAssociate = agents.forAssociate.bind(agents);
  let reading = false;
  // The roles are read slowly this once: the client hangs up meanwhile.
  agents.forAssociate = async (id: number) => {
    reading = true;
    await sleep(300);
    return forAssociate(id);
  };
  try {
    const req = http.get({ port, host: '127.0.0.1', path: '/api/v1/Push/Agent', headers: { authorization: TJE0 } });
    req.on('error', () => {});
    while (!reading) await sleep(5);
    req.destroy();
    await sleep(600);
  } finally {
    agents.forAssociate = forAssociate;
  }
  assert.equal(app.hub.size, 0, 'no connection left in the hub');
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(metrics, /parley_push_connections\{kind="agent"\} 0/);
});
