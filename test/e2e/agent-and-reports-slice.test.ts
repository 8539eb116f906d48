import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodKey } from '../../shared/analytics/kpi';
import { startLocalStack, type LocalStack } from '../../infra/local/runtime';
import { eventually } from '../fixtures/eventually';

// The local stack in this process (real emulators, real HTTP), so the test can run its
// schedules now instead of waiting an hour for the KPI job.
let stack: LocalStack;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  stack = await startLocalStack({ memory: true, port: 0, smtpPort: 0, quiet: true, logError: () => {} });
});
afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminApiKey.secret}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: text && type.includes('json') ? JSON.parse(text) : text };
}

const chat = (text: string) =>
  call('POST', '/v1/channels/chat/messages', { sessionId: `rep_${randomUUID().replaceAll('-', '')}`, text });

describe('agents and managers on the local stack', () => {
  it('classifies into the queue, takes a correction, and the jobs fill the reports', async () => {
    expect((await chat('I want a refund for my broken kettle, how do I get my money back?')).status).toBe(202);
    expect((await chat('Where is my parcel? The delivery is three days late.')).status).toBe(202);
    expect((await chat('I am furious, this is the worst service ever, I want to complain!')).status).toBe(202);

    // Routed: the queue holds three tickets, highest priority first, each with its category and reasons.
    const queue = await eventually(async () => {
      const q = await call('GET', '/v1/queue');
      return q.body.tickets?.length === 3 ? q.body.tickets : undefined;
    }, 30_000, 'three tickets in the queue');
    const scores = queue.map((t: { priority: { score: number } }) => t.priority.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const refund = queue.find((t: { category?: string }) => t.category === 'REFUND');
    expect(refund).toMatchObject({ intent: 'get_refund', ticketType: 'inquiry', team: 'billing' });

    // An agent corrects one ticket's category and solves another.
    const parcel = queue.find((t: { lastMessagePreview: string }) => t.lastMessagePreview.includes('parcel'));
    expect(parcel).toMatchObject({ category: 'DELIVERY', intent: 'delivery_period', team: 'shipping' });
    expect(queue.find((t: { intent?: string }) => t.intent === 'complaint')).toMatchObject({ ticketType: 'complaint' });
    const corrected = await call('PATCH', `/v1/tickets/${parcel.ticketId}`, { intent: 'track_order' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ ticket: { category: 'ORDER', intent: 'track_order', team: 'orders' }, labelledExample: true });
    expect((await call('PATCH', `/v1/tickets/${refund.ticketId}`, { status: 'solved' })).body.ticket.status).toBe('solved');
    expect((await call('PATCH', `/v1/tickets/${refund.ticketId}`, { status: 'bogus' })).status).toBe(400);
    expect((await call('GET', '/v1/queue')).body.tickets).toHaveLength(2);

    // An agent answers the complaint on chat: the visitor reads it in the thread.
    const complaint = queue.find((t: { intent?: string }) => t.intent === 'complaint');
    const replied = await call('POST', `/v1/tickets/${complaint.ticketId}/replies`, { text: 'We are sorry. A manager will call you today.', clientReplyId: 'r-1' });
    expect(replied.status).toBe(201);
    expect(replied.body.ticket).toMatchObject({ status: 'pending', firstResponseAt: expect.any(String) });
    const thread = await call('GET', `/v1/channels/chat/sessions/${complaint.threadKey}/messages`);
    expect(thread.body.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound']);

    // The hourly KPI job, run now: today's chat row counts the three messages and the resolution.
    await stack.runSchedule('kpis');
    const today = periodKey('day', new Date());
    const kpis = await call('GET', `/v1/reports/kpis?granularity=day&dimension=channel%23chat&from=${today}&to=${today}`);
    expect(kpis.status).toBe(200);
    expect(kpis.body.rows[0].kpis).toMatchObject({ messagesIn: { value: 3 }, ticketsOpened: { value: 3 }, ticketsResolved: { value: 1 }, backlog: { value: 2 } });
    expect(kpis.body.rows[0].kpis.csat).toEqual({ value: null, undefinedReason: expect.any(String) });
    // The reply is a first response within its SLA, and so is the resolution: attainment 1.
    expect(kpis.body.rows[0].kpis.firstResponseMeanSeconds.value).toBeGreaterThanOrEqual(0);
    expect(kpis.body.rows[0].kpis.slaAttainment).toEqual({ value: 1 });
    const csv = await call('GET', `/v1/reports/kpis?granularity=month&from=${today.slice(0, 7)}&to=${today.slice(0, 7)}&format=csv`);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^granularity,period,dimension,start,end,messagesIn,/);

    // Need analysis of the current week sees the three messages; one day of history is too little to forecast.
    await stack.runSchedule('needs');
    const needs = await call('GET', `/v1/reports/needs?granularity=week&period=${periodKey('week', new Date())}`);
    expect(needs.body.needs.messages).toBe(3);
    await stack.runSchedule('forecasts');
    expect((await call('GET', '/v1/reports/forecasts?channel=chat')).status).toBe(404);

    // The knowledge base seeded from Bitext suggests an answer to the refund question.
    const seed = readFileSync('shared/knowledge/seed-articles.json', 'utf8');
    expect((await call('POST', '/v1/knowledge/import', seed)).status).toBeLessThan(300);
    const suggest = await call('POST', '/v1/knowledge/suggest', { text: 'How can I get my money back for a refund?', limit: 3 });
    expect(suggest.status).toBe(200);
    expect(JSON.stringify(suggest.body)).toMatch(/refund/i);
  });

  it('auto-replies to a chat question once an article allows it', async () => {
    const seed = readFileSync('shared/knowledge/seed-articles.json', 'utf8');
    expect((await call('POST', '/v1/knowledge/import', seed)).status).toBeLessThan(300);
    const listed = await call('GET', '/v1/knowledge/articles?limit=100');
    const article = listed.body.articles.find((a: { intent?: string }) => a.intent === 'recover_password');
    const { id, createdAt: _c, updatedAt: _u, ...fields } = article;
    const put = await call('PUT', `/v1/knowledge/articles/${id}`, { ...fields, autoReply: true });
    expect(put.status).toBe(200);
    expect(put.body.article).toMatchObject({ autoReply: true, version: article.version + 1 });

    // The route function caches the articles for up to a minute (INDEX_TTL_MS), so it may still
    // hold the base it loaded before the edit: ask again, from a new session, until it answers.
    const question = 'How can I reset my password? I forgot it.';
    const sessions: string[] = [];
    let lastAsked = 0;
    const answered = await eventually(async () => {
      if (Date.now() - lastAsked > 3_000) {
        const sessionId = `rep_${randomUUID().replaceAll('-', '')}`;
        expect((await call('POST', '/v1/channels/chat/messages', { sessionId, text: question })).status).toBe(202);
        sessions.push(sessionId);
        lastAsked = Date.now();
      }
      for (const sessionId of sessions) {
        const thread = await call('GET', `/v1/channels/chat/sessions/${sessionId}/messages`);
        if (thread.body.messages?.some((m: { direction: string }) => m.direction === 'outbound')) return thread.body.messages;
      }
      return undefined;
    }, 100_000, 'an auto-reply in the chat thread');
    expect(answered.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
      ['inbound', question],
      ['outbound', article.body],
    ]);
    // The agent sees the ticket waiting for the customer, with the answer sent.
    const pending = await call('GET', '/v1/tickets?status=pending');
    expect(pending.body.tickets.find((t: { suggestedAnswer?: { articleId: string } }) => t.suggestedAnswer?.articleId === id)).toMatchObject({
      messageCount: 2,
      suggestedAnswer: { autoReplied: true, reason: 'auto-reply' },
    });
  }, 150_000);
});
