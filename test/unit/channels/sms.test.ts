import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundSmsSchema, normaliseSms, toE164 } from '../../../shared/channels/sms';
import { messageIdFor } from '../../../shared/domain/ids';

const sms = inboundSmsSchema.parse(JSON.parse(readFileSync('test/fixtures/sms/inbound.json', 'utf8')));
const at = new Date('2026-11-22T10:00:00Z');

describe('SMS', () => {
  it('normalises an End User Messaging payload, threaded by the sender', () => {
    const parsed = normaliseSms(sms, at);
    if (parsed.kind !== 'message') throw new Error(parsed.reason);
    expect(parsed.message).toMatchObject({
      messageId: messageIdFor('sms', sms.inboundMessageId),
      channel: 'sms',
      from: '+14255550182',
      to: '+12125550199',
      threadKey: '+14255550182',
      text: 'Hi, is my order #1042 on its way?',
    });
  });

  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['+49 (030) 901820', '+4930901820'],
    ['+34 612 345 678', '+34612345678'],
    ['12345', undefined],
    ['+1 555', undefined],
  ])('E.164 of %s is %s', (input, expected) => expect(toE164(input)).toBe(expected));

  it('skips invalid senders and empty bodies', () => {
    expect(normaliseSms({ ...sms, originationNumber: 'SHOP' }, at).kind).toBe('skip');
    expect(normaliseSms({ ...sms, messageBody: '  ' }, at).kind).toBe('skip');
  });
});
