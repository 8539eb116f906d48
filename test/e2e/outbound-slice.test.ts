import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStackProcess, type RunningStack } from './helpers';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStackProcess();
});
afterAll(async () => {
  expect(await stack?.stop()).toBe(0);
});

interface TicketView {
  ticketId: string;
  channel: string;
  threadKey: string;
  status: string;
  messageCount: number;
}
interface MessageView {
  messageId: string;
  direction: string;
  text: string;
  delivery?: { status: string; providerMessageId?: string; to: string };
}
const api = async (path: string, init: RequestInit = {}) =>
  fetch(`${stack.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
const openTickets = async () => ((await (await api('/v1/tickets?status=open&limit=100')).json()) as { tickets: TicketView[] }).tickets;
const detail = async (id: string) => (await (await api(`/v1/tickets/${id}`)).json()) as { ticket: TicketView; messages: MessageView[] };
const reply = async (id: string, text: string) => {
  const res = await api(`/v1/tickets/${id}/replies`, { method: 'POST', body: JSON.stringify({ text }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { reply: MessageView }).reply;
};

describe('replies leave the local stack by email (SES v2 emulator) and SMS (SMS emulator)', () => {
  it('mails an agent’s reply threaded to the customer, and their answer to it joins the same ticket', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const rootId = `<${randomUUID()}@customer.example>`;
    await transport.sendMail({ from: 'carla@customer.example', to: 'support@shop.example', subject: 'Invoice copy', messageId: rootId, text: 'Can you send me a copy of invoice 4411?' });
    const ticket = await eventually(async () => (await openTickets()).find((t) => t.threadKey === rootId), 30_000, 'the email ticket');

    const sent = await reply(ticket.ticketId, 'Here it is: your invoice 4411 is attached to your account page.');
    expect(sent.delivery).toMatchObject({ status: 'queued', to: 'carla@customer.example' });
    type Mail = { messageId: string; from: string; destination: { to: string[] }; subject: string; headers: Array<{ name: string; value: string }> };
    const mail = await eventually(async () => {
      const store = (await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: Mail[] };
      return store.emails.find((e) => e.headers.some((h) => h.name === 'In-Reply-To' && h.value === rootId));
    }, 30_000, 'the reply in the SES emulator');
    expect(mail).toMatchObject({ from: 'support@shop.example', destination: { to: ['carla@customer.example'] }, subject: 'Re: Invoice copy' });
    const delivered = await eventually(async () => {
      const d = await detail(ticket.ticketId);
      const m = d.messages.find((x) => x.messageId === sent.messageId);
      return m?.delivery?.status === 'sent' ? d : undefined;
    }, 30_000, 'the reply marked sent');
    expect(delivered.ticket.status).toBe('pending');
    expect(delivered.messages.find((x) => x.messageId === sent.messageId)!.delivery!.providerMessageId).toBe(mail.messageId);

    // The customer answers our mail: their References start with the thread's root.
    await transport.sendMail({
      from: 'carla@customer.example',
      to: 'support@shop.example',
      subject: 'Re: Invoice copy',
      inReplyTo: `<${mail.messageId}@email.amazonses.com>`,
      references: [rootId, `<${mail.messageId}@email.amazonses.com>`],
      text: 'Thanks, got it.',
    });
    const answered = await eventually(async () => {
      const d = await detail(ticket.ticketId);
      return d.messages.length === 3 ? d : undefined;
    }, 30_000, 'the customer’s answer on the same ticket');
    expect(answered.messages.map((m) => m.direction)).toEqual(['inbound', 'outbound', 'inbound']);
    // Waiting for the customer no more: back to the agents.
    expect(answered.ticket.status).toBe('open');
    transport.close();
  });

  it('turns a text to our number into an SMS ticket and texts the agent’s reply back from that number', async () => {
    // 555-01xx: fictional numbers that libphonenumber still deems valid.
    const customer = `+1425555${String(100 + Math.floor(Math.random() * 100)).padStart(4, '0')}`;
    const res = await fetch(`${stack.smsUrl}/inbound`, {
      method: 'POST',
      body: JSON.stringify({ originationNumber: customer, destinationNumber: '+14155550199', messageBody: 'Is my order 88 shipped yet?' }),
    });
    expect(res.status).toBe(202);
    const ticket = await eventually(async () => (await openTickets()).find((t) => t.channel === 'sms' && t.threadKey === customer), 30_000, 'the SMS ticket').catch((err: Error) => {
      throw new Error(`${err.message}\n${stack.output().slice(-3000)}`);
    });
    await reply(ticket.ticketId, 'Yes, it shipped this morning.');
    type Sms = { destinationPhoneNumber: string; originationIdentity?: string; messageBody: string };
    const texts = await eventually(async () => {
      const out = (await (await fetch(`${stack.smsUrl}/messages`)).json()) as { messages: Sms[] };
      const mine = out.messages.filter((m) => m.destinationPhoneNumber === customer);
      return mine.length ? mine : undefined;
    }, 30_000, 'the SMS reply');
    expect(texts).toEqual([expect.objectContaining({ originationIdentity: '+14155550199', messageBody: 'Yes, it shipped this morning.' })]);
  });
});
