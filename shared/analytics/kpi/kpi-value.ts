/**
 * The result of every KPI: a finite number, or `null` with the reason it cannot be computed
 * (a zero denominator, no ratings, a missing input). Never Infinity or NaN, so a stored row
 * and a JSON response always mean the same thing.
 */
export type KpiValue = { value: number } | { value: null; undefinedReason: string };

/** A defined KPI value; a non-finite number becomes undefined rather than leaking out. */
export function kpiValue(value: number): KpiValue {
  return Number.isFinite(value) ? { value } : { value: null, undefinedReason: `not a finite number (${value})` };
}

/** An undefined KPI value with its reason. */
export function kpiUndefined(undefinedReason: string): KpiValue {
  return { value: null, undefinedReason };
}

/** True when the value is defined (narrows the type). */
export function isDefined(v: KpiValue): v is { value: number } {
  return v.value !== null;
}

/**
 * numerator / denominator, undefined with `reason` when the denominator is 0 (or either side is
 * not a finite number). `scale` multiplies the result (e.g. 3600 for a per-hour rate from seconds).
 */
export function ratio(numerator: number, denominator: number, reason: string, scale = 1): KpiValue {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator)) {
    return kpiUndefined(`input is not a finite number (${numerator} / ${denominator})`);
  }
  if (denominator === 0) return kpiUndefined(reason);
  return kpiValue((numerator / denominator) * scale);
}
