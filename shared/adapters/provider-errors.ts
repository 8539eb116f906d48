import { DependencyError } from '../domain/errors';
import { DeliveryRejectedError } from '../outbound/senders';

/**
 * Sorts a provider's send error: a refusal no retry can fix (its SDK error name is in
 * `refusals`) becomes DeliveryRejectedError with the provider's own message; anything else a
 * retryable DependencyError.
 */
export function sendFailure(err: unknown, refusals: ReadonlySet<string>, text: { refused: string; failed: string }): never {
  if (err instanceof Error && refusals.has(err.name)) throw new DeliveryRejectedError(`${text.refused}: ${err.message}`, { cause: err });
  if (err instanceof DependencyError) throw err;
  throw new DependencyError(text.failed, { cause: err });
}
