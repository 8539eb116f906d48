import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DependencyError, SwitchboardError } from '../domain/errors';

/** Which items of a cancelled transaction failed their condition (by index). */
export function failedConditions(err: unknown): number[] | undefined {
  if (!(err instanceof TransactionCanceledException)) return undefined;
  const reasons = err.CancellationReasons ?? [];
  const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
  // Any other reason (conflict with a concurrent transaction, throttling) is retryable, not a condition.
  return reasons.every((r) => r.Code === 'None' || r.Code === 'ConditionalCheckFailed') ? failed : undefined;
}

export const isConditionFailure = (err: unknown): boolean => err instanceof ConditionalCheckFailedException;

/** Typed errors pass through; SDK errors become a retryable DependencyError. */
export function translate(err: unknown, what: string): never {
  if (err instanceof SwitchboardError) throw err;
  throw new DependencyError(`DynamoDB failed to ${what}`, { cause: err });
}
