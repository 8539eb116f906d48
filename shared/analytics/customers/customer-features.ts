/**
 * Per-customer features as of a day T, computed only from lines on or before T, and the spend in a
 * later window (the target). Shared by the demand, value, segmentation and churn models.
 */
import type { OrderLine } from './order-lines';

/** What is known about one customer at the end of day `asOf`. Money in GBP, net of cancellations. */
export interface CustomerSnapshot {
  customerId: string;
  country: string;
  /** Days from the last purchase (a non-cancelled line) to asOf; 0 = bought on asOf. */
  recencyDays: number;
  /** Days from the first line to asOf. */
  tenureDays: number;
  /** Distinct non-cancelled invoices, ever / in the last 90 days. */
  invoices: number;
  invoices90: number;
  /** Net spend, ever. */
  monetary: number;
  /** Net spend in (asOf − w, asOf] for each window length w of `windows`, same order. */
  windowSpend: number[];
  /** Net spend in (asOf − 2h, asOf − h] for the horizon h (the period before the naive one). */
  previousHorizonSpend: number;
  /** Net spend in (asOf − h, asOf]: the naive forecast "same as the previous h days". */
  lastHorizonSpend: number;
  /** Gross (non-cancelled) spend per invoice. */
  averageBasket: number;
  /** Distinct products bought. */
  distinctProducts: number;
  /** Days of data (any customer) up to asOf, inclusive: windows longer than this are left-censored. */
  historyDays: number;
  /**
   * The whole file's momentum, the same for every customer at asOf: net spend of all customers in
   * the last h days over their average h-day spend in the last 365 days (covered part); 1 = flat.
   */
  marketMomentum: number;
}

/** Window lengths (days) of `windowSpend` by default. */
export const DEFAULT_WINDOWS = [30, 90, 180, 365] as const;

/**
 * The snapshot of every customer with at least one line on or before `asOf`.
 * `linesByCustomer` must hold each customer's lines sorted by day.
 */
export function snapshotCustomers(
  linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>,
  asOf: number,
  horizonDays: number,
  windows: readonly number[] = DEFAULT_WINDOWS,
): CustomerSnapshot[] {
  const out: CustomerSnapshot[] = [];
  let dataStart = Infinity;
  for (const lines of linesByCustomer.values()) if (lines[0] && lines[0].day < dataStart) dataStart = lines[0].day;
  const historyDays = asOf - dataStart + 1;
  let marketLastH = 0;
  let market365 = 0;
  for (const [customerId, lines] of linesByCustomer) {
    const first = lines[0];
    if (!first || first.day > asOf) continue;
    let lastPurchase = -Infinity;
    let monetary = 0;
    let gross = 0;
    let lastH = 0;
    let prevH = 0;
    let spend365 = 0;
    const windowSpend = windows.map(() => 0);
    const invoices = new Set<string>();
    const invoices90 = new Set<string>();
    const products = new Set<string>();
    for (const line of lines) {
      if (line.day > asOf) break;
      const age = asOf - line.day; // 0 on asOf itself
      monetary += line.amount;
      if (age < 365) spend365 += line.amount;
      if (age < horizonDays) lastH += line.amount;
      else if (age < 2 * horizonDays) prevH += line.amount;
      for (let i = 0; i < windows.length; i++) if (age < windows[i]!) windowSpend[i]! += line.amount;
      if (!line.cancelled) {
        lastPurchase = line.day;
        gross += line.amount;
        invoices.add(line.invoiceNo);
        if (age < 90) invoices90.add(line.invoiceNo);
        if (line.isProduct) products.add(line.stockCode);
      }
    }
    marketLastH += lastH;
    market365 += spend365;
    out.push({
      customerId,
      country: first.country,
      recencyDays: Number.isFinite(lastPurchase) ? asOf - lastPurchase : asOf - first.day,
      tenureDays: asOf - first.day,
      invoices: invoices.size,
      invoices90: invoices90.size,
      monetary,
      windowSpend,
      previousHorizonSpend: prevH,
      lastHorizonSpend: lastH,
      averageBasket: invoices.size > 0 ? gross / invoices.size : 0,
      distinctProducts: products.size,
      historyDays,
      marketMomentum: 1,
    });
  }
  const marketRate = (market365 * horizonDays) / Math.min(365, historyDays);
  const momentum = marketRate > 0 ? Math.max(0, marketLastH) / marketRate : 1;
  for (const s of out) s.marketMomentum = momentum;
  return out;
}

/** Net spend of each customer in (from, to] (days), 0 for customers with no line there. Lines sorted by day. */
export function spendBetween(linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>, from: number, to: number): Map<string, number> {
  const spend = new Map<string, number>();
  for (const [customerId, lines] of linesByCustomer) {
    let s = 0;
    for (const line of lines) {
      if (line.day > to) break;
      if (line.day > from) s += line.amount;
    }
    spend.set(customerId, s);
  }
  return spend;
}

/** True when the customer bought anything (a non-cancelled line) in (from, to]. */
export function boughtBetween(lines: readonly OrderLine[], from: number, to: number): boolean {
  return lines.some((l) => !l.cancelled && l.day > from && l.day <= to);
}

/** log(1 + max(0, v)): money and counts on a log scale, negatives (net refunds) as 0. */
export function log1pPos(v: number): number {
  return Math.log1p(Math.max(0, v));
}
