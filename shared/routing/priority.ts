import type { Classification } from '../domain/message';
import type { Priority } from '../domain/ticket';

/** Extra weight of a negative message on top of its urgency: unhappy customers churn. */
const NEGATIVE_BONUS = 10;

/**
 * A message's priority: its urgency, raised when the customer is unhappy.
 * Customer value, SLA due time and waiting time join this score in later issues.
 */
export function messagePriority(c: Classification): Priority {
  const reasons = [...c.urgency.reasons];
  let score = c.urgency.score;
  if (c.sentiment.label === 'negative') {
    score += NEGATIVE_BONUS;
    reasons.push(`negative sentiment raises priority by ${NEGATIVE_BONUS}`);
  }
  return { score: Math.min(100, Math.round(score)), reasons };
}

/** A ticket is as urgent as its most urgent message so far. */
export function mergePriority(current: Priority, incoming: Priority): Priority {
  return incoming.score > current.score ? incoming : current;
}
