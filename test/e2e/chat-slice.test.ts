import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStackProcess, type RunningStack } from './helpers';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStackProcess();
});
afterAll(async () => {
  expect(await stack?.stop()).toBe(0);
});

const call = async (method: string, path: string, opts: { key?: string; body?: unknown } = {}) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
};

describe('web chat end to end on the local stack', () => {
  it('takes a visitor message through ingest, classify and route into a ticket an agent can read', async () => {
    const sessionId = `e2e_${randomUUID().replaceAll('-', '')}`;

    const bad = await call('POST', '/v1/channels/chat/messages', { body: { sessionId, text: '' } });
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json');
    expect(bad.body.details[0].path).toBe('text');

    const first = { sessionId, clientMessageId: 'c-1', name: 'Ana Silva', email: 'ana@example.com', text: 'Hi, my order #123 has not arrived. Please help urgently!' };
    const accepted = await call('POST', '/v1/channels/chat/messages', { body: first });
    expect(accepted.status).toBe(202);
    const duplicate = await call('POST', '/v1/channels/chat/messages', { body: first });
    expect(duplicate.status).toBe(200);
    expect(duplicate.body).toMatchObject({ messageId: accepted.body.messageId, duplicate: true });

    // An admin makes an agent key; the agent reads the queue.
    const made = await call('POST', '/v1/api-keys', { key: stack.adminKey, body: { name: 'e2e agent', role: 'agent' } });
    expect(made.status).toBe(201);
    const agentKey: string = made.body.secret;
    expect((await call('GET', '/v1/tickets')).status).toBe(401);
    expect((await call('POST', '/v1/api-keys', { key: agentKey, body: { name: 'x', role: 'admin' } })).status).toBe(403);

    const ticketId = await eventually(async () => {
      const list = await call('GET', '/v1/tickets?status=open', { key: agentKey });
      expect(list.status).toBe(200);
      return list.body.tickets.find((t: { threadKey: string }) => t.threadKey === sessionId)?.ticketId as string | undefined;
    }, 30_000, 'the ticket');

    await call('POST', '/v1/channels/chat/messages', { body: { sessionId, clientMessageId: 'c-2', text: 'Any news?' } });
    const ticket = await eventually(async () => {
      const t = await call('GET', `/v1/tickets/${ticketId}`, { key: agentKey });
      return t.body.messages.length === 2 ? t.body : undefined;
    }, 30_000, 'the second message on the ticket');
    expect(ticket.ticket).toMatchObject({ ticketId, status: 'open', channel: 'chat', messageCount: 2 });
    expect(ticket.customer).toMatchObject({ name: 'Ana Silva', email: 'ana@example.com' });
    expect(ticket.messages[0].text).toBe(first.text);
    expect(ticket.messages[0].classification.language.code).toBe('en');
    expect(ticket.messages[0].classification.urgency.score).toBeGreaterThan(ticket.messages[1].classification.urgency.score);
    expect(ticket.ticket.priority.reasons.length).toBeGreaterThan(0);

    const thread = await call('GET', `/v1/channels/chat/sessions/${sessionId}/messages`);
    expect(thread.status).toBe(200);
    expect(thread.body.messages.map((m: { text: string }) => m.text)).toEqual([first.text, 'Any news?']);

    // A revoked key stops working at once.
    expect((await call('DELETE', `/v1/api-keys/${made.body.apiKey.id}`, { key: stack.adminKey })).status).toBe(200);
    expect((await call('GET', '/v1/tickets', { key: agentKey })).status).toBe(403);
  });
});
