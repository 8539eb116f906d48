import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';
import { ticketFixture } from '../fixtures/ticket';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/api/tickets')) as never);
});
beforeEach(() => ddb.reset());

const id = `tkt_${'a'.repeat(32)}`;
const ticketItem = {
  pk: `TICKET#${id}`,
  sk: 'TICKET',
  ...ticketFixture({ ticketId: id, threadKey: 's1', subject: 'help', priority: { score: 10, reasons: [] }, lastMessagePreview: 'help' }),
};
const patch = (body: unknown) =>
  handler(apiEvent({ routeKey: 'PATCH /v1/tickets/{id}', pathParameters: { id }, body, auth: { keyId: 'key_1', role: 'agent' } }), lambdaContext('tickets'));

describe('PATCH /v1/tickets/{id}', () => {
  it('solves a ticket in one transaction with its counters', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem });
    ddb.on(TransactWriteCommand).resolves({});
    const res = await patch({ status: 'solved' });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).ticket.status).toBe('solved');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put!.ConditionExpression).toBe('updatedAt = :prev');
    expect(items.some((i) => i.Update?.TableName === 'reporting-test')).toBe(true);
  });

  it('stores a category correction as a labelled example of the first message', async () => {
    // The ticket lists its messages; the first is read by key.
    ddb.on(GetCommand).resolves({ Item: { ...ticketItem, messages: ['m1'] } });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'crm-test': [{ pk: 'MSG#m1', sk: 'MSG', channel: 'chat', text: 'where is my refund', status: 'routed' }] } });
    ddb.on(TransactWriteCommand).resolves({});
    const res = await patch({ category: 'REFUND' });
    expect(JSON.parse(res.body)).toMatchObject({ ticket: { category: 'REFUND', team: 'billing' }, labelledExample: true });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.find((i) => i.Put?.Item?.type === 'label')?.Put?.Item).toMatchObject({ text: 'where is my refund', category: 'REFUND', correctedBy: 'key_1' });
  });

  it('logs handling time alone (counted as communication seconds) and refuses a non-whole or oversized one', async () => {
    ddb.on(GetCommand).resolves({ Item: ticketItem });
    ddb.on(TransactWriteCommand).resolves({});
    expect((await patch({ timeSpentSeconds: 300 })).statusCode).toBe(200);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const counter = items.find((i) => i.Update?.TableName === 'reporting-test')!.Update!;
    expect(Object.values(counter.ExpressionAttributeNames!)).toContain('communicationSeconds@all');
    for (const bad of [0, 1.5, 28_801, '300']) {
      const res = await patch({ timeSpentSeconds: bad });
      expect(res.statusCode).toBe(400);
      expect(res.body).toMatch(/timeSpentSeconds/);
    }
  });

  it('answers 400 for an empty or unknown change, 404 for a missing ticket, 409 for a lost race', async () => {
    expect((await patch({})).statusCode).toBe(400);
    // A request id alone changes nothing: still "give at least one".
    expect((await patch({ clientRequestId: 'r1' })).statusCode).toBe(400);
    expect((await patch({ colour: 'red' })).statusCode).toBe(400);
    ddb.on(GetCommand).resolvesOnce({});
    expect((await patch({ status: 'solved' })).statusCode).toBe(404);
    ddb.on(GetCommand).resolves({ Item: ticketItem });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    const lost = await patch({ status: 'pending' });
    expect(lost.statusCode).toBe(409);
    expect(JSON.parse(lost.body).detail).toBe('The ticket changed since it was read; read it again and retry.');
    expect((await patch({ status: 'open', category: 'PIZZA' })).statusCode).toBe(400);
  });
});

describe('POST /v1/tickets/{id}/rating', () => {
  const rate = (body: unknown) =>
    handler(apiEvent({ routeKey: 'POST /v1/tickets/{id}/rating', pathParameters: { id }, body, auth: { keyId: 'key_survey', role: 'integration' } }), lambdaContext('tickets'));

  it('records the rating once, with its counters, and refuses bad scores and open tickets', async () => {
    expect((await rate({ score: 6 })).statusCode).toBe(400);
    ddb.on(GetCommand).resolves({ Item: { ...ticketItem, status: 'solved' } });
    ddb.on(TransactWriteCommand).resolves({});
    const res = await rate({ score: 5, comment: 'great' });
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body).ticket.rating).toMatchObject({ score: 5, comment: 'great', recordedBy: 'key_survey' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update!.ConditionExpression).toContain('attribute_not_exists(rating)');
    expect(items.some((i) => i.Update?.TableName === 'reporting-test')).toBe(true);
    ddb.on(GetCommand).resolves({ Item: ticketItem });
    expect((await rate({ score: 3 })).statusCode).toBe(409);
  });
});
