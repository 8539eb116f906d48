/**
 * Forecast bench: the daily model against seasonal naive on the validation
 * protocol (rolling weekly origins, horizons 1–14, each fit on all history
 * before its origin), the empirical coverage of the 80 % intervals built the
 * way the product builds them, and the CLI's wall-clock time on the full file.
 * `node --import tsx test/bench/run-one.ts forecast`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scoreOrigins, summariseScores } from '../../shared/analytics/forecast/accuracy';
import { buildDailySeries, formatDay, parseDay, type DailySeries } from '../../shared/analytics/forecast/dates';
import { horizonBands } from '../../shared/analytics/forecast/forecast';
import { DEFAULT_DAILY_OPTIONS, rollingForecasts, type DailyModelOptions } from '../../shared/analytics/forecast/model';
import { parseCsv } from '../../shared/lib/csv';
import { datasetPath } from '../fixtures/datasets';

const HORIZON = 14;
const LEVEL = 0.8;
const BACKTEST = 52;

/** Weekly origins from Jan 1 of `year` while the whole 14-day horizon ends by `lastDate`. */
function windowOrigins(series: DailySeries, year: number, lastDate: string): number[] {
  const out: number[] = [];
  const last = parseDay(lastDate)! - series.start;
  for (let o = parseDay(`${year}-01-01`)! - series.start; o + HORIZON - 1 <= last; o += 7) out.push(o);
  return out;
}

interface WindowFigures {
  window: string;
  origins: number;
  firstOrigin: string;
  lastOrigin: string;
  mase: number;
  naiveMase: number;
  relativeMae: number;
  maseWithoutHolidays: number;
  intervalCoverage: number;
  meanIntervalWidthRatio: number;
}

function evaluateWindow(series: DailySeries, name: string, origins: number[], options: DailyModelOptions): WindowFigures {
  // The product's intervals at origin o come from the 52 weekly origins before it whose horizons end by o.
  const first = origins[0]!;
  const all: number[] = [];
  for (let o = first - HORIZON - 7 * (BACKTEST - 1); o <= origins.at(-1)!; o += 7) all.push(o);
  const run = rollingForecasts(series, all, HORIZON, options);
  const at = new Map(run.origins.map((o, k) => [o, k]));
  const logError = (o: number, h: number) => {
    const a = series.values[o + h]!;
    return Number.isNaN(a) ? undefined : Math.log1p(a) - run.logForecasts[at.get(o)!]![h]!;
  };
  let inside = 0;
  let total = 0;
  let widthRatio = 0;
  for (const o of origins) {
    const prior = run.origins.filter((p) => p + HORIZON <= o).slice(-BACKTEST);
    const errors = Array.from({ length: HORIZON }, (_, h) => prior.map((p) => logError(p, h)).filter((e): e is number => e !== undefined));
    const bands = horizonBands(errors, LEVEL);
    for (let h = 0; h < HORIZON; h++) {
      const e = logError(o, h);
      if (e === undefined) continue;
      const [lo, hi] = bands[h]!;
      total++;
      if (e >= lo && e <= hi) inside++;
      widthRatio += Math.exp(hi) - Math.exp(lo); // interval width / point forecast (on the count scale, ≈)
    }
  }
  const forecasts = origins.map((o) => run.forecasts[at.get(o)!]!);
  const summary = summariseScores(scoreOrigins(series, origins, forecasts));
  const noHol = rollingForecasts(series, origins, HORIZON, { ...options, holidays: undefined });
  const noHolSummary = summariseScores(scoreOrigins(series, noHol.origins, noHol.forecasts));
  return {
    window: name,
    origins: summary.origins,
    firstOrigin: formatDay(series.start + first),
    lastOrigin: formatDay(series.start + origins.at(-1)!),
    mase: summary.mase,
    naiveMase: summary.naiveMase,
    relativeMae: summary.relativeMae,
    maseWithoutHolidays: noHolSummary.mase,
    intervalCoverage: inside / total,
    meanIntervalWidthRatio: widthRatio / total,
  };
}

function timeCli(file: string): { runsSeconds: number[]; rows: number } {
  const root = resolve(import.meta.dirname, '../..');
  const runsSeconds: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync('npx', ['switchboard', 'forecast', '--input', file, '--horizon', '14', '--country', 'CA', '--region', 'BC'], { cwd: root, encoding: 'utf8' });
    runsSeconds.push(Math.round(performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`forecast CLI failed (${r.status}): ${r.stderr}`);
    rows = r.stdout.trimEnd().split('\n').length - 1;
  }
  return { runsSeconds, rows };
}

/** Figures of the forecast bench (see docs/forecasting.md). */
export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const file = datasetPath('vancouver_311_contact_centre', 'daily_volume_long.csv');
  const rows = parseCsv(readFileSync(file, 'utf8'), file);
  const series = buildDailySeries(rows.map((r) => ({ day: parseDay(r.date!)!, value: Number(r.count) })));
  const options: DailyModelOptions = { ...DEFAULT_DAILY_OPTIONS, holidays: { country: 'CA', region: 'BC' } };
  const windows: Array<[string, number[]]> = [
    ['2021 Jan–Sep', windowOrigins(series, 2021, '2021-09-30')],
    ['2022 Jan–Sep', windowOrigins(series, 2022, '2022-09-30')],
    ['2023 Jan–Sep', windowOrigins(series, 2023, '2023-09-30')],
    ['2022 full year', windowOrigins(series, 2022, '2022-12-31')],
    ['2023 full year', windowOrigins(series, 2023, '2023-12-31')],
  ];
  const t0 = performance.now();
  const figures = windows.map(([name, origins]) => evaluateWindow(series, name, origins, options));
  const evalSeconds = (performance.now() - t0) / 1000;
  log('forecast: Vancouver 3-1-1 daily calls, rolling weekly origins, horizons 1–14, MASE vs seasonal naive (lag 7)');
  log('window           origins  MASE   naive  MAE/naive  no-holidays  80% coverage');
  for (const f of figures) {
    log(`${f.window.padEnd(16)} ${String(f.origins).padStart(7)}  ${f.mase.toFixed(3)}  ${f.naiveMase.toFixed(3)}  ${f.relativeMae.toFixed(3).padStart(9)}  ${f.maseWithoutHolidays.toFixed(3).padStart(11)}  ${(100 * f.intervalCoverage).toFixed(1).padStart(11)} %`);
  }
  const janSep = figures.slice(0, 3);
  const meanJanSep = janSep.reduce((s, f) => s + f.mase, 0) / janSep.length;
  log(`mean MASE of the three Jan–Sep windows: ${meanJanSep.toFixed(3)} (bar 0.586, reach 0.48); evaluation took ${evalSeconds.toFixed(1)} s`);
  const cli = timeCli(file);
  log(`CLI wall clock (npx switchboard forecast ... --horizon 14 --country CA --region BC, 15 years): ${cli.runsSeconds.map((s) => `${s.toFixed(2)} s`).join(', ')}; ${cli.rows} rows`);
  return { protocol: { horizon: HORIZON, level: LEVEL, backtestOrigins: BACKTEST, options }, windows: figures, meanJanSepMase: meanJanSep, cli };
}
