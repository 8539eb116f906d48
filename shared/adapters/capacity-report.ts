import type { CapacityTotals } from './capacity-meter';
// Whoever reports the billing model's figures needs the model loaded: clients made from now on are priced.
import './capacity-billing';

/**
 * Tables of a capacity meter's figures divided by `per` (e.g. per chat message), for
 * console.table: AWS-billed units by command next to DynamoDB Local's own figures, the
 * breakdown by command, table, index, item type and kind, and transactions by shape.
 * Kept apart from the meter so that printing code stays out of the function bundles.
 */
export function capacityReport(m: CapacityTotals, per = 1) {
  const r = (n: number) => Math.round((n / per) * 1000) / 1000;
  const rows = Object.values(m.breakdown).sort((a, b) => b.writeUnits - a.writeUnits || b.readUnits - a.readUnits);
  const byCommand: Record<string, { 'AWS WCU': number; 'AWS RCU': number; 'Local units': number }> = {};
  for (const row of rows) {
    const op = row.command.split('.')[0]!;
    const c = (byCommand[op] ??= { 'AWS WCU': 0, 'AWS RCU': 0, 'Local units': r(m.local.byCommand[op] ?? 0) });
    c['AWS WCU'] = Math.round((c['AWS WCU'] + r(row.writeUnits)) * 1000) / 1000;
    c['AWS RCU'] = Math.round((c['AWS RCU'] + r(row.readUnits)) * 1000) / 1000;
  }
  byCommand.total = { 'AWS WCU': r(m.writeUnits), 'AWS RCU': r(m.readUnits), 'Local units': r(m.local.writeUnits + m.local.readUnits) };
  return {
    byCommand,
    breakdown: rows.map((row) => ({
      command: row.command,
      table: row.table,
      index: row.index || '(table)',
      item: row.item,
      kind: row.change ? `${row.kind} ${row.change}` : row.kind,
      count: r(row.count),
      WCU: r(row.writeUnits),
      RCU: r(row.readUnits),
      'avg bytes': Math.round(row.bytes / row.count),
    })),
    transactions: Object.entries(m.transactions)
      .sort(([, a], [, b]) => b.writeUnits - a.writeUnits)
      .map(([shape, t]) => ({
        shape,
        count: r(t.count),
        WCU: r(t.writeUnits),
        'WCU each': Math.round((t.writeUnits / t.count) * 100) / 100,
        'Local WCU each': Math.round((t.localWriteUnits / t.count) * 100) / 100,
      })),
  };
}
