// What a slow or greedy client can hold: a body trickled a byte at a time is cut off, one agent or visitor cannot
// open push streams without end, and one address cannot open connections without end.
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connectRaw, type RawSocket } from '../helpers/raw-socket.ts';
import { basic, call, startTestApp, type TestApp } from '../helpers/test-app.ts';

describe('slow and greedy clients', () => {
  let app: TestApp;
  let port: number;
  before(async () => {
    app = await startTestApp({
      kind: 'sqlite',
      env: {
        PARLEY_REQUEST_TIMEOUT_SECONDS: '1',
        PARLEY_PUSH_STREAMS_PER_USER: '2',
        PARLEY_PUSH_STREAMS_PER_VISITOR: '1',
        PARLEY_CONNECTIONS_PER_ADDRESS: '12',
      },
    });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.server.address() as net.AddressInfo).port;
  });
  after(async () => app?.close());

  const connect = () => connectRaw(port);
  /** Waits until the server closed `s`, at most `ms`. */
  const closed = async (s: RawSocket, ms: number) => {
    for (const end = Date.now() + ms; !s.gone && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
    return { data: s.got, closed: s.gone };
  };

  test('a body sent a byte at a time is cut off after the request timeout (unauthenticated, before any parsing)', async () => {
    const s = await connect();
    s.write('POST /api/v1/Parley/Authentication/Ticket HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => {
      if (!s.destroyed) s.write(' ');
    }, 200);
    const end = await closed(s, 10_000);
    clearInterval(trickle);
    assert.ok(end.closed, 'the server closed the connection');
    assert.match(end.data, /^HTTP\/1\.1 408/);
  });

  test('push streams: at most so many per agent and per visitor session; a closed one frees its place', async () => {
    const agent = basic('tje0', 'Tje0');
    const streams: AbortController[] = [];
    const open = async (url: string, headers: Record<string, string> = {}) => {
      const ctl = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}${url}`, { headers, signal: ctl.signal });
      if (res.status === 200) streams.push(ctl);
      else await res.text();
      return res.status;
    };
    try {
      assert.equal(await open('/api/v1/Push/Agent', { authorization: agent }), 200);
      assert.equal(await open('/api/v1/Push/Agent', { authorization: agent }), 200);
      assert.equal(await open('/api/v1/Push/Agent', { authorization: agent }), 429);
      assert.equal(await open('/api/v1/Push/Agent', { authorization: basic('ann1', 'Ann1') }), 200, 'another agent has places of its own');
      streams.shift()!.abort();
      let again = 429;
      for (let i = 0; i < 50 && again === 429; i++) {
        await new Promise((r) => setTimeout(r, 20));
        again = await open('/api/v1/Push/Agent', { authorization: agent });
      }
      assert.equal(again, 200, 'the closed stream freed its place');

      const opened = await call(app, '/api/v1/Visitor/OpenSession', { body: { ChatTopicId: 1, Consented: true } });
      const key = encodeURIComponent(opened.json.SessionKey);
      assert.equal(await open(`/api/v1/Push/Visitor?key=${key}`), 200);
      assert.equal(await open(`/api/v1/Push/Visitor?key=${key}`), 429);
    } finally {
      for (const s of streams) s.abort();
    }
  });

  test('one address cannot hold connections without end; the ones it has keep working', async () => {
    // Its own server: with the 1 s request timeout above, idle connections would be closed before they pile up.
    const other = await startTestApp({ kind: 'sqlite', env: { PARLEY_CONNECTIONS_PER_ADDRESS: '12' } });
    await other.server.listen({ port: 0, host: '127.0.0.1' });
    const mainPort = port;
    port = (other.server.server.address() as net.AddressInfo).port;
    const sockets: net.Socket[] = [];
    try {
      // Up to the limit (12), then refused as they arrive.
      let refused = 0;
      for (let i = 0; i < 20; i++) {
        const s = await connect();
        sockets.push(s);
        if ((await closed(s, 300)).closed) refused++;
      }
      assert.ok(refused >= 8, `${refused} of 20 refused`);
    } finally {
      for (const s of sockets) s.destroy();
    }
    // Once they are gone, the address is served again.
    try {
      await new Promise((r) => setTimeout(r, 100));
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(res.status, 200);
    } finally {
      port = mainPort;
      await other.close();
    }
  });
});
