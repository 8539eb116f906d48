import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { articleIdForIntent } from '../../shared/knowledge/article';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
type Handler = (e: unknown, c?: unknown) => Promise<any>;
let knowledge: Handler;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  knowledge = ((await import('../../functions/api/knowledge')) as { handler: Handler }).handler;
});
beforeEach(() => ddb.reset());
afterEach(() => vi.useRealTimers());

const id = `kb_${'a'.repeat(32)}`;
const stored = (over: Record<string, unknown> = {}) => ({
  pk: `KB#${id}`,
  sk: 'ARTICLE',
  gsi1pk: 'KB',
  gsi1sk: id,
  type: 'article',
  id,
  title: 'Track order',
  body: 'Follow {{Order Number}} in your account.',
  category: 'ORDER',
  intent: 'track_order',
  tags: ['track', 'status'],
  language: 'en',
  autoReply: true,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  version: 3,
  ...over,
});
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const call = (routeKey: string, opts: Omit<Parameters<typeof apiEvent>[0], 'routeKey'> = {}) =>
  knowledge(apiEvent({ routeKey, ...opts }), lambdaContext('knowledge'));

describe('knowledge handler: articles', () => {
  it('creates an article (201, location) with version 1 under KB#<id>', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await call('POST /v1/knowledge/articles', { body: { title: 'Refunds', body: 'We refund in {{Days}} days.', category: 'REFUND' } });
    expect(res.statusCode).toBe(201);
    const { article } = JSON.parse(res.body);
    expect(article).toMatchObject({ title: 'Refunds', version: 1, autoReply: false, tags: [], language: 'en' });
    expect(res.headers.location).toBe(`/v1/knowledge/articles/${article.id}`);
    const input = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.Item).toMatchObject({ pk: `KB#${article.id}`, sk: 'ARTICLE', gsi1pk: 'KB', gsi1sk: article.id });
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('answers 400 with details for a bad body, before touching the table', async () => {
    const res = await call('POST /v1/knowledge/articles', { body: { title: 'x'.repeat(201), body: '', autoReply: 'yes' } });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).details.map((d: { path: string }) => d.path).sort()).toEqual(['autoReply', 'body', 'title']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 404 for an unknown article and 400 for a malformed id', async () => {
    ddb.on(GetCommand).resolves({});
    expect((await call('GET /v1/knowledge/articles/{id}', { pathParameters: { id } })).statusCode).toBe(404);
    expect((await call('GET /v1/knowledge/articles/{id}', { pathParameters: { id: 'kb_nope' } })).statusCode).toBe(400);
    ddb.on(DeleteCommand).rejects(conditionFailed());
    expect((await call('DELETE /v1/knowledge/articles/{id}', { pathParameters: { id } })).statusCode).toBe(404);
  });

  it('reads an article without the table keys', async () => {
    ddb.on(GetCommand).resolves({ Item: stored() });
    const res = await call('GET /v1/knowledge/articles/{id}', { pathParameters: { id } });
    expect(res.statusCode).toBe(200);
    const { article } = JSON.parse(res.body);
    expect(article).toMatchObject({ id, version: 3 });
    expect(article).not.toHaveProperty('pk');
  });

  it('updates on the current version, conditional on it', async () => {
    ddb.on(GetCommand).resolves({ Item: stored() });
    ddb.on(PutCommand).resolves({});
    const res = await call('PUT /v1/knowledge/articles/{id}', { pathParameters: { id }, body: { title: 'Track', body: 'New text', version: 3 } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).article).toMatchObject({ version: 4, title: 'Track', createdAt: '2026-11-22T10:00:00.000Z' });
    const input = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_exists(pk) AND #v = :v');
    expect(input.ExpressionAttributeValues).toEqual({ ':v': 3 });
    expect(input.Item).not.toHaveProperty('category');
  });

  it('answers 409 on a stale version, and when another writer wins the race', async () => {
    ddb.on(GetCommand).resolves({ Item: stored() });
    const stale = await call('PUT /v1/knowledge/articles/{id}', { pathParameters: { id }, body: { title: 't', body: 'b', version: 2 } });
    expect(stale.statusCode).toBe(409);
    expect(JSON.parse(stale.body).detail).toContain('version 3');
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);

    ddb.on(PutCommand).rejects(conditionFailed());
    const raced = await call('PUT /v1/knowledge/articles/{id}', { pathParameters: { id }, body: { title: 't', body: 'b', version: 3 } });
    expect(raced.statusCode).toBe(409);
  });

  it('imports idempotently by intent: existing articles are left alone', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    const body = {
      articles: [
        { title: 'Track order', body: 'b', intent: 'track_order', category: 'ORDER' },
        { title: 'Get refund', body: 'b', intent: 'get_refund', category: 'REFUND' },
      ],
    };
    const res = await call('POST /v1/knowledge/import', { body });
    expect(res.statusCode).toBe(200);
    const out = JSON.parse(res.body);
    expect([...out.created, ...out.existing].sort()).toEqual([articleIdForIntent('get_refund'), articleIdForIntent('track_order')].sort());
    expect(out.created).toHaveLength(1);
    const bad = await call('POST /v1/knowledge/import', { body: { articles: [{ title: 't', body: 'b' }] } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).details[0].path).toBe('articles.0.id');
  });

  it('lists a page through gsi1 with a cursor', async () => {
    ddb.on(QueryCommand).resolves({ Items: [stored()], LastEvaluatedKey: { pk: `KB#${id}`, sk: 'ARTICLE', gsi1pk: 'KB', gsi1sk: id } });
    const res = await call('GET /v1/knowledge/articles', { query: { limit: '1' } });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.articles).toHaveLength(1);
    expect(typeof body.next).toBe('string');
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'gsi1', Limit: 1, ExpressionAttributeValues: { ':p': 'KB' } });
    expect((await call('GET /v1/knowledge/articles', { query: { cursor: '!!' } })).statusCode).toBe(400);
  });
});

describe('knowledge handler: suggest', () => {
  const refundId = `kb_${'b'.repeat(32)}`;
  const items = [
    stored(),
    stored({ pk: `KB#${refundId}`, id: refundId, gsi1sk: refundId, title: 'Get refund', body: 'We refund your money in {{Days}} days.', category: 'REFUND', intent: 'get_refund', tags: ['refund', 'money'], autoReply: false }),
  ];

  it('suggests the best article with its body and the auto-reply decision, reading the table once per minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    ddb.on(QueryCommand).resolves({ Items: items });
    const res = await call('POST /v1/knowledge/suggest', { body: { text: 'What is the status of my order? I want to track it' } });
    expect(res.statusCode).toBe(200);
    const out = JSON.parse(res.body);
    expect(out.suggestions[0]).toMatchObject({ articleId: id, intent: 'track_order', body: 'Follow {{Order Number}} in your account.' });
    expect(out.suggestions[0].normalisedScore).toBeGreaterThan(0);
    expect(out.suggestions[0].normalisedScore).toBeLessThanOrEqual(1);
    expect(out.decision).toMatchObject({ articleId: id, autoReply: expect.any(Boolean), reason: expect.any(String) });

    const refund = JSON.parse((await call('POST /v1/knowledge/suggest', { body: { text: 'refund my money please', limit: 1 } })).body);
    expect(refund.suggestions).toHaveLength(1);
    expect(refund.decision).toMatchObject({ autoReply: false, reason: 'article-disallows' });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);

    vi.setSystemTime(new Date('2026-11-22T10:01:01Z'));
    await call('POST /v1/knowledge/suggest', { body: { text: 'track order' } });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('refuses an empty text and an unknown field', async () => {
    const res = await call('POST /v1/knowledge/suggest', { body: { text: '  ', max: 3 } });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).details.map((d: { path: string }) => d.path)).toEqual(['text', '(body)']);
  });
});
