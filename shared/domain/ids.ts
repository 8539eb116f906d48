import { createHash, randomUUID } from 'node:crypto';
import type { Channel } from './message';

const digest = (input: string, length: number): string =>
  createHash('sha256').update(input, 'utf8').digest('hex').slice(0, length);

/**
 * A message's id is derived from its channel and the provider's id, so a
 * provider delivering the same message twice lands on the same item.
 */
export const messageIdFor = (channel: Channel, providerMessageId: string): string =>
  `msg_${digest(`${channel}\n${providerMessageId}`, 32)}`;

/** Random ids for entities with no natural key. */
export const newCustomerId = (): string => `cus_${randomUUID().replaceAll('-', '')}`;
export const newTicketId = (): string => `tkt_${randomUUID().replaceAll('-', '')}`;
