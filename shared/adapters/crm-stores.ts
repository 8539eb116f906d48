import type { RoutedMessageLog } from '../analytics/routing-counts';
import type { MessageStore } from '../channels/message-store';
import type { LabelStore } from '../classify/label-store';
import type { CustomerStore } from '../customers/customer-store';
import type { PendingStore } from '../pipeline/pending-store';
import type { RoutingStore } from '../routing/routing-store';
import type { TicketStore } from '../tickets/ticket-store';
import type { CrmAdapterOptions } from './crm-table';
import { createDocumentClient } from './dynamo-client';
import { DynamoCustomerStore } from './dynamo-customer-store';
import { DynamoLabelStore } from './dynamo-label-store';
import { DynamoMessageStore } from './dynamo-message-store';
import { DynamoTicketStore } from './dynamo-ticket-store';

/** Every port the crm table's aggregates serve. */
export type CrmStores = MessageStore & PendingStore & RoutedMessageLog & RoutingStore & TicketStore & CustomerStore & LabelStore;

/**
 * The crm table's aggregate adapters (messages, tickets, customers, labels) over one client, as one
 * object for callers that span aggregates (routing; tests). Each method stays its adapter's: bound,
 * never re-implemented, and no two adapters may serve the same one.
 */
export function crmStores(opts: CrmAdapterOptions): CrmStores {
  const o = { ...opts, client: opts.client ?? createDocumentClient() };
  return combine(new DynamoMessageStore(o), new DynamoTicketStore(o), new DynamoCustomerStore(o), new DynamoLabelStore(o)) as unknown as CrmStores;
}

function combine(...parts: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(part))) {
      const member = (part as Record<string, unknown>)[name];
      if (name === 'constructor' || typeof member !== 'function') continue;
      if (name in out) throw new Error(`Two crm adapters serve ${name}`);
      out[name] = member.bind(part);
    }
  }
  return out;
}
