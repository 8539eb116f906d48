import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_EMAIL_TEXT, htmlToText, parseEmail } from '../../../shared/channels/email';
import { stripQuotedReply } from '../../../shared/channels/email-quotes';
import { inboundMessageSchema } from '../../../shared/domain/message';

const fixture = (name: string) => readFileSync(`test/fixtures/email/${name}`);
const opts = { fallbackId: 'ses-id-1', receivedAt: new Date('2026-11-22T09:15:05Z') };

describe('email parsing', () => {
  it('threads a reply to its root message, strips the quote and lists the attachment', async () => {
    const parsed = await parseEmail(fixture('reply-multipart.eml'), opts);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    const m = inboundMessageSchema.parse(parsed.message);
    expect(m).toMatchObject({
      channel: 'email',
      providerMessageId: '<CAF=reply-2@mail.example.com>',
      from: 'ana.silva@example.com',
      fromName: 'Ana Silva',
      to: 'support@shop.example',
      subject: 'Re: Your order #1042 has shipped',
      threadKey: '<CAF=root-0@shop.example>',
      receivedAt: '2026-11-22T09:15:05.000Z',
    });
    expect(m.text).toContain('tracking page says "delivered"');
    expect(m.text).not.toContain('Thanks for shopping');
    expect(m.text).not.toMatch(/wrote:/);
    expect(m.attachments).toEqual([{ filename: 'tracking.png', contentType: 'image/png', size: 70 }]);
  });

  it('decodes ISO-8859-1 headers and body', async () => {
    const parsed = await parseEmail(fixture('latin1.eml'), opts);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(parsed.message.fromName).toBe('René Müller');
    expect(parsed.message.subject).toBe('Bestellung für München');
    expect(parsed.message.text).toContain('Meine Bestellung für München ist nicht angekommen. Grüße');
    expect(parsed.message.threadKey).toBe('<latin1-1@example.de>');
  });

  it('turns html-only mail into text without markup or styles', async () => {
    const parsed = await parseEmail(fixture('html-only.eml'), opts);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(parsed.message.text).toBe('I would like a refund for order 77.\nThanks a lot');
  });

  it('skips auto-replies and bounces so they never open tickets', async () => {
    expect(await parseEmail(fixture('auto-reply.eml'), opts)).toEqual({ kind: 'skip', reason: 'auto-submitted: auto-replied' });
    const bounce = 'From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered\r\n\r\nsorry';
    expect((await parseEmail(bounce, opts)).kind).toBe('skip');
  });

  it('uses the SES id when Message-ID is missing, and caps very long text', async () => {
    const raw = `From: a@b.example\r\nSubject: long\r\n\r\n${'x'.repeat(MAX_EMAIL_TEXT + 500)}`;
    const parsed = await parseEmail(raw, opts);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(parsed.message.providerMessageId).toBe('<ses-id-1@ses>');
    expect(parsed.message.text.length).toBeLessThan(MAX_EMAIL_TEXT + 100);
    expect(parsed.message.text).toMatch(/truncated/);
  });
});

describe('quoted reply stripping', () => {
  it.each([
    ['Thanks!\n\nOn Mon, 1 Jan 2026, Bob <b@x> wrote:\n> hi', 'Thanks!'],
    ['Yes please.\n-----Original Message-----\nFrom: x', 'Yes please.'],
    ['Done.\nFrom: Support <s@x>\nSent: Monday\nSubject: y', 'Done.'],
    ['Ok\nLe lun. 1 janv. 2026, Bob a écrit :\n> salut', 'Ok'],
    ['Line one\n> quoted\nLine two', 'Line one\nLine two'],
  ])('%j', (input, expected) => expect(stripQuotedReply(input)).toBe(expected));

  it('keeps a message that is only a quote', () => {
    expect(stripQuotedReply('> just this')).toBe('> just this');
  });

  it('keeps a sentence that merely mentions "From:"', () => {
    expect(stripQuotedReply('From: my phone I cannot log in\nPlease help')).toBe('From: my phone I cannot log in\nPlease help');
  });

  it('htmlToText keeps line structure', () => {
    expect(htmlToText('<div>a</div><div>b<br>c</div>')).toBe('a\nb\nc');
  });
});
