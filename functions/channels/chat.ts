import * as z from 'zod';
import { acceptInboundMessage } from '../../shared/channels/accept';
import { chatMessageInputSchema, MAX_CHAT_BODY_BYTES, normaliseChatMessage, sessionIdSchema } from '../../shared/channels/chat';
import { httpRoutes, json, parseJsonBody, parsePath, parseQuery } from '../lib/http';
import { crmStore } from '../lib/services';

const store = crmStore();

const threadQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

/** Public web chat routes: a visitor posts messages and reads their thread. */
export const handler = httpRoutes({
  'POST /v1/channels/chat/messages': async (event) => {
    const input = parseJsonBody(event, chatMessageInputSchema, MAX_CHAT_BODY_BYTES);
    const message = normaliseChatMessage(input, new Date());
    const result = await acceptInboundMessage({ store }, message);
    return json(result.duplicate ? 200 : 202, { messageId: result.messageId, sessionId: input.sessionId, duplicate: result.duplicate });
  },
  'GET /v1/channels/chat/sessions/{sessionId}/messages': async (event) => {
    const { sessionId } = parsePath(event, z.object({ sessionId: sessionIdSchema }));
    const q = parseQuery(event, threadQuery);
    const page = await store.listThreadMessages('chat', sessionId, q);
    return json(200, {
      sessionId,
      // The visitor sees the conversation, not our internal classification.
      messages: page.items.map((m) => ({
        messageId: m.messageId,
        direction: m.direction,
        text: m.text,
        sentAt: m.receivedAt,
        ...(m.fromName ? { name: m.fromName } : {}),
      })),
      ...(page.next ? { next: page.next } : {}),
    });
  },
});
