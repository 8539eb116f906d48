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

const tickets = async () => {
  const res = await fetch(`${stack.apiUrl}/v1/tickets?status=open&limit=100`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  return ((await res.json()) as { tickets: Array<{ ticketId: string; channel: string; threadKey: string; messageCount: number; subject: string }> }).tickets;
};

describe('email end to end through the local SMTP server (SES stand-in)', () => {
  it('turns a real SMTP mail into a ticket, and threads the reply into it', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const rootId = `<${randomUUID()}@customer.example>`;
    const sent = await transport.sendMail({
      from: 'Bruno Costa <bruno@customer.example>',
      to: 'support@shop.example',
      subject: 'Refund for a broken blender',
      messageId: rootId,
      text: 'The blender arrived broken. I want a refund, please.',
      attachments: [{ filename: 'photo.txt', content: 'not really a photo' }],
    });
    expect(sent.response).toMatch(/^250/);

    const ticket = await eventually(async () => (await tickets()).find((t) => t.threadKey === rootId), 30_000, 'the email ticket');
    expect(ticket).toMatchObject({ channel: 'email', subject: 'Refund for a broken blender', messageCount: 1 });

    await transport.sendMail({
      from: 'bruno@customer.example',
      to: 'support@shop.example',
      subject: 'Re: Refund for a broken blender',
      inReplyTo: rootId,
      references: [rootId],
      text: 'Any update?\n\nOn Mon, Bruno wrote:\n> The blender arrived broken.',
    });
    const detail = await eventually(async () => {
      const res = await fetch(`${stack.apiUrl}/v1/tickets/${ticket.ticketId}`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
      const body = (await res.json()) as { messages: Array<{ text: string; from: string }>; customer: { email?: string } };
      return body.messages.length === 2 ? body : undefined;
    }, 30_000, 'the reply on the same ticket');
    expect(detail.messages[1]!.text).toBe('Any update?');
    expect(detail.messages.every((m) => m.from === 'bruno@customer.example')).toBe(true);
    transport.close();
  });
});
