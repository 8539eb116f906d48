/**
 * Local stand-in for SES inbound: a real SMTP server. Each accepted mail is
 * stored in the raw-mail bucket under `RAW_MAIL_PREFIX + <SES-style id>` (the
 * receipt rule's S3 action), then the email function is invoked with an
 * SES-shaped event (the Lambda action: asynchronous, retried twice on failure
 * as Lambda does for async invocations, with shorter delays).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import PostalMime, { type Address } from 'postal-mime';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { RAW_MAIL_PREFIX } from '../topology';

export interface SmtpIngestOptions {
  /** Interface to listen on; loopback by default (there is no authentication). */
  host?: string;
  /** 0 picks a free port; the chosen one is returned. */
  port: number;
  /** Client of the (local) S3 holding the raw-mail bucket. */
  s3Client: S3Client;
  bucket: string;
  /** Invokes the email function(s) with the SES event; a rejection counts as a failed attempt. */
  invoke: (event: SESEvent) => Promise<unknown>;
  /** Larger mail is refused with SMTP 552. SES accepts up to 40 MB; locally 10 MB is plenty. */
  maxBytes?: number;
  /** Delays between invocation attempts; Lambda waits 1 and 2 minutes, locally seconds do. */
  retryDelaysMs?: readonly number[];
  log?: (line: string) => void;
  logError?: (message: string, err: unknown) => void;
}

/** A running ingest server. */
export interface SmtpIngest {
  port: number;
  /** Stops accepting mail and waits for invocations in flight. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:switchboard-email';

/** SES message ids are 40 lowercase letters and digits; hex is a subset. */
export const sesMessageId = (): string => randomBytes(20).toString('hex');

/** SES writes common-header addresses as they appear in the header: `Name <address>` or `address`. */
const addressList = (list: Address[] | undefined): string[] =>
  (list ?? [])
    .flatMap((a) => (a.group ? a.group : a.address ? [a] : []))
    .map((m) => (m.name ? `${m.name} <${m.address}>` : m.address));

/**
 * The event SES gives a Lambda action: headers, common headers and verdicts,
 * never the body (the function reads that from S3, as in AWS).
 */
export async function sesEventFor(
  raw: Buffer,
  opts: { messageId: string; mailFrom: string; recipients: string[]; at: Date },
): Promise<SESEvent> {
  // Headers only: the body is not needed, and a broken body must not stop delivery.
  const ends = [raw.indexOf('\r\n\r\n'), raw.indexOf('\n\n')].filter((i) => i >= 0);
  const parsed = await PostalMime.parse(ends.length ? raw.subarray(0, Math.min(...ends) + 4) : raw);
  const pass = { status: 'PASS' } as const;
  const from = parsed.from ? addressList([parsed.from]) : [];
  const optional = (name: 'cc' | 'replyTo', list: Address[] | undefined) => (list?.length ? { [name]: addressList(list) } : {});
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: opts.at.toISOString(),
            source: opts.mailFrom,
            messageId: opts.messageId,
            destination: opts.recipients,
            headersTruncated: false,
            headers: parsed.headers.map((h) => ({ name: h.originalKey, value: h.value })),
            commonHeaders: {
              returnPath: opts.mailFrom,
              from,
              to: addressList(parsed.to),
              ...optional('cc', parsed.cc),
              ...optional('replyTo', parsed.replyTo),
              date: parsed.date ?? opts.at.toUTCString(),
              messageId: parsed.messageId ?? '',
              ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
            },
          },
          receipt: {
            timestamp: opts.at.toISOString(),
            processingTimeMillis: 0,
            recipients: opts.recipients,
            spamVerdict: pass,
            virusVerdict: pass,
            spfVerdict: pass,
            dkimVerdict: pass,
            dmarcVerdict: pass,
            action: { type: 'Lambda', functionArn: FUNCTION_ARN, invocationType: 'Event' },
          },
        },
      },
    ],
  };
}

/** An error smtp-server sends to the client with the given reply code. */
const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Reads the DATA stream, keeping at most `maxBytes` (the rest is drained, then refused). */
function readMessage(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(size > maxBytes || stream.sizeExceeded ? undefined : Buffer.concat(chunks)));
  });
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * Starts the SMTP server and resolves once it listens. The SMTP reply is 250
 * once the raw mail is stored (as SES answers after its S3 action), 451 when
 * storing fails, 552 above `maxBytes`; the invocation then runs in the background.
 */
export async function startSmtpIngest(opts: SmtpIngestOptions): Promise<SmtpIngest> {
  const s3 = opts.s3Client;
  const host = opts.host ?? '127.0.0.1';
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const delays = opts.retryDelaysMs ?? [1000, 2000];
  const log = opts.log ?? (() => undefined);
  const logError = opts.logError ?? ((m: string, e: unknown) => console.error(m, e));
  const pending = new Set<Promise<void>>();
  if (!isLoopback(host)) log(`SMTP ingest on ${host} has no authentication: anyone who can reach it can inject mail`);

  const deliver = async (event: SESEvent, id: string) => {
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      try {
        await opts.invoke(event);
        return;
      } catch (err) {
        logError(`email function failed for ${id} (attempt ${attempt + 1} of ${delays.length + 1})`, err);
        const delay = delays[attempt];
        if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
      }
    }
  };

  const accept = async (raw: Buffer, mailFrom: string, recipients: string[]): Promise<string> => {
    const id = sesMessageId();
    const key = RAW_MAIL_PREFIX + id;
    try {
      await s3.send(new PutObjectCommand({ Bucket: opts.bucket, Key: key, Body: raw, ContentType: 'message/rfc822' }));
    } catch (err) {
      logError(`could not store the mail at s3://${opts.bucket}/${key}`, err);
      throw smtpError(451, 'Temporary failure storing the message, try again later');
    }
    log(`SMTP ${mailFrom || '<>'} -> ${recipients.join(', ')} stored as ${key} (${raw.length} bytes)`);
    const job = sesEventFor(raw, { messageId: id, mailFrom, recipients, at: new Date() })
      .then((event) => deliver(event, id))
      .catch((err: unknown) => logError(`could not build the SES event for ${id}`, err))
      .finally(() => pending.delete(job));
    pending.add(job);
    return id;
  };

  const server = new SMTPServer({
    // Loopback only by default, like a dev mail catcher: no AUTH, no TLS.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    banner: 'Switchboard local SES inbound',
    logger: false,
    onData(stream, session, callback) {
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      readMessage(stream, maxBytes)
        .then((raw) => {
          if (!raw) throw smtpError(552, `Message exceeds the ${maxBytes}-byte limit`);
          return accept(raw, mailFrom, recipients);
        })
        .then(
          (id) => callback(null, `Ok: queued as ${id}`),
          (err: Error) => callback(err),
        );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logError('SMTP server error', err));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
}
