// The conventions every endpoint shares, checked for each entry of the registry: a new endpoint is covered
// here without new test code. Plus the self-description: GET /api, /api/v1, the OpenAPI document and its page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { describeEndpoint } from '../../src/api/describe.ts';
import { type Endpoint, pathOf } from '../../src/api/endpoint.ts';
import { endpoints } from '../../src/api/registry.ts';
import { ADM0, startTestApp, type TestApp } from '../helpers/test-app.ts';

const REALM = 'Basic realm="SuperOffice Username or Ticket"';

interface Res {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json: any;
}

async function request(app: TestApp, method: string, url: string, headers: Record<string, string> = {}, payload?: string): Promise<Res> {
  const r = await app.server.inject({ method: method as 'POST', url, headers, payload });
  let json: any;
  try {
    json = r.body ? JSON.parse(r.body) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body: r.body, json };
}

const offersSelect = (e: Endpoint) => describeEndpoint(e).QueryParameters.includes('$select');

/** A URL with the same letters in another case: upper, or lower for the parts after /api/v1. */
const upper = (e: Endpoint) => pathOf(e).toUpperCase();
const lower = (e: Endpoint) => pathOf(e).toLowerCase();

function assertXmlError(res: Res, status: number, errorType?: string) {
  assert.equal(res.status, status, res.body.slice(0, 300));
  assert.match(String(res.headers['content-type']), /^(application|text)\/xml; charset=utf-8/);
  assert.equal(XMLValidator.validate(res.body), true, 'well-formed XML');
  assert.match(res.body, /^<\?xml version="1.0" encoding="utf-8"\?><Error[\s>]/);
  assert.match(res.body, /<Error>true<\/Error>/);
  assert.match(res.body, /<ErrorMessage>[^<]+<\/ErrorMessage>/);
  if (errorType) assert.match(res.body, new RegExp(`<ErrorType>${errorType}</ErrorType>`));
}

describe('Conformance of every registered endpoint', () => {
  let app: TestApp;
  let discovery: Record<string, Record<string, string>>;
  let openapi: any;
  let visitorKey = '';
  /** Valid credentials for the endpoint: an agent's, or (visitor API) the key of an open session. */
  const auth = (e: Endpoint): Record<string, string> => (e.audience === 'visitor' ? { 'x-session-key': visitorKey } : { authorization: ADM0 });
  const wrongAuth = (e: Endpoint): Record<string, string> =>
    e.audience === 'visitor' ? { 'x-session-key': 'no-such-key' } : { authorization: `Basic ${Buffer.from('adm0:wrong').toString('base64')}` };
  before(async () => {
    app = await startTestApp({ kind: 'sqlite' });
    visitorKey = (await request(app, 'POST', '/api/v1/Visitor/OpenSession', { 'content-type': 'application/json' }, '{"ChatTopicId": 1, "Consented": true}'))
      .json.SessionKey;
    discovery = (await request(app, 'GET', '/api/v1')).json;
    openapi = (await request(app, 'GET', '/api/v1/openapi.json')).json;
  });
  after(async () => app?.close());

  test('the registry lists unique names and unique paths', () => {
    assert.ok(endpoints.length >= 18);
    assert.equal(new Set(endpoints.map((e) => e.name)).size, endpoints.length);
    assert.equal(new Set(endpoints.map((e) => pathOf(e).toLowerCase())).size, endpoints.length);
  });

  for (const e of endpoints) {
    describe(e.name, () => {
      if (!e.anonymous) {
        test('anonymous POST answers 401 with the SuperOffice realm, before looking at the input; nothing changes', async () => {
          const [version, lastEvent] = [await app.store.dataVersion(), await app.store.events.lastId()];
          const res = await request(app, 'POST', pathOf(e));
          assert.equal(res.status, 401, res.body);
          assert.equal(res.headers['www-authenticate'], REALM);
          assert.equal(res.json.Error, true);
          assert.equal(res.json.ErrorType, 'SoCredentialsException');
          // A broken body or query tells an anonymous caller nothing either.
          const broken = await request(app, 'POST', `${pathOf(e)}?$select=Nope&id=x`, { 'content-type': 'application/json' }, '{');
          assert.equal(broken.status, 401);
          assert.equal(broken.headers['www-authenticate'], REALM);
          // Nothing ran: no data changed and no event was recorded (this covers every save, delete and command).
          assert.equal(await app.store.dataVersion(), version);
          assert.equal(await app.store.events.lastId(), lastEvent);
        });

        test('wrong credentials (a wrong password, an unknown session key) answer 401 too', async () => {
          const res = await request(app, 'POST', pathOf(e), wrongAuth(e));
          assert.equal(res.status, 401);
          assert.equal(res.headers['www-authenticate'], REALM);
        });
      } else {
        test('is callable without credentials (its input is checked instead)', async () => {
          const res = await request(app, 'POST', pathOf(e), { 'content-type': 'application/json' }, '{}');
          assert.notEqual(res.status, 401, res.body);
          assert.ok(res.status < 500, res.body);
        });
      }

      test('GET describes the call (JSON) without running it', async () => {
        const res = await request(app, 'GET', pathOf(e), auth(e));
        assert.equal(res.status, 200);
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.equal(res.json.Method, e.name);
        assert.equal(res.json.Verb, 'POST');
        assert.equal(res.json.Url, pathOf(e));
        assert.equal(typeof res.json.Summary, 'string');
        assert.ok(res.json.Summary.length > 0);
        assert.deepEqual(res.json.QueryParameters, describeEndpoint(e).QueryParameters);
        assert.deepEqual(res.json.Body, Object.keys(e.body?.properties ?? {}));
        if (e.response === 'void') assert.match(res.json.Response, /204/);
      });

      test('GET describes the call in XML when XML is accepted', async () => {
        for (const accept of ['application/xml', 'text/xml']) {
          const res = await request(app, 'GET', pathOf(e), { accept });
          assert.equal(res.status, 200);
          assert.match(String(res.headers['content-type']), new RegExp(`^${accept.replace('/', '\\/')}; charset=utf-8`));
          assert.equal(XMLValidator.validate(res.body), true);
          assert.match(res.body, new RegExp(`<Method>${e.name}</Method>`));
        }
      });

      test('the URL is matched case-insensitively', async () => {
        for (const url of [upper(e), lower(e)]) {
          const described = await request(app, 'GET', url);
          assert.equal(described.status, 200, `GET ${url}`);
          assert.equal(described.json.Method, e.name);
          const posted = await request(app, 'POST', url, e.anonymous ? { 'content-type': 'application/json' } : {}, e.anonymous ? '{}' : undefined);
          // Reaching the pipeline: 401 for protected calls, an input error for the anonymous ones (an answer for one that
          // takes no input); never 404/405.
          if (e.anonymous) assert.equal(posted.status, e.body ? 400 : 200, posted.body);
          else {
            assert.equal(posted.status, 401, `POST ${url}: ${posted.body}`);
            assert.equal(posted.headers['www-authenticate'], REALM);
          }
        }
        const trailing = await request(app, 'GET', `${pathOf(e)}/`);
        assert.equal(trailing.json?.Method, e.name, 'a trailing slash is ignored');
      });

      test('Accept: image/png answers 406', async () => {
        const res = await request(app, 'POST', pathOf(e), { ...auth(e), accept: 'image/png' });
        assert.equal(res.status, 406, res.body);
        assert.equal(res.json.Error, true);
        assert.equal(res.json.ErrorType, 'SoNotAcceptableException');
      });

      if (offersSelect(e)) {
        test('$select with an unknown name answers 400 naming it', async () => {
          const res = await request(app, 'POST', `${pathOf(e)}?$select=NoSuchProperty42`, auth(e));
          assert.equal(res.status, 400, res.body);
          assert.equal(res.json.Error, true);
          assert.match(res.json.ErrorMessage, /NoSuchProperty42/);
        });
      }

      test('errors come back in XML when XML is accepted', async () => {
        if (!e.anonymous) {
          const res = await request(app, 'POST', pathOf(e), { accept: 'application/xml' });
          assertXmlError(res, 401, 'SoCredentialsException');
          assert.equal(res.headers['www-authenticate'], REALM);
        }
        // An input error, authenticated: a broken JSON body for calls that take one, else a bad $select or query.
        const input = e.body
          ? await request(app, 'POST', pathOf(e), { ...auth(e), accept: 'text/xml', 'content-type': 'application/json' }, '{')
          : e.query
            ? await request(app, 'POST', pathOf(e), { ...auth(e), accept: 'text/xml' })
            : offersSelect(e)
              ? await request(app, 'POST', `${pathOf(e)}?$select=NoSuchProperty42`, { ...auth(e), accept: 'text/xml' })
              : undefined;
        if (input) assertXmlError(input, 400);
        // 406 has nothing acceptable to answer in, and the PUT answer follows Accept.
        const put = await request(app, 'PUT', pathOf(e), { accept: 'application/xml' });
        assertXmlError(put, 405, 'SoMethodNotAllowedException');
      });

      test('is listed by GET /api/v1 with a POST description', () => {
        const key = Object.keys(discovery).find((k) => k.endsWith(pathOf(e)));
        assert.ok(key, `${pathOf(e)} in discovery`);
        assert.match(key, /^https?:\/\/[^/]+\/api\/v1\//);
        assert.equal(discovery[key].POST, e.summary);
      });

      test('is a post operation of the OpenAPI document', () => {
        const item = openapi.paths[pathOf(e)];
        assert.ok(item, `${pathOf(e)} in openapi paths`);
        assert.deepEqual(Object.keys(item), ['post']);
        const op = item.post;
        assert.equal(op.operationId, e.name);
        assert.equal(typeof op.summary, 'string');
        const queryParams = op.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name);
        assert.deepEqual(queryParams, describeEndpoint(e).QueryParameters);
        for (const name of Object.keys(e.query ?? {})) assert.equal(op.parameters.find((p: any) => p.name === name).required, true);
        assert.equal(!!op.requestBody, !!e.body);
        if (e.response === 'void') assert.ok(op.responses['204'] && !op.responses['200']);
        else assert.ok(op.responses['200']?.content?.['application/json']?.schema);
        assert.ok(op.responses['400'] && op.responses['401']);
        assert.deepEqual(op.security, e.anonymous ? [] : [{ basic: [] }, { soTicket: [] }, { bearer: [] }]);
      });
    });
  }

  describe('self-description', () => {
    test('GET /api/v1 lists exactly the registered endpoints', () => {
      assert.equal(Object.keys(discovery).length, endpoints.length);
      for (const value of Object.values(discovery)) assert.deepEqual(Object.keys(value), ['POST']);
    });

    test('GET /api answers version info with the v1 URL', async () => {
      const res = await request(app, 'GET', '/api');
      assert.equal(res.status, 200);
      assert.equal(res.json.Version, 'v1');
      assert.match(res.json.v1, /^https?:\/\/[^/]+\/api\/v1$/);
      assert.equal(typeof res.json.ProductVersion, 'string');
      const xml = await request(app, 'GET', '/api', { accept: 'application/xml' });
      assert.equal(xml.status, 200);
      assert.equal(XMLValidator.validate(xml.body), true);
      assert.match(xml.body, /<Version>v1<\/Version>/);
    });

    test('the OpenAPI document is OpenAPI 3.0 and every $ref resolves to a component', () => {
      assert.match(openapi.openapi, /^3\.0\.\d+$/);
      assert.equal(typeof openapi.info.title, 'string');
      assert.equal(typeof openapi.info.version, 'string');
      assert.equal(Object.keys(openapi.paths).length, endpoints.length);
      const ids = Object.values(openapi.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.operationId));
      assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
      const schemas = openapi.components.schemas;
      const refs: string[] = [];
      const walk = (node: unknown, path: string) => {
        if (Array.isArray(node)) for (const [i, v] of node.entries()) walk(v, `${path}[${i}]`);
        else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            if (k === '$ref') refs.push(String(v));
            else walk(v, `${path}.${k}`);
          }
          // OpenAPI 3.0 knows neither $id nor TypeBox's private keys.
          assert.ok(!('$id' in node), `$id left at ${path}`);
        }
      };
      walk(openapi, '#');
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
        assert.ok(m, `local component ref: ${ref}`);
        assert.ok(schemas[m[1]] && Object.keys(schemas[m[1]]).length > 0, `${ref} resolves`);
      }
      for (const [name, scheme] of Object.entries(openapi.components.securitySchemes)) {
        assert.ok(['http', 'apiKey', 'oauth2', 'openIdConnect'].includes((scheme as any).type), name);
      }
      for (const op of Object.values(openapi.paths).map((item: any) => item.post)) {
        for (const req of op.security) for (const name of Object.keys(req)) assert.ok(openapi.components.securitySchemes[name], name);
      }
      assert.deepEqual(Object.keys(schemas.Error.properties), ['Error', 'ErrorType', 'ErrorMessage', 'ErrorSource']);
    });

    test('/api/v1/reference serves an HTML page', async () => {
      let url = '/api/v1/reference';
      let res = await request(app, 'GET', url);
      for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 5; hops++) {
        const location = String(res.headers.location);
        url = new URL(location, `http://localhost${url.endsWith('/') ? url : `${url}/`}`).pathname;
        res = await request(app, 'GET', url);
      }
      assert.equal(res.status, 200, `${url}: ${res.body.slice(0, 200)}`);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<html/i);
      // The pages' headers: scripts from this origin only, never framed, no sniffing.
      for (const page of [url, '/api/v1/reference/static/swagger-initializer.js']) {
        const r = await request(app, 'GET', page);
        assert.equal(r.status, 200, page);
        assert.match(String(r.headers['content-security-policy']), /script-src 'self';.*frame-ancestors 'none'/, page);
        assert.equal(r.headers['x-frame-options'], 'DENY', page);
        assert.equal(r.headers['x-content-type-options'], 'nosniff', page);
      }
    });
  });
});
