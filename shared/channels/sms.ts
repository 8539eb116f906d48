/**
 * SMS normaliser: the JSON that AWS End User Messaging publishes to the inbound
 * SMS topic for each two-way SMS, into the channel-neutral `InboundMessage`.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import * as z from 'zod';
import { messageIdFor } from '../domain/ids';
import { inboundMessageSchema, type InboundMessage } from '../domain/message';

/** Longest text kept; concatenated SMS top out near 1,600 characters, so this only stops abuse. */
export const MAX_SMS_TEXT = 5_000;

/**
 * One inbound SMS as End User Messaging publishes it. Unknown fields (the
 * service adds some over time) are ignored rather than refused.
 */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().trim().min(3).max(64),
  destinationNumber: z.string().trim().min(3).max(64),
  messageBody: z.string(),
  inboundMessageId: z.string().trim().min(1).max(256),
  messageKeyword: z.string().optional(),
  previousPublishedMessageId: z.string().optional(),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

/**
 * A number in E.164, or undefined when it is not a phone number. End User
 * Messaging sends E.164 already; a number without `+` is read in
 * `defaultCountry` (our receiving number's country) or refused, never guessed.
 *
 * Uses libphonenumber-js's `min` metadata: validity by country and length, not
 * the full per-range patterns. A carrier delivered this SMS, so the number is
 * real; the stricter check would only refuse ranges newer than the metadata.
 */
export function toE164(number: string, defaultCountry?: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(number.trim(), defaultCountry ? { defaultCountry } : undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

/** The outcome of normalising: a message to accept, or why this payload must not become one. */
export type ParsedSms = { kind: 'message'; message: InboundMessage } | { kind: 'skip'; reason: string };

/** Normalises a validated payload; the conversation (thread) is the sender's number. */
export function normaliseSms(sms: InboundSms, receivedAt: Date): ParsedSms {
  const to = toE164(sms.destinationNumber);
  const country = to ? parsePhoneNumberFromString(to)?.country : undefined;
  const from = toE164(sms.originationNumber, country);
  if (!from) return { kind: 'skip', reason: `sender ${sms.originationNumber} is not a valid phone number` };
  const text = sms.messageBody.trim();
  if (!text) return { kind: 'skip', reason: 'empty message body' };
  if (Number.isNaN(receivedAt.getTime())) return { kind: 'skip', reason: 'invalid receipt time' };
  const candidate = {
    messageId: messageIdFor('sms', sms.inboundMessageId),
    channel: 'sms',
    providerMessageId: sms.inboundMessageId,
    from,
    alsoKnownAs: [],
    // A short code or sender id is kept as given: it still names the number the customer wrote to.
    to: to ?? sms.destinationNumber,
    text: text.length > MAX_SMS_TEXT ? `${text.slice(0, MAX_SMS_TEXT)} […]` : text,
    attachments: [],
    threadKey: from,
    receivedAt: receivedAt.toISOString(),
  };
  const checked = inboundMessageSchema.safeParse(candidate);
  if (!checked.success) return { kind: 'skip', reason: `invalid message: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  return { kind: 'message', message: checked.data };
}

/**
 * Parses one SNS record's `Message` (a JSON string) and normalises it. Every
 * failure here is permanent, so it is a skip reason, never an exception.
 */
export function parseSnsSms(message: string, receivedAt: Date): ParsedSms {
  let payload: unknown;
  try {
    payload = JSON.parse(message);
  } catch {
    return { kind: 'skip', reason: 'SNS message is not JSON' };
  }
  const sms = inboundSmsSchema.safeParse(payload);
  if (!sms.success) {
    return { kind: 'skip', reason: `not an inbound SMS: ${sms.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}` };
  }
  return normaliseSms(sms.data, receivedAt);
}
