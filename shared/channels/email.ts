import PostalMime, { type Email } from 'postal-mime';
import { messageIdFor } from '../domain/ids';
import type { InboundMessage } from '../domain/message';
import { stripQuotedReply } from './email-quotes';

/** Longest text kept: the message travels on SQS (256 KB) and lives in one DynamoDB item (400 KB). */
export const MAX_EMAIL_TEXT = 32_000;
const TRUNCATED = '\n\n[… message truncated; the full mail is kept as raw MIME]';

export type ParsedEmail = { kind: 'message'; message: InboundMessage } | { kind: 'skip'; reason: string };

const header = (email: Email, key: string) => email.headers.find((h) => h.key === key.toLowerCase())?.value;
const ids = (value: string | undefined) => (value ?? '').match(/<[^<>\s]+>/g) ?? [];

/** HTML to readable text for html-only mail: block ends become newlines, tags and entities go. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Why a mail must not open a ticket: auto-replies and bounces would loop with our own replies. */
function automatedReason(email: Email): string | undefined {
  const auto = header(email, 'auto-submitted');
  if (auto && auto.toLowerCase() !== 'no') return `auto-submitted: ${auto}`;
  if (header(email, 'x-autoreply') || header(email, 'x-autorespond')) return 'auto-reply header';
  const from = email.from && 'address' in email.from ? (email.from.address ?? '') : '';
  if (/^(mailer-daemon|postmaster)@/i.test(from)) return `bounce from ${from}`;
  const precedence = header(email, 'precedence')?.toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'auto_reply') return `precedence: ${precedence}`;
  return undefined;
}

/**
 * Parses raw MIME into the channel-neutral message. `fallbackId` (the SES message id)
 * stands in for a missing Message-ID; `receivedAt` is when SES received it.
 */
export async function parseEmail(raw: Uint8Array | string, opts: { fallbackId: string; receivedAt: Date }): Promise<ParsedEmail> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const skip = automatedReason(email);
  if (skip) return { kind: 'skip', reason: skip };
  const from = email.from && 'address' in email.from ? email.from : undefined;
  if (!from?.address) return { kind: 'skip', reason: 'no sender address' };

  const ownId = email.messageId?.trim() || `<${opts.fallbackId}@ses>`;
  // The thread's root: first of References, else In-Reply-To, else this message.
  const threadKey = ids(email.references)[0] ?? ids(email.inReplyTo)[0] ?? ownId;
  let text = stripQuotedReply(email.text ?? (email.html ? htmlToText(email.html) : ''));
  if (text.length > MAX_EMAIL_TEXT) text = text.slice(0, MAX_EMAIL_TEXT) + TRUNCATED;
  const to = email.to?.flatMap((a) => ('address' in a && a.address ? [a.address.toLowerCase()] : []))[0];
  return {
    kind: 'message',
    message: {
      messageId: messageIdFor('email', ownId),
      channel: 'email',
      providerMessageId: ownId,
      from: from.address.toLowerCase(),
      ...(from.name ? { fromName: from.name } : {}),
      alsoKnownAs: [],
      ...(to ? { to } : {}),
      ...(email.subject ? { subject: email.subject } : {}),
      text,
      attachments: email.attachments
        .filter((a) => a.disposition !== 'inline' || a.filename)
        .map((a) => ({
          filename: a.filename ?? '(unnamed)',
          contentType: a.mimeType,
          size: typeof a.content === 'string' ? a.content.length : a.content.byteLength,
        })),
      threadKey,
      receivedAt: opts.receivedAt.toISOString(),
    },
  };
}
