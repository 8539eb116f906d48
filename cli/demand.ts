/**
 * `switchboard demand`: each customer's spend over the next N days, from an order-line CSV
 * (online-retail columns). The forecast goes to stdout as CSV; the model's held-out comparison
 * against the naive "same as the previous N days" goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { forecastDemand } from '../shared/analytics/customers/demand';
import {
  cleanOrderLines,
  formatDay,
  ORDER_LINE_COLUMNS,
  OrderLineError,
  parseDay,
  parseOrderLines,
} from '../shared/analytics/customers/order-lines';
import { csvLine, parseCsv, requireColumns } from '../shared/lib/csv';
import { InputError, intOption, parseOptions, requireOption, type Command } from './usage';

const usage = `Usage: switchboard demand --transactions FILE.csv --as-of YYYY-MM-DD [--horizon-days 60]

Forecasts each customer's net spend in the N days after the as-of date with a
linear regression trained on rolling cut-offs of the file (docs/customer-models.md).
Only lines on or before the as-of date are read. Writes CSV to stdout:
customer_id,predicted_spend (one row per customer seen by the as-of date);
the held-out comparison with the naive forecast goes to stderr.

  --transactions FILE  order lines: ${ORDER_LINE_COLUMNS.join(', ')}
  --as-of DATE         last day of known data, YYYY-MM-DD
  --horizon-days N     forecast window in days, 1 to 365 (default 60)
  -h, --help           show this help`;

function readTransactions(file: string) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const records = parseCsv(text, file);
  if (records.length === 0) throw new InputError(`${file} has no transaction lines.`);
  requireColumns(records, ORDER_LINE_COLUMNS, file);
  try {
    return parseOrderLines(records);
  } catch (err) {
    if (err instanceof OrderLineError) throw new InputError(`${file}: ${err.message}`);
    throw err;
  }
}

async function run(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    transactions: { type: 'string' },
    'as-of': { type: 'string' },
    'horizon-days': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const file = requireOption(values, 'transactions');
  const asOfText = requireOption(values, 'as-of');
  const horizonDays = intOption(values['horizon-days'], 'horizon-days', 60, 1, 365);
  const asOf = parseDay(asOfText);
  if (asOf === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(asOfText)) {
    throw new InputError(`--as-of must be a calendar date YYYY-MM-DD, got "${asOfText}".`);
  }
  const { lines } = cleanOrderLines(readTransactions(file));
  const { predictions, model } = forecastDemand(lines, asOf, horizonDays);
  const out = [csvLine(['customer_id', 'predicted_spend'])];
  for (const p of predictions) out.push(csvLine([p.customerId, p.predictedSpend.toFixed(2)]));
  process.stdout.write(out.join('\n') + '\n');

  const c = model?.comparison;
  if (!model) console.error(`demand: too little history before ${asOfText} for the regression; wrote the naive forecast.`);
  else if (c) {
    const f = (m: { mse: number; mae: number; rmse: number }) => `MSE ${m.mse.toFixed(0)}  MAE ${m.mae.toFixed(2)}  RMSE ${m.rmse.toFixed(2)}`;
    console.error(
      `demand: held-out check, as of ${formatDay(c.validationAsOf)} + ${horizonDays} days, ${c.customers} customers` +
        ` (model trained on ${model.cutoffs.length} cut-offs, ${model.trainingRows} rows)\n` +
        `  model  ${f(c.model)}\n  naive  ${f(c.naive)}`,
    );
  }
  return 0;
}

/** `switchboard demand`. */
export const demandCommand: Command = {
  usage,
  run,
};
