import * as z from 'zod';

export const CHANNELS = ['chat', 'email', 'sms', 'social', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;

/** Channel-neutral message produced by every channel normaliser. */
export const inboundMessageSchema = z.object({
  messageId: z.string().min(1),
  channel: z.enum(CHANNELS),
  providerMessageId: z.string().min(1),
  /** Channel address of the sender: chat session id, email address, E.164 number, ... */
  from: z.string().min(1),
  fromName: z.string().optional(),
  /** Further identities the sender gave (e.g. a chat visitor's email). */
  alsoKnownAs: z.array(z.object({ channel: z.enum(CHANNELS), address: z.string().min(1) })).default([]),
  to: z.string().optional(),
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  attachments: z
    .array(z.object({ filename: z.string(), contentType: z.string(), size: z.number().int().nonnegative() }))
    .default([]),
  /** Channel-specific key of the conversation this message continues (chat session, email thread). */
  threadKey: z.string().min(1),
  receivedAt: z.string().datetime(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** What the classify step adds. */
export const classificationSchema = z.object({
  language: z.object({ code: z.string(), confidence: z.number().min(0).max(1) }),
  sentiment: z.object({
    score: z.number(),
    comparative: z.number(),
    label: z.enum(['negative', 'neutral', 'positive']),
    confidence: z.number().min(0).max(1).optional(),
  }),
  /**
   * Support category and intent from the trained classifier. `outOfScope`: not confident
   * enough (or not English), so the ticket goes to human triage. Optional so messages
   * queued before the classifier shipped still parse.
   */
  topic: z
    .object({
      category: z.string(),
      intent: z.string(),
      confidence: z.number().min(0).max(1),
      outOfScope: z.boolean(),
    })
    .optional(),
  urgency: z.object({
    score: z.number().min(0).max(100),
    reasons: z.array(z.string()),
  }),
});
export type Classification = z.infer<typeof classificationSchema>;

export const classifiedMessageSchema = z.object({
  message: inboundMessageSchema,
  classification: classificationSchema,
});
export type ClassifiedMessage = z.infer<typeof classifiedMessageSchema>;



