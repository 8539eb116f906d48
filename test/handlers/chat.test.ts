import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';

// The document client sends through its own stack, so it is the one to mock.
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/channels/chat')) as never);
});
beforeEach(() => {
  ddb.reset();
  sqs.reset();
});

const session = 'visitor_0123456789abcdef';
const post = (body: unknown, headers?: Record<string, string>) =>
  handler(apiEvent({ routeKey: 'POST /v1/channels/chat/messages', body, ...(headers ? { headers } : {}) }), lambdaContext('chat'));

describe('chat handler', () => {
  it('stores the message once and sends nothing (the crm stream takes it on), answering 202', async () => {
    ddb.on(PutCommand).resolves({});
    const res = await post({ sessionId: session, clientMessageId: 'c1', text: 'Where is my order?' });
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toMatchObject({ sessionId: session, duplicate: false });
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.TableName).toBe('crm-test');
    expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    // What classify's stream filter looks for: an inbound message, received, not stuck.
    expect(put.Item).toMatchObject({ direction: 'inbound', status: 'received', channel: 'chat', text: 'Where is my order?', from: session });
    expect(put.Item!.stuck).toBeUndefined();
    expect(sqs.calls()).toHaveLength(0);
  });

  it('answers a duplicate with 200 and leaves a routed message as it is', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({
      Item: { pk: 'MSG#x', sk: 'MSG', messageId: 'x', text: 'Hi', status: 'routed', channel: 'chat' },
    });
    const res = await post({ sessionId: session, clientMessageId: 'c1', text: 'Hi' });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).duplicate).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('touches a duplicate still waiting to be routed, so the stream hands it on again', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { pk: 'MSG#x', sk: 'MSG', text: 'Hi', status: 'received', channel: 'chat' } });
    ddb.on(UpdateCommand).resolves({});
    const res = await post({ sessionId: session, clientMessageId: 'c1', text: 'Hi' });
    expect(res.statusCode).toBe(200);
    const update = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update).toMatchObject({ TableName: 'crm-test', UpdateExpression: 'SET retriedAt = :at', ConditionExpression: '#st = :received' });
    expect(update.Key!.pk).toMatch(/^MSG#/);
  });

  it.each([
    [{ sessionId: 'x', text: '' }, 400, 'validation'],
    ['not json', 400, 'validation'],
  ])('refuses bad input %j with a problem body and writes nothing', async (body, status, code) => {
    const res =
      typeof body === 'string'
        ? await handler(apiEvent({ routeKey: 'POST /v1/channels/chat/messages', rawBody: body }), lambdaContext())
        : await post(body);
    expect(res.statusCode).toBe(status);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(res.body);
    expect(problem.type).toBe(`urn:switchboard:problem:${code}`);
    expect(problem.detail).toBeTruthy();
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('names each invalid field', async () => {
    const res = await post({ sessionId: 'x', text: '' });
    const paths = JSON.parse(res.body).details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['sessionId', 'text']));
  });

  it('refuses oversized bodies with 413 and non-JSON with 415', async () => {
    expect((await post({ sessionId: session, text: 'x'.repeat(20_000) })).statusCode).toBe(413);
    expect((await post({ sessionId: session, text: 'x' }, { 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 503 when DynamoDB is down, without its detail (the client retries)', async () => {
    ddb.on(PutCommand).rejects(new Error('socket hang up: internal detail'));
    const res = await post({ sessionId: session, clientMessageId: 'c2', text: 'Hi' });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('internal detail');
  });

  it('lists the thread of a session: the messages its tickets list, closed ones first', async () => {
    const m1 = `msg_${'1'.repeat(32)}`;
    const m2 = `msg_${'2'.repeat(32)}`;
    ddb.on(GetCommand, { Key: { pk: `THREAD#chat#${session}`, sk: 'TICKETS' } }).resolves({ Item: { ticketId: 'tkt_2', closedTickets: ['tkt_1'] } });
    ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string }> }> }) => {
      const keys = Object.values(input.RequestItems)[0]!.Keys.map((k) => k.pk);
      const rows: Record<string, Record<string, unknown>> = {
        'TICKET#tkt_1': { pk: 'TICKET#tkt_1', sk: 'TICKET', messages: [Buffer.from('1'.repeat(32), 'hex')] },
        'TICKET#tkt_2': { pk: 'TICKET#tkt_2', sk: 'TICKET', messages: [Buffer.from('2'.repeat(32), 'hex')] },
        [`MSG#${m1}`]: { pk: `MSG#${m1}`, sk: 'MSG', direction: 'inbound', text: 'Hi', receivedAt: '2026-11-22T10:00:00.000Z', classification: { x: 1 } },
        [`MSG#${m2}`]: { pk: `MSG#${m2}`, sk: 'MSG', direction: 'inbound', text: 'Again', receivedAt: '2026-11-23T10:00:00.000Z' },
      };
      return { Responses: { [Object.keys(input.RequestItems)[0]!]: keys.flatMap((k) => (rows[k] ? [rows[k]] : [])) } };
    });
    const res = await handler(
      apiEvent({
        routeKey: 'GET /v1/channels/chat/sessions/{sessionId}/messages',
        pathParameters: { sessionId: session },
      }),
      lambdaContext(),
    );
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.messages).toEqual([
      { messageId: m1, direction: 'inbound', text: 'Hi', sentAt: '2026-11-22T10:00:00.000Z' },
      { messageId: m2, direction: 'inbound', text: 'Again', sentAt: '2026-11-23T10:00:00.000Z' },
    ]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 400 to a forged thread cursor', async () => {
    ddb.on(GetCommand).resolves({ Item: { ticketId: 'tkt_2' } });
    ddb.on(BatchGetCommand).resolves({ Responses: {} });
    const res = await handler(
      apiEvent({
        routeKey: 'GET /v1/channels/chat/sessions/{sessionId}/messages',
        pathParameters: { sessionId: session },
        query: { cursor: Buffer.from(JSON.stringify({ at: -3 })).toString('base64url') },
      }),
      lambdaContext(),
    );
    expect(res.statusCode).toBe(400);
  });
});
