import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DependencyError } from '../domain/errors';
import type { EmailSender, OutboundEmail } from '../outbound/senders';
import { sendFailure } from './provider-errors';

/** SES refusals no retry can fix: the reply is marked failed with SES's own message. */
const REFUSALS = new Set(['BadRequestException', 'MessageRejected', 'MailFromDomainNotVerifiedException', 'NotFoundException', 'AccountSuspendedException']);

/** Sends replies with SES v2 `SendEmail` (simple content: SES builds the MIME, our headers thread it). */
export class SesEmailSender implements EmailSender {
  private readonly client: SESv2Client;
  private readonly configurationSet: string | undefined;
  constructor(opts: { client?: SESv2Client; configurationSetName?: string } = {}) {
    this.client = opts.client ?? new SESv2Client({});
    this.configurationSet = opts.configurationSetName;
  }

  async sendEmail(mail: OutboundEmail): Promise<{ providerMessageId: string }> {
    try {
      const out = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: mail.text, Charset: 'UTF-8' } },
              ...(mail.headers.length ? { Headers: mail.headers.map((h) => ({ Name: h.name, Value: h.value })) } : {}),
            },
          },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      );
      if (!out.MessageId) throw new DependencyError('SES accepted the mail but returned no MessageId');
      return { providerMessageId: out.MessageId };
    } catch (err) {
      return sendFailure(err, REFUSALS, { refused: 'SES refused the mail', failed: 'SES failed to send the mail' });
    }
  }
}
