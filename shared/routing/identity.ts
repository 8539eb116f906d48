import { newCustomerId } from '../domain/ids';
import type { Channel, InboundMessage } from '../domain/message';
import type { CustomerStore } from '../customers/customer-store';

type Identity = { channel: Channel; address: string };

/** When identities point at different customers, the strongest wins (email is the most durable). */
const STRENGTH: Record<Channel, number> = { email: 5, sms: 4, voice: 3, social: 2, chat: 1 };

const key = (i: Identity) => `${i.channel}#${i.address}`;

function strongestOwner(identities: Identity[], owners: Map<string, string>): string | undefined {
  const known = identities.filter((i) => owners.has(key(i)));
  known.sort((a, b) => STRENGTH[b.channel] - STRENGTH[a.channel]);
  return known[0] ? owners.get(key(known[0])) : undefined;
}

/**
 * Finds the customer behind a message's identities, creating one if none is known,
 * and links identities seen for the first time. Merging two existing customers is
 * out of scope: a message whose identities belong to two customers goes to the
 * owner of the strongest identity, and the other link is left as it was.
 */
export async function resolveCustomer(store: Pick<CustomerStore, 'findIdentities' | 'linkIdentities'>, message: InboundMessage, now: Date): Promise<{ customerId: string; created: boolean }> {
  const identities: Identity[] = [{ channel: message.channel, address: message.from }, ...message.alsoKnownAs];
  const email = identities.find((i) => i.channel === 'email')?.address;
  // Two tries: a concurrent writer may create the same customer between our read and write.
  for (let attempt = 0; attempt < 3; attempt++) {
    // A first look eventually consistent: the link below is conditional, and a retry reads consistently.
    const owners = await store.findIdentities(identities, { consistent: attempt > 0 });
    const existing = strongestOwner(identities, owners);
    const missing = identities.filter((i) => !owners.has(key(i)));
    if (missing.length === 0 && existing) return { customerId: existing, created: false };
    const customerId = existing ?? newCustomerId();
    const firstContact = existing ? {} : { firstContact: { messageId: message.messageId, channel: message.channel, at: message.receivedAt } };
    const taken = await store.linkIdentities(
      { customerId, ...(message.fromName ? { name: message.fromName } : {}), ...(email ? { email } : {}), ...firstContact },
      missing,
      now,
      { newCustomer: !existing },
    );
    if (taken.size === 0) return { customerId, created: !existing };
  }
  throw new Error(`Could not resolve the customer of message ${message.messageId}: identities kept changing`);
}
