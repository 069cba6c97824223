// Files in chats through the HTTP stack on every database: agents and visitors send them, the bytes decide the type,
// topics' limits hold, the file becomes a SuperOffice Url message, and downloads need the rights to read the chat and
// can never run in Parley's origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { activeSession } from '../helpers/factories.ts';
import { ADM0, ANN1, call, DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { NO_LIMITS, SUPPORT } from '../helpers/visitor-kit.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');

for (const { kind, skip } of await databaseKinds()) {
  describe(`files in chats on ${kind}`, { skip }, () => {
    let app: TestApp;
    let tje0 = 0;
    before(async () => {
      app = await startTestApp({ kind, env: { ...NO_LIMITS, PARLEY_ATTACHMENT_MAX_BYTES: '20000' } });
      tje0 = (await app.store.associates.byUserName('tje0'))?.id ?? 0;
    });
    after(async () => app?.close());

    const upload = (auth: string, sessionId: number, bytes: Buffer, type: string, name: string) =>
      app.server.inject({
        method: 'POST',
        url: `/api/v1/Parley/Attachments/Upload?chatSessionId=${sessionId}`,
        headers: { authorization: auth, 'content-type': type, 'x-file-name': encodeURIComponent(name) },
        payload: bytes,
      });
    const download = (url: string, headers: Record<string, string>) => app.server.inject({ method: 'GET', url, headers });
    /** A visitor's file, through the visitor's upload or the agents' path with the key. */
    const visitorUpload = (key: string, bytes: Buffer, type: string, name: string, url = '/api/v1/Visitor/UploadFile') =>
      app.server.inject({ method: 'POST', url, headers: { 'x-session-key': key, 'content-type': type, 'x-file-name': name }, payload: bytes });
    const messages = async (id: number) => (await call(app, 'GetChatMessages', { auth: TJE0, body: { ChatSessionId: id, After: 0 } })).json;

    test('an agent sends an image: a Url message with the download address and the name; readers download it inline, others get 404', async () => {
      const id = await activeSession(app, SUPPORT, tje0, { customerName: 'Fiona Files' });
      const res = await upload(TJE0, id, PNG, 'application/octet-stream', 'Skjermbilde æøå.png');
      assert.equal(res.statusCode, 200, res.body);
      const sent = JSON.parse(res.body);
      assert.deepEqual([sent.Name, sent.ContentType, sent.Size], ['Skjermbilde æøå.png', 'image/png', PNG.length], 'the bytes decide: a PNG');
      assert.equal(sent.Url, `/api/v1/Parley/Attachments/File/${sent.AttachmentId}`);
      const line = (await messages(id)).find((m: { ChatMessageId: number }) => m.ChatMessageId === sent.ChatMessageId);
      assert.deepEqual([line.SpecialType, line.SpecialParam, line.Message, line.Type], ['Url', sent.Url, 'Skjermbilde æøå.png', 'ToCustomer']);

      const got = await download(sent.Url, { authorization: ANN1 });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.rawPayload, PNG);
      assert.equal(got.headers['content-type'], 'image/png');
      assert.match(
        String(got.headers['content-disposition']),
        /^inline; filename="Skjermbilde ___.png"; filename\*=UTF-8''Skjermbilde%20%C3%A6%C3%B8%C3%A5\.png$/,
      );
      assert.equal(got.headers['x-content-type-options'], 'nosniff');
      assert.match(String(got.headers['content-security-policy']), /sandbox/);
      assert.equal((await download(sent.Url, { authorization: DEU4 })).statusCode, 404, 'deu4 cannot read this chat');
      assert.equal((await download(sent.Url, {})).statusCode, 401);
      assert.equal((await download('/api/v1/Parley/Attachments/File/999999', { authorization: ADM0 })).statusCode, 404);
    });

    test("only the chat's agent sends; a PDF is offered as a download; the topic's limits (kinds, size) hold", async () => {
      const id = await activeSession(app, SUPPORT, tje0, { customerName: 'Lars Limits' });
      assert.equal((await upload(ANN1, id, PDF, 'application/pdf', 'x.pdf')).statusCode, 403, "not ann1's chat");
      const pdf = JSON.parse((await upload(TJE0, id, PDF, 'application/pdf', 'Invoice.pdf')).body);
      assert.equal(pdf.ContentType, 'application/pdf');
      assert.match(String((await download(pdf.Url, { authorization: TJE0 })).headers['content-disposition']), /^attachment; /);

      assert.equal((await upload(TJE0, id, Buffer.alloc(20001, 1), 'text/plain', 'big.txt')).statusCode, 413);
      const saved = await call(app, '/api/v1/Parley/Attachments/SaveSettings', {
        auth: ADM0,
        body: { Settings: { TopicId: SUPPORT, AllowedKinds: ['image'], MaxBytes: 5000, VisitorsMayUpload: false } },
      });
      assert.equal(saved.status, 200, saved.body);
      assert.equal(
        (
          await call(app, '/api/v1/Parley/Attachments/SaveSettings', {
            auth: TJE0,
            body: { Settings: { TopicId: SUPPORT, AllowedKinds: ['pdf'], MaxBytes: 1 } },
          })
        ).status,
        403,
      );
      const refused = await upload(TJE0, id, PDF, 'application/pdf', 'Another.pdf');
      assert.equal(refused.statusCode, 415, refused.body);
      const read = await call(app, '/api/v1/Parley/Attachments/GetSettings', { auth: TJE0, body: { TopicId: SUPPORT } });
      assert.deepEqual(read.json, { TopicId: SUPPORT, AllowedKinds: ['image'], MaxBytes: 5000, VisitorsMayUpload: false });
      await call(app, '/api/v1/Parley/Attachments/SaveSettings', {
        auth: ADM0,
        body: { Settings: { TopicId: SUPPORT, AllowedKinds: ['image', 'pdf', 'text', 'office'], MaxBytes: 20000, VisitorsMayUpload: true } },
      });
    });

    test('SVG and HTML never run: a type the topic does not take is refused with a visible IllegalFileType line; HTML sent as text is served as text, downloaded', async () => {
      const id = await activeSession(app, SUPPORT, tje0, { customerName: 'Mallory' });
      const svg = await upload(TJE0, id, SVG, 'image/svg+xml', 'logo.svg');
      assert.equal(svg.statusCode, 415, svg.body);
      assert.equal(JSON.parse(svg.body).Error, true);
      const lines = await messages(id);
      assert.ok(
        lines.some((m: { SpecialType: string; Message: string }) => m.SpecialType === 'IllegalFileType' && m.Message === 'logo.svg'),
        'a visible line',
      );
      assert.equal((await upload(TJE0, id, HTML, 'text/html', 'page.html')).statusCode, 415);

      const asText = JSON.parse((await upload(TJE0, id, HTML, 'text/plain', '<img src=x onerror=alert(1)>.html')).body);
      assert.equal(asText.ContentType, 'text/plain; charset=utf-8');
      const got = await download(asText.Url, { authorization: TJE0 });
      assert.equal(got.headers['content-type'], 'text/plain; charset=utf-8');
      assert.match(String(got.headers['content-disposition']), /^attachment; filename="<img src=x onerror=alert\(1\)>.html"/);
      assert.equal(got.headers['x-content-type-options'], 'nosniff');
    });

    test('a visitor sends a file on their own session and downloads it with their key; another key gets 404', async () => {
      const open = async (name: string) => {
        const r = await app.server.inject({
          method: 'POST',
          url: '/api/v1/Visitor/OpenSession',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ ChatTopicId: SUPPORT, Consented: true, CustomerName: name, Message: 'Hi' }),
        });
        return JSON.parse(r.body) as { SessionKey: string; Session: { ChatSessionId: number } };
      };
      const vera = await open('Vera');
      const other = await open('Otto');
      const res = await visitorUpload(vera.SessionKey, PNG, 'image/png', 'photo.png');
      assert.equal(res.statusCode, 200, res.body);
      const sent = JSON.parse(res.body);
      const mine = await download(`${sent.Url}?key=${encodeURIComponent(vera.SessionKey)}`, {});
      assert.equal(mine.statusCode, 200);
      assert.deepEqual(mine.rawPayload, PNG);
      assert.equal((await download(`${sent.Url}?key=${encodeURIComponent(other.SessionKey)}`, {})).statusCode, 404);
      assert.equal((await download(sent.Url, { authorization: TJE0 })).statusCode, 200, "an agent who reads the chat sees the customer's file");
      // The same upload through Parley/Attachments/Upload: with the key and no agent credentials it is the visitor's.
      const viaAgentsPath = await visitorUpload(vera.SessionKey, PDF, 'application/pdf', 'scan.pdf', '/api/v1/Parley/Attachments/Upload');
      assert.equal(viaAgentsPath.statusCode, 200, viaAgentsPath.body);
      const scan = (await messages(vera.Session.ChatSessionId)).find(
        (m: { ChatMessageId: number }) => m.ChatMessageId === JSON.parse(viaAgentsPath.body).ChatMessageId,
      );
      assert.deepEqual([scan.Type, scan.Message], ['ToUser', 'scan.pdf']);
      const line = (await messages(vera.Session.ChatSessionId)).find((m: { ChatMessageId: number }) => m.ChatMessageId === sent.ChatMessageId);
      assert.deepEqual([line.Type, line.SpecialType, line.Message], ['ToUser', 'Url', 'photo.png']);

      await call(app, '/api/v1/Parley/Attachments/SaveSettings', {
        auth: ADM0,
        body: { Settings: { TopicId: SUPPORT, AllowedKinds: ['image'], MaxBytes: 20000, VisitorsMayUpload: false } },
      });
      const refused = await visitorUpload(other.SessionKey, PNG, 'image/png', 'p.png');
      assert.equal(refused.statusCode, 403, refused.body);
      await call(app, '/api/v1/Parley/Attachments/SaveSettings', {
        auth: ADM0,
        body: { Settings: { TopicId: SUPPORT, AllowedKinds: ['image', 'pdf', 'text', 'office'], MaxBytes: 20000, VisitorsMayUpload: true } },
      });
    });

    test('files go with their session when it is purged', async () => {
      const id = await activeSession(app, SUPPORT, tje0, { customerName: 'Gone Soon' });
      const sent = JSON.parse((await upload(TJE0, id, PNG, 'image/png', 'a.png')).body);
      assert.equal((await call(app, 'DeleteChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${id}` })).status, 204);
      assert.equal(await app.store.attachments.byId(sent.AttachmentId), undefined);
    });
  });
}
