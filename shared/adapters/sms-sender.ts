import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { DependencyError } from '../domain/errors';
import type { OutboundSms, SmsSender } from '../outbound/senders';
import { sendFailure } from './provider-errors';

/**
 * Refusals no retry can fix: a bad number, an unknown origination identity, a destination
 * that opted out (ConflictException). AccessDenied is not one: a permissions mistake is the
 * operator's to fix, and the replies wait in the DLQ meanwhile instead of failing.
 */
const REFUSALS = new Set(['ValidationException', 'ResourceNotFoundException', 'ConflictException']);

/** Sends replies with AWS End User Messaging SMS (`pinpoint-sms-voice-v2` SendTextMessage). */
export class EndUserMessagingSmsSender implements SmsSender {
  private readonly client: PinpointSMSVoiceV2Client;
  constructor(opts: { client?: PinpointSMSVoiceV2Client } = {}) {
    this.client = opts.client ?? new PinpointSMSVoiceV2Client({});
  }

  async sendSms(sms: OutboundSms): Promise<{ providerMessageId: string }> {
    try {
      const out = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: sms.to,
          MessageBody: sms.text,
          // A reply to a customer's own message: transactional, not marketing.
          MessageType: 'TRANSACTIONAL',
          ...(sms.from ? { OriginationIdentity: sms.from } : {}),
        }),
      );
      if (!out.MessageId) throw new DependencyError('SMS send returned no MessageId');
      return { providerMessageId: out.MessageId };
    } catch (err) {
      return sendFailure(err, REFUSALS, { refused: 'The SMS was refused', failed: 'The SMS service failed to send' });
    }
  }
}
