import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capText, MAX_ATTACHMENTS, MAX_ID_LENGTH, repairWindows1252, MAX_EMAIL_TEXT, parseEmail, TRUNCATION_MARKER, type ParsedEmail } from '../../../shared/channels/email';
import { messageIdFor } from '../../../shared/domain/ids';
import { inboundMessageSchema, type InboundMessage } from '../../../shared/domain/message';

const fixture = (name: string) => readFileSync(`test/fixtures/email/${name}`);
const opts = { sesMessageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', receivedAt: '2026-11-22T09:15:05.000Z' };

/** The message of a parse that must succeed, checked against the shared schema. */
function messageOf(parsed: ParsedEmail): InboundMessage {
  if (parsed.kind !== 'message') throw new Error(`skipped: ${parsed.reason}`);
  return inboundMessageSchema.parse(parsed.message);
}
const parse = async (raw: Buffer | string, extra: Partial<typeof opts> & { recipients?: string[] } = {}) =>
  messageOf(await parseEmail(raw, { ...opts, ...extra }));

describe('parseEmail', () => {
  it('parses a plain UTF-8 mail that starts a thread', async () => {
    const m = await parse(fixture('plain.eml'), { recipients: ['Support@Shop.example'] });
    expect(m).toEqual({
      messageId: messageIdFor('email', '<20261122080107.4711@example.cn>'),
      channel: 'email',
      providerMessageId: '<20261122080107.4711@example.cn>',
      from: 'li.wei@example.cn',
      fromName: 'Li Wei',
      alsoKnownAs: [],
      to: 'support@shop.example',
      subject: 'Can I change the delivery address?',
      text: 'Hello,\n\nI ordered a lamp yesterday (order #2210) but I am moving next week.\nCan you send it to 5 Harbour Road instead? 🙏\n\nThanks,\nLi Wei',
      attachments: [],
      threadKey: '<20261122080107.4711@example.cn>',
      receivedAt: '2026-11-22T09:15:05.000Z',
    });
    expect(m).not.toHaveProperty('html');
  });

  it('threads a reply to the root of References, strips the quote and lists the attachment', async () => {
    const m = await parse(fixture('reply-multipart.eml'));
    expect(m).toMatchObject({
      providerMessageId: '<CAF=reply-2@mail.example.com>',
      from: 'ana.silva@example.com',
      fromName: 'Ana Silva',
      to: 'support@shop.example',
      subject: 'Re: Your order #1042 has shipped',
      threadKey: '<CAF=root-0@shop.example>',
    });
    expect(m.text).toBe('The parcel still has not arrived and the tracking page says "delivered".\nCan you check with the courier?');
    expect(m.attachments).toEqual([{ filename: 'tracking.png', contentType: 'image/png', size: 70 }]);
  });

  it('takes text/plain from multipart/alternative, threads on In-Reply-To and cuts an Outlook reply block', async () => {
    const m = await parse(fixture('alternative-outlook-reply.eml'));
    expect(m.threadKey).toBe('<0100019abc-refund-1@email.amazonses.com>');
    expect(m.text).toBe('Hi,\n\nThe refund has not shown up on my card yet. It has been ten working days now.\n\nRegards,\nTom');
    expect(m.text).not.toMatch(/GBP|____|Sent:/);
  });

  it('decodes ISO-8859-1 headers and body', async () => {
    const m = await parse(fixture('latin1.eml'));
    expect(m.fromName).toBe('René Müller');
    expect(m.subject).toBe('Bestellung für München');
    expect(m.text).toBe('Meine Bestellung für München ist nicht angekommen. Grüße');
  });

  it('decodes windows-1252 (curly quotes, en dash, euro sign) in base64', async () => {
    const m = await parse(fixture('windows-1252.eml'));
    expect(m.fromName).toBe('Céline Durand');
    expect(m.subject).toBe('Colis non reçu – commande 3301');
    expect(m.text).toContain('Le colis n’est pas arrivé – j’ai payé 12 € de livraison.');
  });

  it('turns html-only mail into text, without markup, styles or the quoted history', async () => {
    const m = await parse(fixture('html-only.eml'));
    expect(m.text).toBe('I would like a refund for order 77.\n\nThanks a lot');
    const gmail = [
      'From: a@example.org',
      'Message-ID: <h2@example.org>',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<div dir="ltr">Still broken &#8212; see <a href="https://x.example">here</a>.</div><br>',
      '<div class="gmail_quote"><div>On Sat, Support wrote:</div><blockquote>old text</blockquote></div>',
    ].join('\r\n');
    expect((await parse(gmail)).text).toBe('Still broken — see here.');
  });

  it('normalises a Message-ID without brackets and falls back to the SES id without one', async () => {
    expect((await parse('From: a@b.example\r\nMessage-ID: abc@b.example\r\n\r\nhi')).providerMessageId).toBe('<abc@b.example>');
    const m = await parse('From: a@b.example\r\nSubject: no id\r\n\r\nhi');
    expect(m.providerMessageId).toBe(opts.sesMessageId);
    expect(m.threadKey).toBe(opts.sesMessageId);
    expect(m.messageId).toBe(messageIdFor('email', opts.sesMessageId));
  });

  it('replaces an over-long Message-ID by a stable digest, so a reply still finds the thread', async () => {
    const id = `<${'a'.repeat(3_000)}@b.example>`;
    const root = await parse(`From: a@b.example\r\nMessage-ID: ${id}\r\n\r\nhi`);
    const reply = await parse(`From: a@b.example\r\nMessage-ID: <r@b.example>\r\nReferences: ${id}\r\n\r\nre`);
    expect(root.providerMessageId).toMatch(/^<[0-9a-f]{64}@long-id\.invalid>$/);
    expect(root.threadKey.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(reply.threadKey).toBe(root.threadKey);
  });

  it('skips a sender address too long to be one (it would be an identity key)', async () => {
    const parsed = await parseEmail(`From: ${'x'.repeat(300)}@b.example\r\n\r\nhi`, opts);
    expect(parsed).toEqual({ kind: 'skip', reason: 'sender address longer than 254 characters' });
  });

  it('caps very long text with a visible marker', async () => {
    const m = await parse(`From: a@b.example\r\nMessage-ID: <long@b.example>\r\n\r\n${'word '.repeat(10_000)}`);
    expect(m.text.length).toBeLessThanOrEqual(MAX_EMAIL_TEXT);
    expect(m.text.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('keeps at most MAX_ATTACHMENTS attachment entries', async () => {
    const part = (i: number) =>
      `--b\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename="f${i}.csv"\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n`;
    const raw = `From: a@b.example\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfiles\r\n${Array.from({ length: 60 }, (_, i) => part(i)).join('')}--b--\r\n`;
    const m = await parse(raw);
    expect(m.attachments).toHaveLength(MAX_ATTACHMENTS);
    expect(m.attachments[0]).toEqual({ filename: 'f0.csv', contentType: 'text/csv', size: 5 });
  });
});

describe('machine-written mail is skipped (mail loops, bounces)', () => {
  it.each([
    ['an auto-reply', fixture('auto-reply.eml'), 'auto-submitted: auto-replied'],
    ['a bounce', fixture('bounce.eml'), 'auto-submitted: auto-replied'],
    ['an auto-generated notice', 'From: n@x.example\r\nAuto-Submitted: auto-generated\r\n\r\nhi', 'auto-submitted: auto-generated'],
    ['a MAILER-DAEMON mail', 'From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered\r\n\r\nsorry', 'bounce from mailer-daemon@mx.example'],
    [
      'a delivery report',
      'From: mx@x.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\n\r\nx\r\n--r--',
      'delivery or read report',
    ],
    ['X-Autoreply', 'From: a@x.example\r\nX-Autoreply: yes\r\n\r\naway', 'auto-reply header'],
    ['Precedence: auto_reply', 'From: a@x.example\r\nPrecedence: auto_reply\r\n\r\naway', 'precedence: auto_reply'],
  ])('%s', async (_name, raw, reason) => {
    expect(await parseEmail(raw, opts)).toEqual({ kind: 'skip', reason });
  });

  it('skips our own outbound mail coming back to a receiving address', async () => {
    const raw = 'From: Support <support@shop.example>\r\nTo: support@shop.example\r\n\r\nhi';
    expect(await parseEmail(raw, { ...opts, recipients: ['support@shop.example'] })).toMatchObject({ kind: 'skip' });
  });

  it('accepts Auto-Submitted: no (a person wrote it)', async () => {
    expect((await parseEmail('From: a@x.example\r\nAuto-Submitted: no\r\n\r\nhi', opts)).kind).toBe('message');
  });
});

describe('permanently bad mail is a skip, never an exception', () => {
  it.each([
    ['no From', 'To: support@shop.example\r\nSubject: x\r\n\r\nhi', { ...opts }, /no sender/],
    ['a bad receipt time', 'From: a@x.example\r\n\r\nhi', { ...opts, receivedAt: 'yesterday' }, /receipt time/],
  ])('%s', async (_name, raw, o, reason) => {
    const parsed = await parseEmail(raw, o);
    expect(parsed.kind).toBe('skip');
    if (parsed.kind === 'skip') expect(parsed.reason).toMatch(reason);
  });
});

describe('repairWindows1252', () => {
  it('maps C1 controls left by a Latin-1 decode to their windows-1252 characters', () => {
    expect(repairWindows1252('n\u0092est \u0096 12 \u0080')).toBe('n’est – 12 €');
    expect(repairWindows1252('plain ÄÖÜ')).toBe('plain ÄÖÜ');
  });
});

describe('capText', () => {
  it('leaves short text alone', () => expect(capText('abc', 10)).toBe('abc'));

  it('cuts at the limit, marker included', () => {
    const out = capText('x'.repeat(100), TRUNCATION_MARKER.length + 10);
    expect(out).toBe(`${'x'.repeat(10)}${TRUNCATION_MARKER}`);
  });

  it('never splits a surrogate pair', () => {
    const max = TRUNCATION_MARKER.length + 3;
    const out = capText(`ab${'😀'.repeat(40)}`, max);
    expect(out).toBe(`ab${TRUNCATION_MARKER}`);
    expect(out.length).toBeLessThanOrEqual(max);
  });
});
