/**
 * `switchboard forecast`: reads a daily series from CSV and writes the
 * forecast as CSV to stdout (nothing else goes to stdout).
 */
import { readFileSync } from 'node:fs';
import { csvLine, parseCsv, requireColumns } from '../shared/lib/csv';
import { InputError, intOption, parseOptions, requireOption, UsageError, type Command } from './usage';

const usage = `Usage: switchboard forecast --input SERIES.csv [--horizon 14] [options]

Forecasts a daily series (e.g. contacts per day) and writes CSV to stdout:
header date,forecast,lower,upper and one row per day after the last input date.
Rows with the same date are summed (e.g. one row per date and channel gives the
total over channels). Missing dates are treated as unknown, not as zero.
[lower, upper] is an 80 % prediction interval (see --level).

  --input FILE           CSV with a header row (required)
  --horizon N            days to forecast, 1 to 366 (default 14)
  --date-column NAME     column with YYYY-MM-DD dates (default date)
  --value-column NAME    column with the non-negative values (default count)
  --country CODE         public holidays of this country (date-holidays code, e.g. CA);
                         no holiday effects without it
  --region CODE          region/state of the country (e.g. BC)
  --level PERCENT        interval coverage, 50 to 99 (default 80)
  -h, --help             show this help

The model, its accuracy and the interval method: docs/forecasting.md.`;

/** Parsed options of `forecast`. */
interface ForecastOptions {
  input: string;
  horizon: number;
  dateColumn: string;
  valueColumn: string;
  country?: string;
  region?: string;
  level: number;
}

function parseForecastOptions(args: string[]): ForecastOptions | 'help' {
  const v = parseOptions(args, {
    input: { type: 'string' },
    horizon: { type: 'string' },
    'date-column': { type: 'string', default: 'date' },
    'value-column': { type: 'string', default: 'count' },
    country: { type: 'string' },
    region: { type: 'string' },
    level: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (v.help) return 'help';
  const input = requireOption(v, 'input');
  if (!v['date-column'] || !v['value-column']) throw new UsageError('--date-column and --value-column need a name.');
  if (v.region !== undefined && v.country === undefined) throw new UsageError('--region needs --country.');
  if (v.country !== undefined && !/^[A-Za-z]{2}$/.test(v.country)) throw new UsageError(`--country must be a two-letter code, got "${v.country}".`);
  return {
    input,
    horizon: intOption(v.horizon, 'horizon', 14, 1, 366),
    dateColumn: v['date-column'],
    valueColumn: v['value-column'],
    ...(v.country !== undefined ? { country: v.country.toUpperCase() } : {}),
    ...(v.region !== undefined ? { region: v.region.toUpperCase() } : {}),
    level: intOption(v.level, 'level', 80, 50, 99) / 100,
  };
}

async function runForecast(args: string[]): Promise<number> {
  const o = parseForecastOptions(args);
  if (o === 'help') {
    console.log(usage);
    return 0;
  }
  // Loaded here so that other commands do not pay for the model and the holiday data.
  const { buildDailySeries, forecastDaily, parseDay, MIN_HISTORY_DAYS } = await import('../shared/analytics/forecast/index');
  if (o.country) {
    const { default: Holidays } = await import('date-holidays');
    const hd = new Holidays();
    if (!hd.getCountries()[o.country]) throw new UsageError(`--country ${o.country} is not a country date-holidays knows.`);
    if (o.region && !hd.getStates(o.country)?.[o.region]) throw new UsageError(`--region ${o.region} is not a region of ${o.country} that date-holidays knows.`);
  }
  let text: string;
  try {
    text = readFileSync(o.input, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError(`cannot read ${o.input}: ${why}.`);
  }
  const rows = parseCsv(text, o.input);
  if (rows.length === 0) throw new InputError(`${o.input} has no data rows.`);
  requireColumns(rows, [o.dateColumn, o.valueColumn], o.input);
  const points: Array<{ day: number; value: number }> = [];
  rows.forEach((r, i) => {
    const line = i + 2; // header is line 1
    const dateText = (r[o.dateColumn] ?? '').trim();
    const day = parseDay(dateText);
    if (day === undefined) throw new InputError(`${o.input} line ${line}: "${dateText}" in column ${o.dateColumn} is not a YYYY-MM-DD date.`);
    const valueText = (r[o.valueColumn] ?? '').trim();
    if (valueText === '') return; // an empty cell is a missing value, not zero
    const value = Number(valueText);
    if (!Number.isFinite(value) || value < 0) {
      throw new InputError(`${o.input} line ${line}: "${valueText}" in column ${o.valueColumn} is not a non-negative number.`);
    }
    points.push({ day, value });
  });
  const series = buildDailySeries(points);
  const observed = series.values.reduce((c, v) => (Number.isNaN(v) ? c : c + 1), 0);
  if (observed < MIN_HISTORY_DAYS) throw new InputError(`${o.input} has ${observed} days with values; the forecast needs at least ${MIN_HISTORY_DAYS}.`);
  const result = forecastDaily(series, o.horizon, {
    level: o.level,
    ...(o.country ? { holidays: { country: o.country, ...(o.region ? { region: o.region } : {}) } } : {}),
  });
  const round = (x: number) => Math.round(x * 100) / 100;
  const out = ['date,forecast,lower,upper', ...result.rows.map((r) => csvLine([r.date, round(r.forecast), round(r.lower), round(r.upper)]))];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** `switchboard forecast`. */
export const forecastCommand: Command = {
  usage,
  run: runForecast,
};
