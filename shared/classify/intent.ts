/**
 * The shipped support classifier: category (11) and intent (27) models trained from Bitext
 * by `infra/train-default-model.ts`, bundled as static JSON and loaded once per container.
 * The retrain job (`shared/classify/retrain.ts`) may promote better ones; the classify
 * handler then hands them to `useModels` at cold start.
 */
import categoryJson from './models/support-category.json';
import intentJson from './models/support-intent.json';
import { loadModel, type TextModel } from './text-model/model';

export interface IntentResult {
  category: string;
  intent: string;
  /** The category model's calibrated probability of `category` (0..1). */
  confidence: number;
  /** True when the category model is below its threshold: route to human triage. */
  outOfScope: boolean;
}

/** Intent → category in the Bitext taxonomy; each intent has exactly one category. */
export const INTENT_CATEGORY: Readonly<Record<string, string>> = {
  create_account: 'ACCOUNT', delete_account: 'ACCOUNT', edit_account: 'ACCOUNT', recover_password: 'ACCOUNT',
  registration_problems: 'ACCOUNT', switch_account: 'ACCOUNT',
  check_cancellation_fee: 'CANCELLATION_FEE',
  contact_customer_service: 'CONTACT', contact_human_agent: 'CONTACT',
  delivery_options: 'DELIVERY', delivery_period: 'DELIVERY',
  complaint: 'FEEDBACK', review: 'FEEDBACK',
  check_invoice: 'INVOICE', get_invoice: 'INVOICE',
  newsletter_subscription: 'NEWSLETTER',
  cancel_order: 'ORDER', change_order: 'ORDER', place_order: 'ORDER', track_order: 'ORDER',
  check_payment_methods: 'PAYMENT', payment_issue: 'PAYMENT',
  check_refund_policy: 'REFUND', get_refund: 'REFUND', track_refund: 'REFUND',
  change_shipping_address: 'SHIPPING_ADDRESS', set_up_shipping_address: 'SHIPPING_ADDRESS',
};

/** A category model and an intent model over the Bitext taxonomy, decoded together. */
export interface SupportModels {
  category: TextModel;
  intent: TextModel;
}

let shippedCache: SupportModels | undefined;
let active: SupportModels | undefined;

/** The shipped models, decoded on first use and kept for the container's life. */
export function shippedModels(): SupportModels {
  shippedCache ??= { category: loadModel(categoryJson), intent: loadModel(intentJson) };
  return shippedCache;
}

/**
 * Makes `classifyIntent` use these models (the retrained, promoted ones) for the rest of
 * the container's life; `undefined` goes back to the shipped ones. Called once at cold
 * start by the classify handler after reading the models bucket.
 */
export function useModels(models: SupportModels | undefined): void {
  active = models;
}

/**
 * Category and intent of a text under a pair of models. The two models are decoded
 * jointly so they never disagree: the intent maximising P(intent) × P(its category) wins
 * and gives the category.
 */
export function decodeIntent(models: SupportModels, text: string): IntentResult {
  const { category, intent } = models;
  const pc = category.probabilities(text);
  const pi = intent.probabilities(text);
  const catIndex = new Map(category.labels.map((l, i) => [l, i]));
  let best = 0;
  let bestScore = -1;
  let bestCat = 0;
  intent.labels.forEach((label, i) => {
    const c = catIndex.get(INTENT_CATEGORY[label] ?? '') ?? -1;
    const score = pi[i]! * (c >= 0 ? pc[c]! : 0);
    if (score > bestScore) [best, bestScore, bestCat] = [i, score, c];
  });
  const confidence = bestCat >= 0 ? pc[bestCat]! : 0;
  return {
    category: category.labels[bestCat] ?? 'UNKNOWN',
    intent: intent.labels[best]!,
    confidence,
    outOfScope: confidence < category.artifact.threshold,
  };
}

/** Classifies a customer message into a support category and intent (promoted models if set, else the shipped ones). */
export function classifyIntent(text: string): IntentResult {
  return decodeIntent(active ?? shippedModels(), text);
}
