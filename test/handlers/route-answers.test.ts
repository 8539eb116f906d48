import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClassifiedMessage } from '../../shared/domain/message';
import { handlerEnv, lambdaContext } from '../fixtures/api-event';
import { sqsEvent } from '../fixtures/sqs-event';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/pipeline/route')) as never);
});
afterEach(() => vi.useRealTimers());

const inbound: ClassifiedMessage = {
  message: {
    messageId: 'msg_1',
    channel: 'chat',
    providerMessageId: 's:1',
    from: 'session_0123456789abcdef',
    alsoKnownAs: [],
    text: 'I forgot my password, how do I reset it?',
    attachments: [],
    threadKey: 'session_0123456789abcdef',
    receivedAt: '2026-11-22T10:00:00.000Z',
  },
  classification: {
    language: { code: 'en', confidence: 1 },
    sentiment: { score: 0, comparative: 0, label: 'neutral' },
    topic: { category: 'ACCOUNT', intent: 'recover_password', confidence: 0.95, outOfScope: false },
    urgency: { score: 10, reasons: [] },
  },
};
const article = {
  pk: `KB#kb_${'a'.repeat(32)}`,
  sk: 'ARTICLE',
  id: `kb_${'a'.repeat(32)}`,
  title: 'Recover password',
  body: 'Use the reset link on the sign-in page.',
  category: 'ACCOUNT',
  intent: 'recover_password',
  tags: ['forgot', 'reset'],
  language: 'en',
  autoReply: true,
  createdAt: '2026-11-22T09:00:00.000Z',
  updatedAt: '2026-11-22T09:00:00.000Z',
  version: 2,
};

beforeEach(() => {
  ddb.reset();
  // The message is stored and not routed; its visitor and thread are new.
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) =>
    input.Key.pk.startsWith('MSG#') ? { Item: { ...inbound.message, direction: 'inbound', status: 'received' } } : {},
  );
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
});

/** Routing's writes: no transaction, each item on its own conditional Put or Update. */
const puts = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input as Record<string, any>);
const ticketPut = () => puts().find((p) => p.Item.type === 'ticket')!;
const replyPut = () => puts().find((p) => p.Item.direction === 'outbound');
const messageUpdate = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input as Record<string, any>).find((u) => u.Key.pk === 'MSG#msg_1')!;
const activityPut = () => puts().find((p) => String(p.Item.pk).startsWith('ACTIVE#'));

describe('route handler: suggestions and auto-reply', () => {
  it('loads the articles through the knowledge store and writes the reply with the routing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:30.000Z'));
    ddb.on(QueryCommand).resolves({ Items: [article] });
    const res = await handler(sqsEvent([inbound]), lambdaContext('route'));
    expect(res.batchItemFailures).toEqual([]);
    const kb = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues);
    expect(kb).toEqual([{ ':p': 'KB' }]);

    // The customer this message created counts as active this month (churn) through the profile's
    // first contact: no marker is written.
    expect(activityPut()).toBeUndefined();
    expect(puts().find((p) => p.Item.type === 'customer')?.Item.firstContact).toEqual({ messageId: 'msg_1', channel: 'chat', at: '2026-11-22T10:00:00.000Z' });
    const ticket = ticketPut().Item;
    expect(ticket).toMatchObject({ status: 'pending', messageCount: 2, suggestedAnswer: { articleId: article.id, autoReplied: true } });
    const message = messageUpdate();
    expect(message.UpdateExpression).toContain('suggestions = :sg');
    expect(message.ExpressionAttributeValues[':sg']).toEqual([expect.objectContaining({ articleId: article.id, title: 'Recover password' })]);
    const reply = replyPut()!;
    expect(reply.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(reply.Item).toMatchObject({ from: 'switchboard', text: article.body, inReplyTo: 'msg_1' });
    expect(reply.Item.gsi1pk).toBeUndefined();

    // Within a minute the next message is matched without reading the articles again.
    await handler(sqsEvent([inbound]), lambdaContext('route'));
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });

  it('still routes, without a suggestion, when the knowledge base cannot be read', async () => {
    // Past the first test's cache.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:05:00.000Z'));
    ddb.on(QueryCommand).rejects(new Error('throttled'));
    const res = await handler(sqsEvent([inbound]), lambdaContext('route'));
    expect(res.batchItemFailures).toEqual([]);
    expect(ticketPut().Item).toMatchObject({ status: 'open', messageCount: 1 });
    expect(ticketPut().Item.suggestedAnswer).toBeUndefined();
    expect(replyPut()).toBeUndefined();
  });
});
