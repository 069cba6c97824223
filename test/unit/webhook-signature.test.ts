// X-SuperOffice-Signature as SuperOffice documents it (automation/webhook "Webhook secrets"): base64 of the
// HMAC-SHA256 of the exact body, keyed with the shared secret; and how a receiver checks it.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateSecret, sign, SIGNATURE_HEADER, verifySignature } from '../../src/webhooks/signature.ts';
import { eventGuid } from '../../src/webhooks/webhook-payload.ts';

describe('webhook signature', () => {
  test('is the base64 HMAC-SHA256 of the body (RFC 4231 test case 2)', () => {
    const expectedHex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    assert.equal(sign('what do ya want for nothing?', 'Jefe'), Buffer.from(expectedHex, 'hex').toString('base64'));
  });

  test('is what the documented Node receiver computes from the raw body', () => {
    const body = '{"EventId":"e87ac619-c864-4881-89eb-07ca5521ee2c","Event":"chatsession.created","PrimaryKey":178105}';
    const secret = 'shared secret, with spaces and æøå';
    const documented = createHmac('sha256', secret).update(Buffer.from(body).toString()).digest('base64');
    assert.equal(sign(body, secret), documented);
    assert.equal(sign(Buffer.from(body, 'utf8'), secret), documented, 'bytes or string: the same signature');
    assert.match(sign(body, secret), /^[A-Za-z0-9+/]{43}=$/);
    assert.equal(SIGNATURE_HEADER, 'X-SuperOffice-Signature');
  });

  test('verifies only the exact body with the right secret', () => {
    const body = JSON.stringify({ Event: 'chatsession.message', FieldValues: { 'chatMessage.message': 'Hei på deg' } });
    const secret = generateSecret();
    const signature = sign(body, secret);
    assert.equal(verifySignature(body, secret, signature), true);
    assert.equal(verifySignature(Buffer.from(body), secret, ` ${signature} `), true, 'surrounding blanks of a header value');
    assert.equal(verifySignature(JSON.stringify(JSON.parse(body), null, 2), secret, signature), false, 're-serialized body');
    assert.equal(verifySignature(`${body} `, secret, signature), false, 'one byte more');
    assert.equal(verifySignature(body, `${secret}x`, signature), false, 'another secret');
    assert.equal(verifySignature(body, secret, undefined), false, 'no header');
    assert.equal(verifySignature(body, secret, ''), false, 'empty header');
    assert.equal(verifySignature(body, secret, signature.slice(1)), false, 'shorter value');
    assert.equal(verifySignature(body, secret, Buffer.from(signature, 'base64').toString('hex')), false, 'hex instead of base64');
  });

  test('generated secrets are 256 random bits, URL-safe', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateSecret));
    assert.equal(secrets.size, 50);
    for (const s of secrets) assert.match(s, /^[A-Za-z0-9_-]{43}$/);
  });

  test('an event keeps its EventId across attempts; each hook gets its own', () => {
    const hook = { id: 3, createdAt: new Date('2026-03-01T10:00:00Z') };
    const guid = eventGuid(hook, 41);
    assert.match(guid, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(eventGuid({ ...hook }, 41), guid);
    assert.notEqual(eventGuid(hook, 42), guid);
    assert.notEqual(eventGuid({ ...hook, id: 4 }, 41), guid);
  });
});
