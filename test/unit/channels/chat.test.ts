import { describe, expect, it } from 'vitest';
import { chatMessageInputSchema, normaliseChatMessage } from '../../../shared/channels/chat';
import { inboundMessageSchema } from '../../../shared/domain/message';

const at = new Date('2026-11-22T10:00:00Z');
const session = 'visitor_0123456789abcdef';

describe('chat normaliser', () => {
  it('gives the same message id for the same client message id', () => {
    const input = chatMessageInputSchema.parse({ sessionId: session, clientMessageId: 'c-1', text: 'Hello' });
    const a = normaliseChatMessage(input, at);
    const b = normaliseChatMessage(input, new Date(at.getTime() + 5000));
    expect(a.messageId).toBe(b.messageId);
    expect(inboundMessageSchema.parse(a)).toEqual(a);
  });

  it('scopes client message ids to the session', () => {
    const one = normaliseChatMessage(chatMessageInputSchema.parse({ sessionId: session, clientMessageId: 'c-1', text: 'x' }), at);
    const two = normaliseChatMessage(
      chatMessageInputSchema.parse({ sessionId: `${session}X`, clientMessageId: 'c-1', text: 'x' }),
      at,
    );
    expect(one.messageId).not.toBe(two.messageId);
  });

  it('gives each message without a client id its own id', () => {
    const input = chatMessageInputSchema.parse({ sessionId: session, text: 'Hello' });
    expect(normaliseChatMessage(input, at).messageId).not.toBe(normaliseChatMessage(input, at).messageId);
  });

  it('threads by session and records the email as a further identity, lower-cased', () => {
    const m = normaliseChatMessage(
      chatMessageInputSchema.parse({ sessionId: session, text: ' Hi ', name: 'Ana', email: 'Ana@Example.com' }),
      at,
    );
    expect(m).toMatchObject({
      channel: 'chat',
      from: session,
      fromName: 'Ana',
      threadKey: session,
      text: 'Hi',
      alsoKnownAs: [{ channel: 'email', address: 'ana@example.com' }],
      receivedAt: at.toISOString(),
    });
  });

  it.each([
    [{ sessionId: 'short', text: 'x' }, 'sessionId'],
    [{ sessionId: session, text: '   ' }, 'text'],
    [{ sessionId: session, text: 'x'.repeat(5001) }, 'text'],
    [{ sessionId: session, text: 'x', email: 'not-an-email' }, 'email'],
    [{ sessionId: session, text: 'x', extra: 1 }, ''],
    [{ sessionId: session, text: 'x', clientMessageId: 'has space' }, 'clientMessageId'],
  ])('rejects %j', (input, path) => {
    const parsed = chatMessageInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
