import { describe, expect, it } from 'vitest';
import trainingJson from '../../../shared/classify/models/support-training.json';
import { classifyIntent, INTENT_CATEGORY, shippedModels, useModels, type SupportModels } from '../../../shared/classify/intent';
import { readPromotedModels } from '../../../shared/classify/promoted-models';
import { decide, isHeldOut, latestCorrections, MODEL_NAMES, pairScore, runRetrain, splitRows } from '../../../shared/classify/retrain';
import { loadModel, trainModel } from '../../../shared/classify/text-model';
import { decodeTrainingData, encodeTrainingData } from '../../../shared/classify/training-data';
import type { ModelStore, PairScore, PromotionRecord, RetrainDecision } from '../../../shared/classify/model-store';
import type { LabelledExample } from '../../../shared/classify/label-store';

/** The port over a Map (tests only). */
class MemoryModelStore implements ModelStore {
  readonly objects = new Map<string, unknown>();
  readonly promotions: string[] = [];
  readonly decisions: RetrainDecision[] = [];
  async getRecord(name: string) {
    return this.objects.get(`${name}/current`) as PromotionRecord | undefined;
  }
  async getPromoted(name: string) {
    const r = await this.getRecord(name);
    return r ? this.objects.get(r.key) : undefined;
  }
  async promote(name: string, artifact: unknown, record: Omit<PromotionRecord, 'key'>) {
    const key = `${name}/${record.version}`;
    this.objects.set(key, artifact);
    this.objects.set(`${name}/current`, { ...record, key });
    this.promotions.push(key);
  }
  async lastDecision() {
    return this.decisions.at(-1);
  }
  async recordDecision(d: RetrainDecision) {
    this.decisions.push(d);
  }
}

const rows = (intent: string, texts: string[]) => texts.map((text) => ({ text, intent, category: INTENT_CATEGORY[intent]! }));
const SHIPPED = [
  ...rows('track_order', ['where is my order', 'track my order please', 'I want to track my package', 'where is my parcel', 'order status please', 'has my order shipped']),
  ...rows('get_refund', ['I want my money back', 'refund me please', 'I need a refund', 'give me a refund for my purchase', 'money back please', 'request a refund']),
  ...rows('complaint', ['I want to complain', 'your service is terrible', 'I am filing a complaint', 'this is the worst service', 'complaint about an agent', 'I am very unhappy with you']),
];
const FIXED = new Date('2026-12-01T00:00:00Z');
const pairOf = (data: Array<{ text: string; intent?: string; category: string }>): SupportModels => ({
  category: loadModel(trainModel(data.map((r) => ({ text: r.text, label: r.category })), { trainedAt: FIXED })),
  intent: loadModel(trainModel(data.flatMap((r) => (r.intent ? [{ text: r.text, label: r.intent }] : [])), { trainedAt: FIXED })),
});
const shippedPair = pairOf(SHIPPED);
const shipped = { rows: SHIPPED, sha256: 'shipped-sha', models: shippedPair };
const opts = { now: new Date('2026-12-02T03:00:00Z'), shippedValidationFraction: 0.34, correctionValidationShare: 0.5 };

/** Ticket ids whose correction is taught (false) or held out (true) at share 0.5, seed 7. */
function ids(heldOut: boolean, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) if (isHeldOut(`t${i}`, 0.5, 7) === heldOut) out.push(`t${i}`);
  return out;
}
const correction = (ticketId: string, text: string, intent: string, minute: number): LabelledExample => ({
  ticketId, text, intent, category: INTENT_CATEGORY[intent]!, correctedBy: 'key_1', correctedAt: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`,
});
const [t0, t1, t2] = ids(false, 3) as [string, string, string];
const [h0, h1] = ids(true, 2) as [string, string];
const VOUCHER = [
  correction(t0, 'my voucher code is rejected', 'payment_issue', 1),
  correction(t1, 'the voucher does not work', 'payment_issue', 2),
  correction(t2, 'voucher code fails at checkout', 'payment_issue', 3),
  correction(h0, 'voucher code not working', 'payment_issue', 4),
  correction(h1, 'my voucher is rejected again', 'payment_issue', 5),
];

describe('decide', () => {
  const score = (category: number, intent: number, corrections: number): PairScore => ({
    rows: 10, categoryCorrect: category, categoryAccuracy: category / 10, intentRows: 10, intentCorrect: intent, intentAccuracy: intent / 10,
    correctionRows: 2, correctionsCorrect: corrections, correctionAccuracy: corrections / 2, rejected: 0,
  });
  it('promotes when better or equal on all three counts, keeps when one is worse', () => {
    expect(decide(score(9, 9, 2), score(9, 8, 0)).promote).toBe(true);
    expect(decide(score(9, 9, 1), score(9, 9, 1)).promote).toBe(true);
    expect(decide(score(8, 10, 2), score(9, 9, 0))).toMatchObject({ promote: false, reason: expect.stringContaining('category 8 < 9') });
    expect(decide(score(9, 8, 2), score(9, 9, 0)).promote).toBe(false);
    expect(decide(score(10, 10, 1), score(9, 9, 2))).toMatchObject({ promote: false, reason: expect.stringContaining('held-out corrections 1 < 2') });
  });
});

describe('splitRows', () => {
  it('lets the latest correction of a text override shipped rows and earlier corrections', () => {
    const older = correction('a', 'Where is my  ORDER', 'complaint', 1);
    const newer = correction('b', 'where is my order', 'get_refund', 2);
    expect(latestCorrections([newer, older])).toEqual([newer]);
    const { train, validation } = splitRows(SHIPPED, [older, newer], { shippedFraction: 0.34, correctionShare: 0, seed: 7 });
    const all = [...train, ...validation].filter((r) => r.text.toLowerCase().replace(/\s+/g, ' ') === 'where is my order');
    expect(all).toEqual([{ text: 'where is my order', category: 'REFUND', intent: 'get_refund', ticketId: 'b' }]);
    // 17 shipped rows left; 2 per intent sampled for validation (round(5 or 6 × 0.34) = 2) = 6,
    // still trained on (a regression check, like the shipped pair); the correction trains (share 0).
    expect(validation).toHaveLength(6);
    expect(train).toHaveLength(17 + 1);
  });

  it('holds out the same corrections in every run, whatever else arrives', () => {
    const a = splitRows(SHIPPED, VOUCHER.slice(0, 4), { shippedFraction: 0.34, correctionShare: 0.5, seed: 7 });
    const b = splitRows(SHIPPED, VOUCHER, { shippedFraction: 0.34, correctionShare: 0.5, seed: 7 });
    expect(a.validation.flatMap((r) => r.ticketId ?? [])).toEqual([h0]);
    expect(b.validation.flatMap((r) => r.ticketId ?? [])).toEqual([h0, h1]);
    expect(b.train.flatMap((r) => r.ticketId ?? [])).toEqual([t0, t1, t2]);
  });
});

describe('runRetrain', () => {
  it('skips with a reason and trains nothing when there are no corrections', async () => {
    const store = new MemoryModelStore();
    const d = await runRetrain(store, { shipped, corrections: [] }, opts);
    expect(d).toMatchObject({ outcome: 'skipped', reason: 'no corrections yet: the shipped models stay', corrections: 0 });
    expect(d.candidate).toBeUndefined();
    expect(store.promotions).toEqual([]);
    expect(store.decisions).toEqual([d]);
  });

  it('promotes a candidate that learnt the corrections, and then skips until new ones arrive', async () => {
    const store = new MemoryModelStore();
    const d = await runRetrain(store, { shipped, corrections: VOUCHER }, opts);
    expect(d.outcome).toBe('promoted');
    expect(d.currentSource).toBe('shipped');
    // Held out: h0 and h1. The shipped pair has no PAYMENT label, so it gets neither.
    expect(d.current).toMatchObject({ correctionRows: 2, correctionsCorrect: 0 });
    expect(d.candidate).toMatchObject({ correctionRows: 2, correctionsCorrect: 2, rows: 8, categoryCorrect: 8 });
    expect(d.version).toBe('20261202T030000Z-' + d.version!.slice(-8));
    expect(store.promotions).toEqual([`${MODEL_NAMES.intent}/${d.version}`, `${MODEL_NAMES.category}/${d.version}`]);
    const record = await store.getRecord(MODEL_NAMES.category);
    expect(record).toMatchObject({ examples: { shipped: 18, corrections: 5, trainedOn: 21, validation: 8, correctionsInValidation: 2 }, correctionsThrough: VOUCHER[4]!.correctedAt });

    const promoted = await readPromotedModels(store);
    expect(promoted?.record.version).toBe(d.version);
    useModels(promoted!.models);
    try {
      expect(classifyIntent('my voucher code is rejected')).toMatchObject({ category: 'PAYMENT', intent: 'payment_issue' });
    } finally {
      useModels(undefined);
    }
    expect(classifyIntent('my voucher code is rejected').category).not.toBe('PAYMENT');

    const again = await runRetrain(store, { shipped, corrections: VOUCHER }, { ...opts, now: new Date('2026-12-03T03:00:00Z') });
    expect(again).toMatchObject({ outcome: 'skipped', reason: `no corrections since the last promotion (${d.version})` });
    expect(store.promotions).toHaveLength(2);
  });

  it('promotes on a tie (corrections the current models already get right)', async () => {
    const store = new MemoryModelStore();
    const agree = [correction(t0, 'where is my order now', 'track_order', 1), correction(h0, 'track my parcel please', 'track_order', 2)];
    const d = await runRetrain(store, { shipped, corrections: agree }, opts);
    expect(d.current).toMatchObject({ categoryCorrect: 7, correctionsCorrect: 1 });
    expect(d.candidate).toMatchObject({ categoryCorrect: 7, correctionsCorrect: 1 });
    expect(d.outcome).toBe('promoted');
  });

  it('keeps the promoted models when the candidate is worse on the same rows, then skips the same inputs', async () => {
    const store = new MemoryModelStore();
    // The promoted pair knows the held-out voucher texts; the candidate is taught none of them.
    const held = VOUCHER.filter((c) => c.ticketId === h0 || c.ticketId === h1);
    const knowing = pairOf([...SHIPPED, ...held.map((c) => ({ text: c.text, intent: c.intent!, category: c.category }))]);
    const base = { version: 'v1', trainedAt: FIXED.toISOString(), promotedAt: FIXED.toISOString(), correctionsThrough: null, shippedSha256: 'shipped-sha' } as const;
    for (const [name, model] of [[MODEL_NAMES.category, knowing.category], [MODEL_NAMES.intent, knowing.intent]] as const) {
      await store.promote(name, model.artifact, { ...base, name, metrics: {} as never, examples: { shipped: 18, corrections: 0, trainedOn: 18, validation: 0, correctionsInValidation: 0 } });
    }
    const taught = [correction(t0, 'I need my invoice', 'get_invoice', 1), correction(t1, 'send me the invoice', 'get_invoice', 2)];
    const d = await runRetrain(store, { shipped, corrections: [...taught, ...held] }, opts);
    expect(d).toMatchObject({ outcome: 'kept', currentSource: 'promoted' });
    expect(d.current).toMatchObject({ correctionRows: 2, correctionsCorrect: 2 });
    expect(d.candidate!.correctionsCorrect).toBeLessThan(2);
    expect(d.reason).toMatch(/held-out corrections [01] < 2/);
    expect(store.promotions).toHaveLength(2);
    expect((await store.getRecord(MODEL_NAMES.category))!.version).toBe('v1');

    const again = await runRetrain(store, { shipped, corrections: [...taught, ...held] }, opts);
    expect(again).toMatchObject({ outcome: 'skipped', keptSince: d.runAt });
  });
});

describe('shipped training rows', () => {
  it('decode to the Bitext taxonomy and round-trip', () => {
    const { rows: all, sha256 } = decodeTrainingData(trainingJson);
    expect(all.length).toBeGreaterThan(3000);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(all.map((r) => r.intent)).size).toBe(27);
    for (const r of all) expect(INTENT_CATEGORY[r.intent]).toBe(r.category);
    expect(decodeTrainingData(encodeTrainingData(SHIPPED, { source: 's', sha256: 'x' })).rows).toEqual(SHIPPED);
    expect(shippedModels().category.labels).toEqual([...new Set(all.map((r) => r.category))].sort());
    // Same file as the shipped models were trained from.
    expect(shippedModels().category.artifact.trainingData.sha256).toBe(sha256);
    expect(shippedModels().intent.artifact.trainingData.sha256).toBe(sha256);
  });

  it('score the pair jointly: a row counts once for category, intent and correction', () => {
    const s = pairScore(shippedPair, [{ text: 'where is my order', category: 'ORDER', intent: 'track_order', ticketId: 'x' }, { text: 'refund me please', category: 'ORDER' }]);
    expect(s).toMatchObject({ rows: 2, categoryCorrect: 1, intentRows: 1, intentCorrect: 1, correctionRows: 1, correctionsCorrect: 1, correctionAccuracy: 1 });
  });
});
