import type { Page } from '../lib/page';

/** An agent's correction of a ticket's category or intent: the retraining job's labelled example. */
export interface LabelledExample {
  ticketId: string;
  /** The text the classifier saw: the ticket's first customer message. */
  text: string;
  category: string;
  intent?: string;
  previousCategory?: string;
  previousIntent?: string;
  correctedBy: string;
  correctedAt: string;
}

/** Agents' corrections, for retraining (adapter: the crm table's label items). */
export interface LabelStore {
  /** Agents' category corrections, oldest first. */
  listLabelledExamples(opts: { limit: number; cursor?: string }): Promise<Page<LabelledExample>>;
}
