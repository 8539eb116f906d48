/**
 * The customer-tier rule (shared/customers/customer-tier.ts) on online_retail/transactions_sample.csv,
 * rolling origins inside the provided history (the held-back weeks are never read): the models run
 * on the lines up to each origin, and each candidate vip set is scored by the share of the next 90
 * days' actual net spend its customers made (lift = that share / the share of customers flagged).
 * Run: node --import tsx test/bench/run-one.ts customer-tier
 */
import { readFileSync } from 'node:fs';
import { modelCustomers } from '../../shared/analytics/customer-models-job';
import { cleanOrderLines, parseDay, parseOrderLines } from '../../shared/analytics/customers/order-lines';
import { deriveTier, tierRule } from '../../shared/customers/customer-tier';
import { parseCsv } from '../../shared/lib/csv';
import type { CustomerModelRecord } from '../../shared/customers/customer-model-store';
import { datasetPath } from '../fixtures/datasets';

const ORIGINS = ['2011-03-31', '2011-06-30'];

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const file = datasetPath('online_retail', 'transactions_sample.csv');
  const { lines } = cleanOrderLines(parseOrderLines(parseCsv(readFileSync(file, 'utf8'), file)));
  const figures: Record<string, unknown> = {};
  log('origin      candidate                  flagged   share  future spend  lift');
  for (const origin of ORIGINS) {
    const asOf = parseDay(origin)!;
    const out = modelCustomers(lines.filter((l) => l.day <= asOf), origin);
    const future = new Map<string, number>();
    for (const l of lines) if (l.day > asOf && l.day <= asOf + 90) future.set(l.customerId, (future.get(l.customerId) ?? 0) + l.amount);
    const recs = out.records;
    const total = recs.reduce((s, r) => s + (future.get(r.customerId) ?? 0), 0);
    const rule = tierRule(recs)!;
    const pastCut = recs.map((r) => r.profile.netSpend).sort((a, b) => b - a)[Math.ceil(recs.length / 10) - 1]!;
    const candidates: Record<string, (r: CustomerModelRecord) => boolean> = {
      rule: (r) => deriveTier(r, rule).tier === 'vip',
      champions: (r) => r.segment?.name === 'champions',
      pastSpendTop10: (r) => r.profile.netSpend >= pastCut,
      ruleOrChampions: (r) => deriveTier(r, rule).tier === 'vip' || r.segment?.name === 'champions',
    };
    const row: Record<string, unknown> = { customers: recs.length, basis: rule.basis, cut: rule.cut };
    for (const [name, pick] of Object.entries(candidates)) {
      const sel = recs.filter(pick);
      const share = sel.length / recs.length;
      const captured = sel.reduce((s, r) => s + (future.get(r.customerId) ?? 0), 0) / total;
      row[name] = { flagged: sel.length, share: Number(share.toFixed(3)), futureSpendShare: Number(captured.toFixed(3)), lift: Number((captured / share).toFixed(2)) };
      log(`${origin}  ${name.padEnd(25)} ${String(sel.length).padStart(7)}  ${(100 * share).toFixed(1).padStart(5)} %  ${(100 * captured).toFixed(1).padStart(10)} %  ${(captured / share).toFixed(2)}`);
    }
    figures[origin] = row;
  }
  return figures;
}
