import { randomUUID } from 'node:crypto';
import { rollUpMessages } from '../../shared/analytics/routing-counts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { DynamoKnowledgeStore } from '../../shared/adapters/dynamo-knowledge-store';
import type { Classification, InboundMessage } from '../../shared/domain/message';
import { buildArticle, createArticleInput } from '../../shared/knowledge/article';
import type { SuggestFn } from '../../shared/knowledge/answer-plan';
import { knowledgeIndexCache, suggestWithBodies } from '../../shared/knowledge/index-cache';
import { autoReplyIdFor, routeMessage } from '../../shared/routing/route-message';
import { localDocumentClient } from './local-clients';
import { inboundMessage } from '../fixtures/inbound-message';

let crm: CrmStores;
let knowledge: DynamoKnowledgeStore;
let doc: DynamoDBDocumentClient;
let reportingTable: string;

beforeAll(() => {
  const env = inject('localEnv');
  doc = localDocumentClient(env);
  reportingTable = env.REPORTING_TABLE!;
  crm = crmStores({ tableName: env.CRM_TABLE!, reportingTableName: reportingTable, client: doc });
  knowledge = new DynamoKnowledgeStore({ tableName: env.CRM_TABLE!, client: doc });
});

const classification: Classification = {
  language: { code: 'en', confidence: 1 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  topic: { category: 'ACCOUNT', intent: 'recover_password', confidence: 0.9, outOfScope: false },
  urgency: { score: 10, reasons: [] },
};

const chat = (session: string, text: string, at: string): InboundMessage => inboundMessage({ thread: session, text, at });

/** What the hour's routed messages count (as the rollup sums them). */
async function counted(hour: string, cell: string): Promise<number> {
  const cells = new Map<string, Record<string, number>>();
  await crm.forEachCounted(`${hour}:00:00.000Z`, `${hour}:59:59.999Z`, (m) => rollUpMessages([m], cells));
  return cells.get(hour)?.[cell] ?? 0;
}

describe('auto-reply on DynamoDB Local', () => {
  it('answers a matching chat message in its thread once, however often it is routed', async () => {
    // Made-up words, so articles other tests put in the shared table cannot compete.
    const body = 'Open Settings, choose Zorbulator password and follow the reset link we email you.';
    const article = buildArticle(
      createArticleInput.parse({
        title: 'Reset zorbulator password',
        body,
        category: 'ACCOUNT',
        tags: ['zorbulator', 'quixotron', 'password'],
        autoReply: true,
      }),
      new Date(),
    );
    await knowledge.create(article);
    const index = knowledgeIndexCache(() => knowledge.listAll());
    const suggest: SuggestFn = async (text, category) => suggestWithBodies(await index.current(), text, { limit: 3, ...(category ? { category } : {}) });

    const session = `it_${randomUUID().replaceAll('-', '')}`;
    // An hour no other test writes, so its counters are this test's alone.
    const m = chat(session, 'I forgot my zorbulator quixotron password, how do I reset it?', '2031-03-04T07:10:00.000Z');
    await crm.putInboundMessage(m);
    const routedAt = new Date('2031-03-04T07:10:45.000Z');
    const first = await routeMessage(crm, { message: m, classification }, routedAt, { suggest });
    expect(first.outcome).toBe('opened');
    if (first.outcome === 'already-routed') return;

    const thread = await crm.listThreadMessages('chat', session, { limit: 10 });
    expect(thread.items.map((x) => [x.direction, x.from, x.text])).toEqual([
      ['inbound', session, m.text],
      ['outbound', 'switchboard', body],
    ]);
    expect(thread.items[1]).toMatchObject({ messageId: autoReplyIdFor(m), inReplyTo: m.messageId, articleId: article.id, ticketId: first.ticketId });
    expect(thread.items[0]!.suggestions?.[0]).toMatchObject({ articleId: article.id, title: article.title });

    const ticket = await crm.getTicket(first.ticketId);
    expect(ticket).toMatchObject({
      status: 'pending',
      messageCount: 2,
      firstResponseAt: '2031-03-04T07:10:45.000Z',
      suggestedAnswer: { articleId: article.id, autoReplied: true, reason: 'auto-reply', messageId: m.messageId },
    });
    expect((await crm.listTicketMessages(first.ticketId, { limit: 10 })).items).toHaveLength(2);
    expect((await crm.listQueue({ limit: 100 })).items.map((t) => t.ticketId)).toContain(first.ticketId);

    // Redelivered: nothing changes, still one reply, counted once.
    expect(await routeMessage(crm, { message: m, classification }, new Date(), { suggest })).toMatchObject({ outcome: 'already-routed' });
    expect((await crm.listThreadMessages('chat', session, { limit: 10 })).items).toHaveLength(2);
    expect(await counted('2031-03-04T07', 'messagesOut@channel#chat')).toBe(1);
    expect(await counted('2031-03-04T07', 'firstResponseSecondsSum@channel#chat')).toBe(45);

    // A follow-up that matches again gets its own reply; the first response is not counted again.
    const next = chat(session, 'Still no zorbulator reset email for my quixotron password', '2031-03-04T07:20:00.000Z');
    await crm.putInboundMessage(next);
    expect(await routeMessage(crm, { message: next, classification }, new Date('2031-03-04T07:20:05.000Z'), { suggest })).toMatchObject({ outcome: 'appended' });
    expect((await crm.listThreadMessages('chat', session, { limit: 10 })).items.map((x) => x.direction)).toEqual(['inbound', 'outbound', 'inbound', 'outbound']);
    expect(await crm.getTicket(first.ticketId)).toMatchObject({ messageCount: 4, status: 'pending', firstResponseAt: '2031-03-04T07:10:45.000Z' });
    expect(await counted('2031-03-04T07', 'messagesOut@channel#chat')).toBe(2);
    expect(await counted('2031-03-04T07', 'firstResponseCount@channel#chat')).toBe(1);
  });
});
