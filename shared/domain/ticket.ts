import type { Channel, Classification } from './message';

export const TICKET_STATUSES = ['open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface Priority {
  /** 0 (can wait) .. 100 (drop everything). */
  score: number;
  /** Why, in words an agent can read. */
  reasons: string[];
}

export interface Ticket {
  ticketId: string;
  customerId: string;
  channel: Channel;
  threadKey: string;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  language: string;
  sentiment: Classification['sentiment']['label'];
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string;
  lastMessagePreview: string;
  /** Support category and intent: from the classifier, or as an agent corrected them. */
  category?: string;
  intent?: string;
  /** Seed 004's ticket type, derived from category and intent. */
  ticketType?: 'inquiry' | 'complaint' | 'feedback';
  /** Team the ticket is routed to (`triage` when the classifier was not confident). */
  team?: string;
  /** Agent the ticket is assigned to (an API key id or agent id). */
  assignee?: string;
  /** When the ticket was last solved (cleared when it is reopened). */
  resolvedAt?: string;
}

export interface StoredMessage {
  messageId: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  from: string;
  fromName?: string;
  subject?: string;
  text: string;
  threadKey: string;
  receivedAt: string;
  status: 'received' | 'routed';
  routedAt?: string;
  ticketId?: string;
  customerId?: string;
  classification?: Classification;
}

export interface Customer {
  customerId: string;
  name?: string;
  email?: string;
  identities: Array<{ channel: Channel; address: string }>;
  createdAt: string;
  updatedAt: string;
}
