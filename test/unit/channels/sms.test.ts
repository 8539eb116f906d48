import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundSmsSchema, MAX_SMS_TEXT, normaliseSms, parseSnsSms, toE164 } from '../../../shared/channels/sms';
import { messageIdFor } from '../../../shared/domain/ids';
import { inboundMessageSchema } from '../../../shared/domain/message';

const raw = (name: string) => readFileSync(`test/fixtures/sms/${name}`, 'utf8');
const us = inboundSmsSchema.parse(JSON.parse(raw('inbound.json')));
const at = new Date('2026-11-22T10:00:00Z');

describe('normaliseSms', () => {
  it('normalises a US End User Messaging payload, threaded by the sender', () => {
    const parsed = normaliseSms(us, at);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(inboundMessageSchema.parse(parsed.message)).toEqual({
      messageId: messageIdFor('sms', 'cae173d2-66b9-564c-8309-21f858e9fb84'),
      channel: 'sms',
      providerMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      from: '+14255550182',
      alsoKnownAs: [],
      to: '+12125550199',
      text: 'Hi, is my order #1042 on its way?',
      attachments: [],
      threadKey: '+14255550182',
      receivedAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('normalises an international payload (UK mobile to a UK long code)', () => {
    const parsed = parseSnsSms(raw('inbound-uk.json'), at);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(parsed.message).toMatchObject({ from: '+447911123456', to: '+447480123456', threadKey: '+447911123456', text: 'Wo ist mein Paket? 📦' });
  });

  it('reads a sender without + in the country of our receiving number', () => {
    const parsed = normaliseSms({ ...us, originationNumber: '(425) 555-0182' }, at);
    expect(parsed).toMatchObject({ kind: 'message', message: { from: '+14255550182' } });
  });

  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['+49 30 901820', '+4930901820'],
    ['+34 612 345 678', '+34612345678'],
    ['+81 90-1234-5678', '+819012345678'],
    ['12345', undefined],
    ['+1 555', undefined],
    ['+44 7700 900123', undefined], // Ofcom's drama range: possible, never assigned
    ['SHOP', undefined],
  ])('E.164 of %s is %s', (input, expected) => expect(toE164(input)).toBe(expected));

  it('skips an invalid sender and an empty body', () => {
    expect(normaliseSms({ ...us, originationNumber: 'SHOP' }, at)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/not a valid phone number/) });
    expect(normaliseSms({ ...us, originationNumber: '+1 555' }, at).kind).toBe('skip');
    expect(normaliseSms({ ...us, messageBody: '  ' }, at)).toEqual({ kind: 'skip', reason: 'empty message body' });
  });

  it('caps an abusive body', () => {
    const parsed = normaliseSms({ ...us, messageBody: 'x'.repeat(MAX_SMS_TEXT + 10) }, at);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(parsed.message.text.length).toBeLessThan(MAX_SMS_TEXT + 10);
  });
});

describe('parseSnsSms', () => {
  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['another payload', '{"hello":1}', /not an inbound SMS: originationNumber/],
    ['a null', 'null', /not an inbound SMS/],
    ['an invalid sender', raw('invalid-number.json'), /not a valid phone number/],
  ])('skips %s', (_name, message, reason) => {
    const parsed = parseSnsSms(message, at);
    expect(parsed.kind).toBe('skip');
    if (parsed.kind === 'skip') expect(parsed.reason).toMatch(reason);
  });

  it('ignores fields it does not know', () => {
    const parsed = parseSnsSms(JSON.stringify({ ...us, isoCountryCode: 'US' }), at);
    expect(parsed.kind).toBe('message');
  });
});
