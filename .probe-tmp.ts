import { startTestApp, call, ADM0, TJE0 } from './test/helpers/test-app.ts';
const app = await startTestApp({ kind: 'sqlite' });
const x = await call(app, 'GetChatTopicEntity', { auth: ADM0, query: 'chatTopicEntityId=1', headers: { accept: 'application/xml' } });
console.log(x.body.slice(0, 600));
const r = await call(app, 'SaveChatTopicEntity', { auth: ADM0, rawBody: x.body, contentType: 'application/xml' });
console.log(r.status, r.body.slice(0, 400));
console.log((await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 9999, Name: 'x' } })).body);
console.log((await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, Name: 'x', OpeningHours: { TzLocation: {} } } })).json.OpeningHours.TzLocation);
await app.close();
