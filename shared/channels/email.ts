/**
 * Email normaliser: raw MIME (as the SES receipt rule stored it) into the
 * channel-neutral `InboundMessage`. The message carries text only: the raw MIME,
 * html and attachment bodies included, stays in the raw-mail bucket.
 */
import { createHash } from 'node:crypto';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { messageIdFor } from '../domain/ids';
import { inboundMessageSchema, type InboundMessage } from '../domain/message';
import { htmlToText } from './email-html';
import { stripQuotedReply } from './email-quotes';

/**
 * Longest text kept, marker included. The message travels on SQS (256 KB) and
 * lives in one DynamoDB item (400 KB) with its classification; 32,000 characters
 * are at most ~128 KB of UTF-8, leaving room for both.
 */
export const MAX_EMAIL_TEXT = 32_000;
/** Appended to cut text so agents know there is more in the raw mail. */
export const TRUNCATION_MARKER = '\n\n[… message truncated: the full mail is kept as raw MIME]';
/** Attachment entries kept: metadata only, but a pathological mail must not bloat the item. */
export const MAX_ATTACHMENTS = 50;

/** The outcome of parsing: a message to accept, or why this mail must not become one. */
export type ParsedEmail = { kind: 'message'; message: InboundMessage } | { kind: 'skip'; reason: string };

export interface ParseEmailOptions {
  /** SES `mail.messageId`: the provider id when the mail has no Message-ID header. */
  sesMessageId: string;
  /** When SES received the mail (`mail.timestamp`). */
  receivedAt: Date | string;
  /** SES `receipt.recipients`: our addresses this mail was delivered to; the first becomes `to`. */
  recipients?: readonly string[];
}

const header = (email: Email, key: string): string | undefined => email.headers.find((h) => h.key === key)?.value;

/**
 * Ids longer than this are replaced by a digest. The thread key is part of a
 * DynamoDB index key (2,048 bytes at most) and the id of a hostile mail can be
 * any length: a write DynamoDB refuses would be retried as if it were an outage.
 */
export const MAX_ID_LENGTH = 512;
/** A long id's stand-in; the same id always gives the same digest, so threading still works. */
const boundedId = (id: string): string =>
  id.length <= MAX_ID_LENGTH ? id : `<${createHash('sha256').update(id).digest('hex')}@long-id.invalid>`;

/** Longest mailbox RFC 5321 allows; the sender's address is an identity key as well. */
const MAX_ADDRESS_LENGTH = 254;

/** Message ids (`<local@domain>`) in a header value, in order. */
const messageIds = (value: string | undefined): string[] => (value?.match(/<[^<>\s]+>/g) ?? []).map(boundedId);

/** A Message-ID as `<id>`: clients disagree on brackets, the thread key must not. */
function normaliseMessageId(value: string | undefined): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  const bracketed = messageIds(raw)[0];
  if (bracketed) return bracketed;
  const bare = raw.replace(/[<>\s]/g, '');
  return bare ? boundedId(`<${bare}>`) : undefined;
}

const mailbox = (address: Address | undefined): { address: string; name: string } | undefined =>
  address && address.address ? { address: address.address, name: address.name } : undefined;

const addresses = (list: Address[] | undefined): string[] =>
  (list ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : a.address ? [a.address] : []));

/**
 * Why a mail must not open or update a ticket because a machine wrote it. An
 * auto-reply answered by our own acknowledgement (and answered back) is a mail
 * loop; a bounce is a report about a mail, not a customer speaking.
 */
export function automatedReason(email: Email, ownAddresses: readonly string[] = []): string | undefined {
  // RFC 3834: anything but "no" (auto-replied, auto-generated, auto-notified) is machine-written.
  const autoSubmitted = header(email, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `auto-submitted: ${autoSubmitted}`;
  if (header(email, 'x-autoreply') || header(email, 'x-autorespond')) return 'auto-reply header';
  if (header(email, 'precedence')?.trim().toLowerCase() === 'auto_reply') return 'precedence: auto_reply';
  const from = mailbox(email.from)?.address.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return `bounce from ${from}`;
  const contentType = header(email, 'content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report') && /report-type="?(delivery-status|disposition-notification)/.test(contentType)) {
    return 'delivery or read report';
  }
  if (header(email, 'x-failed-recipients')) return 'bounce (X-Failed-Recipients)';
  // Our own outbound mail coming back (copied to the support address) would thread onto itself forever.
  if (from && ownAddresses.some((a) => a.toLowerCase() === from)) return 'sent from one of our own addresses';
  return undefined;
}

/** Caps text at `max` characters, marker included, without splitting a surrogate pair. */
export function capText(text: string, max = MAX_EMAIL_TEXT): string {
  if (text.length <= max) return text;
  let end = max - TRUNCATION_MARKER.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + TRUNCATION_MARKER;
}

/** Characters of windows-1252 at 0x80–0x9F (undefined slots stay as they are). */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Maps C1 control characters to what windows-1252 puts there. Mail labelled
 * ISO-8859-1 is very often windows-1252 (curly quotes, dashes, €), and some
 * decoders (Node's TextDecoder among them, in some versions) decode
 * windows-1252 as Latin-1, leaving invisible C1 controls where those were.
 * Real text never contains C1 controls, so the repair cannot damage any.
 */
export const repairWindows1252 = (text: string): string =>
  text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);

/** The customer's new text: text/plain, or the html converted when there is no plain part; quotes stripped, capped. */
function bodyText(email: Email): string {
  // postal-mime fills `text` whenever any text/plain part exists, so its absence means html-only mail.
  const body = email.text ?? (email.html ? htmlToText(email.html) : '');
  return capText(stripQuotedReply(repairWindows1252(body)));
}

function attachmentsOf(email: Email): InboundMessage['attachments'] {
  return (
    email.attachments
      // Unnamed inline parts are signature logos and spacer images, not something the customer sent.
      .filter((a) => a.filename || a.disposition !== 'inline')
      .slice(0, MAX_ATTACHMENTS)
      .map((a) => ({
        filename: (a.filename ?? 'unnamed').slice(0, 255),
        contentType: a.mimeType,
        size: typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength,
      }))
  );
}

/**
 * Parses raw MIME into an `InboundMessage`, or a skip reason for mail that must
 * not become one (auto-replies, bounces, no sender, unparseable). Never throws
 * for a bad mail: every failure here is permanent, so retrying cannot help.
 *
 * Threading: `threadKey` is the root Message-ID of the conversation: the first
 * id in References (RFC 5322 keeps the root first), else In-Reply-To, else the
 * mail's own Message-ID, so a new mail starts a thread its replies will join.
 */
export async function parseEmail(raw: Uint8Array | string, opts: ParseEmailOptions): Promise<ParsedEmail> {
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  } catch (err) {
    return { kind: 'skip', reason: `unparseable MIME: ${err instanceof Error ? err.message : String(err)}` };
  }
  const recipients = (opts.recipients ?? []).map((r) => r.toLowerCase());
  const automated = automatedReason(email, recipients);
  if (automated) return { kind: 'skip', reason: automated };
  const from = mailbox(email.from);
  if (!from) return { kind: 'skip', reason: 'no sender address' };
  if (from.address.length > MAX_ADDRESS_LENGTH) return { kind: 'skip', reason: 'sender address longer than 254 characters' };
  const receivedAt = new Date(opts.receivedAt);
  if (Number.isNaN(receivedAt.getTime())) return { kind: 'skip', reason: `invalid receipt time ${String(opts.receivedAt)}` };

  const ownId = normaliseMessageId(email.messageId);
  const providerMessageId = ownId ?? opts.sesMessageId;
  const threadKey = messageIds(email.references)[0] ?? messageIds(email.inReplyTo)[0] ?? providerMessageId;
  const to = recipients[0] ?? addresses(email.to)[0]?.toLowerCase();
  const fromName = repairWindows1252(from.name).trim().slice(0, 200);
  const subject = email.subject && repairWindows1252(email.subject).trim().slice(0, 998); // RFC 5322's line limit

  const candidate = {
    messageId: messageIdFor('email', providerMessageId),
    channel: 'email',
    providerMessageId,
    from: from.address.toLowerCase(),
    ...(fromName ? { fromName } : {}),
    alsoKnownAs: [],
    ...(to ? { to } : {}),
    ...(subject ? { subject } : {}),
    text: bodyText(email),
    attachments: attachmentsOf(email),
    threadKey,
    receivedAt: receivedAt.toISOString(),
  };
  const checked = inboundMessageSchema.safeParse(candidate);
  if (!checked.success) {
    return { kind: 'skip', reason: `invalid message: ${checked.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  }
  return { kind: 'message', message: checked.data };
}
