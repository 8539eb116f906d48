import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../shared/auth/api-keys';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
type Handler = (e: unknown, c?: unknown) => Promise<any>;
let authorizer: Handler;
let apiKeys: Handler;
let tickets: Handler;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  authorizer = ((await import('../../functions/api/authorizer')) as { handler: Handler }).handler;
  apiKeys = ((await import('../../functions/api/api-keys')) as { handler: Handler }).handler;
  tickets = ((await import('../../functions/api/tickets')) as { handler: Handler }).handler;
});
beforeEach(() => ddb.reset());

const secret = `sbk_${'A'.repeat(43)}`;
const authEvent = (routeKey: string, authorization?: string) => ({
  type: 'REQUEST',
  routeKey,
  headers: authorization ? { authorization } : {},
});

describe('authorizer', () => {
  const keyItem = (role: string, revokedAt?: string) => ({
    Item: { pk: `APIKEY#${hashApiKey(secret)}`, sk: 'APIKEY', id: 'key_1', name: 'n', role, createdAt: 'x', ...(revokedAt ? { revokedAt } : {}) },
  });

  it('lets an agent read tickets and passes the key id and role on', async () => {
    ddb.on(GetCommand, { Key: { pk: `APIKEY#${hashApiKey(secret)}`, sk: 'APIKEY' } }).resolves(keyItem('agent'));
    const res = await authorizer(authEvent('GET /v1/tickets', `Bearer ${secret}`));
    expect(res).toEqual({ isAuthorized: true, context: { keyId: 'key_1', role: 'agent' } });
  });

  it('refuses a role the route does not allow, a revoked key and an unknown key', async () => {
    ddb.on(GetCommand).resolves(keyItem('agent'));
    expect((await authorizer(authEvent('POST /v1/api-keys', `Bearer ${secret}`))).isAuthorized).toBe(false);
    ddb.on(GetCommand).resolves(keyItem('admin', '2026-01-01T00:00:00Z'));
    expect((await authorizer(authEvent('GET /v1/tickets', `Bearer ${secret}`))).isAuthorized).toBe(false);
    ddb.on(GetCommand).resolves({});
    expect((await authorizer(authEvent('GET /v1/tickets', `Bearer ${secret}`))).isAuthorized).toBe(false);
  });

  it('does not touch the table for a malformed key', async () => {
    expect((await authorizer(authEvent('GET /v1/tickets', 'Bearer nope'))).isAuthorized).toBe(false);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('api-keys handler', () => {
  it('creates a key, returns its secret once and stores only the hash', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await apiKeys(apiEvent({ routeKey: 'POST /v1/api-keys', body: { name: 'desk', role: 'agent' } }), lambdaContext());
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(res.body);
    expect(body.secret).toMatch(/^sbk_/);
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(item.pk).toBe(`APIKEY#${hashApiKey(body.secret)}`);
    expect(JSON.stringify(item)).not.toContain(body.secret);
  });

  it('refuses an unknown role', async () => {
    const res = await apiKeys(apiEvent({ routeKey: 'POST /v1/api-keys', body: { name: 'x', role: 'root' } }), lambdaContext());
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).details[0].path).toBe('role');
  });

  it('revokes by id and answers 404 for an unknown id', async () => {
    const id = `key_${'a'.repeat(32)}`;
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'APIKEY#h', sk: 'APIKEY', id, name: 'n', role: 'agent', createdAt: 'x' }] });
    ddb.on(UpdateCommand).resolves({ Attributes: { id, name: 'n', role: 'agent', createdAt: 'x', revokedAt: 'now' } });
    const ok = await apiKeys(apiEvent({ routeKey: 'DELETE /v1/api-keys/{id}', pathParameters: { id } }), lambdaContext());
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).apiKey.revokedAt).toBe('now');
    ddb.on(QueryCommand).resolves({ Items: [] });
    const missing = await apiKeys(apiEvent({ routeKey: 'DELETE /v1/api-keys/{id}', pathParameters: { id } }), lambdaContext());
    expect(missing.statusCode).toBe(404);
  });
});

describe('tickets handler', () => {
  it('answers 404 for an unknown ticket and 400 for a malformed id', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] }); // an unknown ticket has no messages either
    const id = `tkt_${'b'.repeat(32)}`;
    expect((await tickets(apiEvent({ routeKey: 'GET /v1/tickets/{id}', pathParameters: { id } }), lambdaContext())).statusCode).toBe(404);
    expect((await tickets(apiEvent({ routeKey: 'GET /v1/tickets/{id}', pathParameters: { id: 'x' } }), lambdaContext())).statusCode).toBe(400);
  });

  it('lists open tickets in queue order from the work index, and solved ones newest first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const res = await tickets(apiEvent({ routeKey: 'GET /v1/tickets', query: { status: 'open', limit: '10' } }), lambdaContext());
    expect(res.statusCode).toBe(200);
    const q = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(q).toMatchObject({ IndexName: 'gsi3', ScanIndexForward: true, Limit: 10, FilterExpression: '#f0 = :f0' });
    expect(q.ExpressionAttributeValues).toMatchObject({ ':pk': 'QUEUE', ':f0': 'open' });
    await tickets(apiEvent({ routeKey: 'GET /v1/tickets', query: { status: 'solved', limit: '10' } }), lambdaContext());
    const solved = ddb.commandCalls(QueryCommand)[1]!.args[0].input;
    expect(solved).toMatchObject({ IndexName: 'gsi3', ScanIndexForward: false, Limit: 10 });
    expect(solved.ExpressionAttributeValues?.[':pk']).toBe('TICKETS#solved');
  });

  it('refuses an unknown status and a forged cursor', async () => {
    expect((await tickets(apiEvent({ routeKey: 'GET /v1/tickets', query: { status: 'lost' } }), lambdaContext())).statusCode).toBe(400);
    const res = await tickets(apiEvent({ routeKey: 'GET /v1/tickets', query: { cursor: '!!!' } }), lambdaContext());
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).detail).toMatch(/cursor/);
  });
});
