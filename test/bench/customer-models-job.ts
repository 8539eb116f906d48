/**
 * The customer-models job's domain on online_retail/transactions_sample.csv (the whole provided
 * history; the held-back weeks are never read): wall-clock of one run as of the last day, the
 * metrics it stores next to their baselines, and the size of the items it writes.
 * Run: node --import tsx test/bench/run-one.ts customer-models-job
 */
import { readFileSync } from 'node:fs';
import { customerItem, summaryItems } from '../../shared/adapters/customer-model-items';
import { modelCustomers } from '../../shared/analytics/customer-models-job';
import { cleanOrderLines, parseOrderLines } from '../../shared/analytics/customers/order-lines';
import { parseCsv } from '../../shared/lib/csv';
import { linesOfOrders, ordersFromLines } from '../../shared/analytics/customers/order-store';
import { datasetPath } from '../fixtures/datasets';

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const file = datasetPath('online_retail', 'transactions_sample.csv');
  const { lines } = cleanOrderLines(parseOrderLines(parseCsv(readFileSync(file, 'utf8'), file)));
  // The stored form: one order per invoice, read back as lines (what the job sees).
  const orders = ordersFromLines(lines);
  const stored = cleanOrderLines(linesOfOrders(orders)).lines;
  const orderBytes = Math.max(...orders.map((o) => JSON.stringify(o).length));
  const t0 = performance.now();
  const out = modelCustomers(stored, '2011-10-01');
  const ms = performance.now() - t0;
  const m = out.models as Record<string, any>;
  const itemBytes = out.records.map((r) => JSON.stringify(customerItem(r)).length);
  const summaryBytes = JSON.stringify(
    summaryItems({ runDay: '2011-10-01', generatedAt: '', asOf: out.asOf, status: out.status, window: { months: [], orders: 0, lines: 0, linesKept: 0, dropped: {} }, customers: 0, products: 0, models: out.models })[0],
  ).length;
  const figures = {
    orders: orders.length,
    lines: stored.length,
    customers: out.records.length,
    asOf: out.asOf,
    runSeconds: Number((ms / 1000).toFixed(2)),
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
    demand60: m.demand?.comparison,
    value90: m.customerValue?.comparison,
    segmentation: { k: m.segmentation?.k, silhouette: m.segmentation?.silhouette },
    churn: m.churn?.evaluation,
    recommendations: m.recommendations?.evaluation,
    maxCustomerItemBytes: Math.max(...itemBytes),
    summaryItemBytes: summaryBytes,
    maxOrderItemBytes: orderBytes,
  };
  log(`${figures.orders} invoices, ${figures.lines} lines, ${figures.customers} customers, as of ${figures.asOf}: one run in ${figures.runSeconds} s (rss ${figures.rssMb} MB)`);
  log(`demand 60 d @ ${figures.demand60?.validationAsOf}: MSE ${figures.demand60?.model.mse} vs naive ${figures.demand60?.naive.mse}, MAE ${figures.demand60?.model.mae} vs ${figures.demand60?.naive.mae}`);
  log(`value 90 d @ ${figures.value90?.validationAsOf}: MSE ${figures.value90?.model.mse} vs naive ${figures.value90?.naive.mse}, MAE ${figures.value90?.model.mae} vs ${figures.value90?.naive.mae}`);
  log(`segments: k ${figures.segmentation.k}, silhouette ${figures.segmentation.silhouette?.toFixed(3)}`);
  log(`churn @ ${figures.churn?.validationAsOf}: AUC ${figures.churn?.model?.auc?.toFixed(3)} vs recency ${figures.churn?.recencyBaseline?.auc?.toFixed(3)}`);
  log(`recommendations @5, trained to ${figures.recommendations?.trainedThrough}: hit rate ${figures.recommendations?.model?.hitRate} vs popularity ${figures.recommendations?.popularity?.hitRate} (${figures.recommendations?.users} users)`);
  log(`items: customer ≤ ${figures.maxCustomerItemBytes} B, summary ${figures.summaryItemBytes} B, largest order ${figures.maxOrderItemBytes} B`);
  return figures;
}
