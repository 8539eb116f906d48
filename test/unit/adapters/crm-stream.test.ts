import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { inboundMessageItem } from '../../../shared/adapters/crm-items';
import { inboundMessageOfImage } from '../../../shared/adapters/crm-stream';
import { inboundMessageSchema, type InboundMessage } from '../../../shared/domain/message';

const chat: InboundMessage = {
  messageId: 'm1',
  channel: 'chat',
  providerMessageId: 'visitor:c1',
  from: 'visitor_0123456789abcdef',
  alsoKnownAs: [],
  text: 'Where is my order?',
  attachments: [],
  threadKey: 'visitor_0123456789abcdef',
  receivedAt: '2026-12-03T10:00:00.000Z',
};
const email: InboundMessage = {
  ...chat,
  messageId: 'm2',
  channel: 'email',
  from: 'ana@example.com',
  fromName: 'Ana',
  subject: 'Parcel',
  alsoKnownAs: [{ channel: 'chat', address: 'visitor_0123456789abcdef' }],
  attachments: [{ filename: 'a.png', contentType: 'image/png', size: 70 }],
  threadKey: '<root@shop.example>',
};

describe('crm stream images', () => {
  it('read back the message intake stored, whatever it left out of the item (id, empty lists, a thread key that is the sender)', () => {
    for (const m of [chat, email]) expect(inboundMessageSchema.parse(inboundMessageOfImage(marshall(inboundMessageItem(m))))).toEqual(m);
  });

  it("leave out the sweeper's and a retry's attributes", () => {
    const image = marshall({ ...inboundMessageItem(chat), sweepCount: 2, retriedAt: '2026-12-03T10:06:00.000Z' });
    expect(inboundMessageOfImage(image)).toEqual(chat);
  });
});
