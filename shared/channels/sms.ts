import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import * as z from 'zod';
import { messageIdFor } from '../domain/ids';
import type { InboundMessage } from '../domain/message';

/** What AWS End User Messaging publishes to the SNS topic for an inbound SMS. */
export const inboundSmsSchema = z.object({
  originationNumber: z.string().min(3),
  destinationNumber: z.string().min(3),
  messageBody: z.string(),
  inboundMessageId: z.string().min(1),
  messageKeyword: z.string().optional(),
  previousPublishedMessageId: z.string().optional(),
});
export type InboundSms = z.infer<typeof inboundSmsSchema>;

/** A number in E.164, or undefined when it is not a valid phone number. */
export function toE164(number: string): string | undefined {
  // End User Messaging sends E.164 already; without a leading + the country is unknown, so no guessing.
  const parsed = parsePhoneNumberFromString(number.trim());
  return parsed?.isValid() ? parsed.number : undefined;
}

export type ParsedSms = { kind: 'message'; message: InboundMessage } | { kind: 'skip'; reason: string };

/** Normalises an inbound SMS; the thread is the sender's number. */
export function normaliseSms(sms: InboundSms, receivedAt: Date): ParsedSms {
  const from = toE164(sms.originationNumber);
  if (!from) return { kind: 'skip', reason: `sender ${sms.originationNumber} is not a valid number` };
  const to = toE164(sms.destinationNumber) ?? sms.destinationNumber;
  const text = sms.messageBody.trim();
  if (!text) return { kind: 'skip', reason: 'empty message body' };
  return {
    kind: 'message',
    message: {
      messageId: messageIdFor('sms', sms.inboundMessageId),
      channel: 'sms',
      providerMessageId: sms.inboundMessageId,
      from,
      alsoKnownAs: [],
      to,
      text,
      attachments: [],
      threadKey: from,
      receivedAt: receivedAt.toISOString(),
    },
  };
}
