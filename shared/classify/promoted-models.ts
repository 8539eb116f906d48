/**
 * Reads the promoted support models from the model store: the pair is used only when both
 * pointers name the same version (the retrain job promotes the two together).
 */
import type { ModelStore, PromotionRecord } from './model-store';
import type { SupportModels } from './intent';
import { loadModel } from './text-model/model';

/** Names of the two models in the store. */
export const MODEL_NAMES = { category: 'support-category', intent: 'support-intent' } as const;

/**
 * The promoted pair with its category pointer record, or undefined when none is promoted
 * (or the two pointers disagree, e.g. mid-promotion). Store failures and malformed
 * artifacts throw: the caller decides whether the shipped pair may stand in.
 */
export async function readPromotedModels(store: ModelStore): Promise<{ models: SupportModels; record: PromotionRecord } | undefined> {
  const [catRecord, intRecord] = await Promise.all([store.getRecord(MODEL_NAMES.category), store.getRecord(MODEL_NAMES.intent)]);
  if (!catRecord || !intRecord || catRecord.version !== intRecord.version) return undefined;
  const [category, intent] = await Promise.all([store.getPromoted(MODEL_NAMES.category), store.getPromoted(MODEL_NAMES.intent)]);
  if (category === undefined || intent === undefined) return undefined;
  return { models: { category: loadModel(category), intent: loadModel(intent) }, record: catRecord };
}
