/**
 * The retrain job's domain on the shipped rows: time of one run (both models trained, both
 * pairs scored) and its decision, over a few seeded sets of ticket ids for the same five
 * agent corrections (which corrections are held out depends on the ids).
 */
import trainingJson from '../../shared/classify/models/support-training.json';
import { decodeIntent, shippedModels } from '../../shared/classify/intent';
import { runRetrain } from '../../shared/classify/retrain';
import { decodeTrainingData } from '../../shared/classify/training-data';
import type { ModelStore, PromotionRecord, RetrainDecision } from '../../shared/classify/model-store';

// Texts the shipped models put anywhere but PAYMENT; the agents say payment_issue.
const VOUCHER = ['my voucher code was rejected at checkout', 'the voucher does not work', 'I got a voucher but it fails', 'voucher problem again', 'my gift voucher is refused'];
const RUNS = 6;

function memoryStore(): ModelStore {
  const m = new Map<string, unknown>();
  return {
    getRecord: async (n) => m.get(`${n}/current`) as PromotionRecord | undefined,
    getPromoted: async (n) => m.get(`${n}/model`),
    promote: async (n, a, r) => void (m.set(`${n}/model`, a), m.set(`${n}/current`, { ...r, key: n })),
    lastDecision: async () => m.get('last') as RetrainDecision | undefined,
    recordDecision: async (d) => void m.set('last', d),
  };
}

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const shipped = { ...decodeTrainingData(trainingJson), models: shippedModels() };
  log(`shipped: ${shipped.rows.length} rows; corrections: ${VOUCHER.length} (→ payment_issue); shipped says ${VOUCHER.map((t) => decodeIntent(shipped.models, t).category).join(', ')}`);
  log('run  seconds  outcome   category cand/cur  intent cand/cur  held-out corrections cand/cur of n');
  const runs: Array<Record<string, unknown>> = [];
  for (let r = 0; r < RUNS; r++) {
    const corrections = VOUCHER.map((text, i) => ({
      ticketId: `tkt_bench_${r}_${i}`, text, category: 'PAYMENT', intent: 'payment_issue', correctedBy: 'bench', correctedAt: `2026-12-01T10:0${i}:00.000Z`,
    }));
    const t0 = performance.now();
    const d = await runRetrain(memoryStore(), { shipped, corrections }, { now: new Date('2026-12-02T03:00:00Z') });
    const seconds = (performance.now() - t0) / 1000;
    const c = d.candidate!;
    const k = d.current!;
    log(`${r}    ${seconds.toFixed(1).padStart(5)}    ${d.outcome.padEnd(8)}  ${c.categoryCorrect}/${k.categoryCorrect}            ${c.intentCorrect}/${k.intentCorrect}          ${c.correctionsCorrect}/${k.correctionsCorrect} of ${c.correctionRows}`);
    runs.push({ seconds: Number(seconds.toFixed(2)), outcome: d.outcome, candidate: c, current: k });
  }
  const times = runs.map((r) => r.seconds as number);
  return { shippedRows: shipped.rows.length, corrections: VOUCHER.length, runs, meanSeconds: Number((times.reduce((a, b) => a + b, 0) / times.length).toFixed(2)), promoted: runs.filter((r) => r.outcome === 'promoted').length };
}
