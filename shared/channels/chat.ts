import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { messageIdFor } from '../domain/ids';
import type { InboundMessage } from '../domain/message';

/** Visitor session ids are bearer secrets for reading the thread: long and unguessable. */
export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16 to 128 characters of A-Z, a-z, 0-9, "_" or "-"');

export const MAX_CHAT_TEXT = 5000;
/** Bodies above this are refused before parsing (the widget never needs more). */
export const MAX_CHAT_BODY_BYTES = 16 * 1024;

export const chatMessageInputSchema = z.strictObject({
  sessionId: sessionIdSchema,
  clientMessageId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1 to 128 characters of A-Z, a-z, 0-9, "_", ".", ":" or "-"')
    .optional(),
  text: z.string().trim().min(1, 'must not be empty').max(MAX_CHAT_TEXT, `must be at most ${MAX_CHAT_TEXT} characters`),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(254).optional(),
});
export type ChatMessageInput = z.infer<typeof chatMessageInputSchema>;

/** Turns a widget post into the channel-neutral message. */
export function normaliseChatMessage(input: ChatMessageInput, receivedAt: Date): InboundMessage {
  // Client ids are unique per session only, so the session is part of the provider id.
  const providerMessageId = `${input.sessionId}:${input.clientMessageId ?? randomUUID()}`;
  return {
    messageId: messageIdFor('chat', providerMessageId),
    channel: 'chat',
    providerMessageId,
    from: input.sessionId,
    ...(input.name ? { fromName: input.name } : {}),
    alsoKnownAs: input.email ? [{ channel: 'email', address: input.email.toLowerCase() }] : [],
    text: input.text,
    attachments: [],
    threadKey: input.sessionId,
    receivedAt: receivedAt.toISOString(),
  };
}
