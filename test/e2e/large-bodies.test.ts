// A client that sends too much gets its 413 with the error envelope, over a real socket to a `parley serve` process:
// fetch (undici), which keeps sending while the answer comes, must read the answer rather than fail with EPIPE; a
// client that never stops sending is answered and cut off after a bounded time; the server stays healthy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectRaw } from '../helpers/raw-socket.ts';
import { killParleys, type ParleyProcess, serveParley } from '../helpers/parley-process.ts';

const TJE0 = `Basic ${Buffer.from('tje0:Tje0').toString('base64')}`;
const MB = 1024 * 1024;
const BIG = Buffer.alloc(20 * MB, 0x61);

describe('bodies over the limit', () => {
  let dir: string;
  let parley: ParleyProcess;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-large-bodies-'));
    // The request timeout bounds the discarding too (half of it: 2 s), which keeps the endless-client test short.
    parley = await serveParley({ DATABASE_URL: `sqlite:${path.join(dir, 'parley.db')}`, PARLEY_DEMO: 'true', PARLEY_REQUEST_TIMEOUT_SECONDS: '4' });
  });
  after(() => {
    killParleys();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const routes = [
    { what: 'an agent method (PARLEY_BODY_LIMIT)', path: '/api/v1/Agents/Chat/GetChatSessionsForUser', headers: { authorization: TJE0 }, limit: 1048576 },
    { what: 'the visitor API (PARLEY_ANONYMOUS_BODY_LIMIT)', path: '/api/v1/Visitor/OpenSession', headers: {}, limit: 131072 },
    {
      what: 'the file upload (PARLEY_ATTACHMENT_MAX_BYTES)',
      path: '/api/v1/Parley/Attachments/Upload',
      headers: { authorization: TJE0, 'content-type': 'application/octet-stream' },
      limit: 10 * MB,
    },
  ];
  for (const route of routes) {
    for (const streamed of [false, true]) {
      test(`fetch posting 20 MB to ${route.what}${streamed ? ', streamed without a length' : ''} reads 413 and the envelope`, async () => {
        // Several times: the failure depended on how far the upload got when the answer went out.
        for (let i = 0; i < 4; i++) {
          const body = streamed
            ? new ReadableStream({
                start(c) {
                  for (let at = 0; at < BIG.length; at += MB) c.enqueue(BIG.subarray(at, at + MB));
                  c.close();
                },
              })
            : BIG;
          const res = await fetch(parley.url + route.path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...route.headers },
            body,
            duplex: 'half',
          } as RequestInit);
          assert.equal(res.status, 413);
          assert.deepEqual(await res.json(), {
            Error: true,
            ErrorType: 'SoPayloadTooLargeException',
            ErrorMessage: `The request body is larger than ${route.limit} bytes`,
            ErrorSource: 'Parley',
          });
        }
        assert.equal((await fetch(`${parley.url}/health`)).status, 200);
      });
    }
  }

  for (const pace of ['fast', 'slow', 'reading late'] as const) {
    test(`a client that never stops sending (${pace}) gets its 413 and the connection closes`, async () => {
      const s = await connectRaw(Number(new URL(parley.url).port));
      const fast = pace !== 'slow';
      // Fast: chunked, far past the bytes the server reads and drops (64 MB). Slow: a length over the limit announced,
      // then a kilobyte every 50 ms, past the time the server gives it (a trickle under the limit is a 408 instead).
      // Reading late: fast, looking at what came back only every 300 ms (a client busy sending): had the server
      // closed on its unread bytes, the reset would have thrown the waiting answer away before it was read.
      const framing = fast ? 'Transfer-Encoding: chunked' : `Content-Length: ${100 * MB}`;
      s.write(`POST /api/v1/Agents/Chat/GetChatSessionsForUser HTTP/1.1\r\nHost: x\r\nAuthorization: ${TJE0}\r\n${framing}\r\n\r\n`);
      const chunk = fast ? BIG.subarray(0, MB) : BIG.subarray(0, 1024);
      const started = Date.now();
      let glance: NodeJS.Timeout | undefined;
      if (pace === 'reading late') {
        s.pause();
        glance = setInterval(() => {
          s.resume();
          setImmediate(() => s.pause());
        }, 300);
      }
      const pump = async () => {
        while (!s.gone && Date.now() - started < 30_000) {
          if (fast) s.write(`${chunk.length.toString(16)}\r\n`);
          let ok = s.write(chunk);
          if (fast) ok = s.write('\r\n');
          await new Promise((r) => (ok && fast ? setImmediate(r) : setTimeout(r, fast ? 5 : 50)));
        }
      };
      await pump();
      clearInterval(glance);
      assert.ok(s.gone, 'the server closed the connection');
      assert.ok(Date.now() - started < 20_000, `closed after ${Date.now() - started} ms`);
      // A client flooding without pause reads its answer too: the server reads and drops what it still sends for a
      // while after answering (a lingering close) instead of closing on unread bytes, whose reset would overtake it.
      assert.match(s.got, /^HTTP\/1\.1 413 /);
      assert.match(s.got, /SoPayloadTooLargeException/);
      assert.equal((await fetch(`${parley.url}/health`)).status, 200);
    });
  }
});
