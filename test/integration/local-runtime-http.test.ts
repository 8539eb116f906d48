import { request } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type LocalHttpServer } from '../../infra/local/http-server';

type Event = APIGatewayProxyEventV2 & { requestContext: { authorizer?: { lambda?: unknown } } };

describe('local API Gateway (HTTP API, payload 2.0)', () => {
  let server: LocalHttpServer;
  const events: Event[] = [];
  const authorizerEvents: APIGatewayRequestAuthorizerEventV2[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    const record = (result: unknown) => async (e: unknown) => (events.push(e as Event), result);
    server = await startHttpServer({
      routes: [
        { route: { method: 'POST', path: '/v1/things/{id}', auth: 'public' }, invoke: record({ statusCode: 201, body: 'made' }) },
        { route: { method: 'GET', path: '/v1/things/special', auth: 'public' }, invoke: record({ statusCode: 200, body: 'special' }) },
        { route: { method: 'GET', path: '/v1/secret', auth: ['admin'] }, invoke: record({ hello: 'world' }) },
        { route: { method: 'GET', path: '/v1/text', auth: 'public' }, invoke: record('plain words') },
        {
          route: { method: 'GET', path: '/v1/structured', auth: 'public' },
          invoke: record({
            statusCode: 418,
            headers: { 'Content-Type': 'application/octet-stream', 'x-count': 3 },
            cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
            body: Buffer.from([0, 1, 2, 255]).toString('base64'),
            isBase64Encoded: true,
          }),
        },
        { route: { method: 'GET', path: '/v1/bad-status', auth: 'public' }, invoke: record({ statusCode: 'teapot' }) },
        {
          route: { method: 'GET', path: '/v1/boom', auth: 'public' },
          invoke: async () => {
            throw new Error('handler exploded');
          },
        },
      ],
      authorizer: async (e) => {
        const event = e as APIGatewayRequestAuthorizerEventV2;
        authorizerEvents.push(event);
        const auth = event.headers?.authorization;
        if (auth === 'Bearer explode') throw new Error('authorizer exploded');
        if (auth === 'Bearer odd') return { allow: true };
        return { isAuthorized: auth === 'Bearer good', context: { keyId: 'k1', role: 'admin' } };
      },
      port: 0,
      quiet: true,
      maxBodyBytes: 1024,
      logError: (_message, err) => errors.push(err),
    });
  });
  afterAll(() => server.close());

  it('turns a request into a payload v2 event: path parameters, query, headers, cookies, text body', async () => {
    const res = await fetch(`${server.url}/v1/things/a%20b?a=1&a=2&b=x&flag`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Test': 'y', cookie: 'c1=v1; c2=v2', 'user-agent': 'vitest' },
      body: '{"n":1}',
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('made');
    const e = events.at(-1)!;
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/things/{id}',
      rawPath: '/v1/things/a%20b',
      rawQueryString: 'a=1&a=2&b=x&flag',
      pathParameters: { id: 'a b' },
      queryStringParameters: { a: '1,2', b: 'x', flag: '' },
      cookies: ['c1=v1', 'c2=v2'],
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: {
        accountId: expect.any(String),
        apiId: expect.any(String),
        http: { method: 'POST', path: '/v1/things/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
        routeKey: 'POST /v1/things/{id}',
        stage: '$default',
        requestId: expect.any(String),
      },
    });
    expect(e.headers['x-test']).toBe('y');
    expect(e.headers['content-type']).toBe('application/json');
    expect(e.headers.cookie).toBeUndefined();
    expect(e.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(e.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(e.requestContext.timeEpoch - Date.now())).toBeLessThan(10_000);
  });

  it('joins repeated headers with commas', async () => {
    await new Promise<void>((resolve, reject) => {
      const u = new URL(`${server.url}/v1/things/1`);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'x-multi': ['one', 'two'] } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    expect(events.at(-1)!.headers['x-multi']).toBe('one,two');
  });

  it('base64-encodes a body that is not text', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251]);
    await fetch(`${server.url}/v1/things/bin`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    const e = events.at(-1)!;
    expect(e.isBase64Encoded).toBe(true);
    expect(Buffer.from(e.body!, 'base64')).toEqual(bytes);
  });

  it('prefers a literal path segment over a parameter, as API Gateway does', async () => {
    expect(await (await fetch(`${server.url}/v1/things/special`)).text()).toBe('special');
  });

  it('answers 401 without calling the authorizer when there is no Authorization header', async () => {
    const before = authorizerEvents.length;
    const res = await fetch(`${server.url}/v1/secret`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    expect(authorizerEvents.length).toBe(before);
  });

  it('answers 403 when the authorizer refuses', async () => {
    const res = await fetch(`${server.url}/v1/secret`, { headers: { authorization: 'Bearer bad' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
  });

  it('passes the authorizer an authorizer event and its context on to the handler', async () => {
    const ok = await fetch(`${server.url}/v1/secret?x=1`, { headers: { authorization: 'Bearer good' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json'); // inferred from a plain object
    expect(await ok.json()).toEqual({ hello: 'world' });
    expect(events.at(-1)!.requestContext.authorizer?.lambda).toEqual({ keyId: 'k1', role: 'admin' });
    expect(authorizerEvents.at(-1)).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeKey: 'GET /v1/secret',
      routeArn: expect.stringMatching(/^arn:aws:execute-api:us-east-1:\d{12}:[^/]+\/\$default\/GET\/v1\/secret$/),
      identitySource: ['Bearer good', 'GET /v1/secret'],
      rawPath: '/v1/secret',
      rawQueryString: 'x=1',
      queryStringParameters: { x: '1' },
      requestContext: { http: { method: 'GET' } },
    });
  });

  it('answers 500 when the authorizer throws or does not answer in the simple format', async () => {
    for (const key of ['explode', 'odd']) {
      const res = await fetch(`${server.url}/v1/secret`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    }
  });

  it('maps a structured result: status, headers, cookies, base64 body', async () => {
    const res = await fetch(`${server.url}/v1/structured`);
    expect(res.status).toBe(418);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-count')).toBe('3');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('infers 200 application/json for a string result and uses it as the body', async () => {
    const res = await fetch(`${server.url}/v1/text`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('plain words');
  });

  it('answers 500 when the handler throws or returns a malformed response, and logs the error', async () => {
    const before = errors.length;
    for (const path of ['/v1/boom', '/v1/bad-status']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    }
    expect(errors.length).toBe(before + 2);
    expect(String(errors[before])).toContain('handler exploded');
  });

  it('answers 404 for an unknown path and for a known path under another method', async () => {
    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/v1/things/1'], ['GET', '/v1/things/1/extra']] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('answers 413 above the body limit', async () => {
    const res = await fetch(`${server.url}/v1/things/big`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1025) });
    expect(res.status).toBe(413);
    const ok = await fetch(`${server.url}/v1/things/fits`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1024) });
    expect(ok.status).toBe(201);
  });
});
