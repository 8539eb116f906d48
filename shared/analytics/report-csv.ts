import { csvLine } from '../lib/csv';
import type { ForecastRecord, KpiRow } from './reporting-store';
import { kpiCsvHeader, kpiCsvLine } from './kpi';

/** KPI rows as CSV: one line per row, each index followed by the reason it is undefined (if it is). */
export function kpiRowsCsv(rows: readonly KpiRow[]): string {
  return `${[kpiCsvHeader(), ...rows.map(kpiCsvLine)].join('\n')}\n`;
}

/** A forecast run as `date,forecast,lower,upper` (the same columns as `switchboard forecast`). */
export function forecastCsv(record: ForecastRecord): string {
  const lines = [csvLine(['date', 'forecast', 'lower', 'upper'])];
  for (const p of record.daily) lines.push(csvLine([p.date, p.forecast, p.lower, p.upper]));
  return `${lines.join('\n')}\n`;
}
