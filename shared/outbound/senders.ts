
/** What the outbound side needs from providers (adapters: SES v2, End User Messaging SMS). */

export interface OutboundEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  headers: Array<{ name: string; value: string }>;
}

export interface OutboundSms {
  /** Origination identity (our number or pool); the account's default when absent. */
  from?: string;
  to: string;
  text: string;
}

export interface EmailSender {
  sendEmail(mail: OutboundEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsSender {
  sendSms(sms: OutboundSms): Promise<{ providerMessageId: string }>;
}

/**
 * The provider refused the message for a reason no retry can fix (bad address, unverified
 * sender, opted-out number): the reply is marked failed instead of retried.
 */
export class DeliveryRejectedError extends Error {
  override readonly name = 'DeliveryRejectedError';
}
