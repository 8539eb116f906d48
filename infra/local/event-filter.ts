/**
 * Lambda's event filtering (FilterCriteria patterns) for the subset the topology uses: nested
 * objects, lists of alternative values, and `{ exists: boolean }`. As in AWS, `exists` tests for
 * a leaf: a value that is an object (a DynamoDB attribute such as `{ "BOOL": true }`) does not
 * exist for it, so a DynamoDB attribute is tested on its type key (`stuck.BOOL`).
 */
import type { FilterPattern, FilterValue } from '../topology';

/** True when the event matches the pattern. Unknown operators fail loudly rather than match wrongly. */
export function matchesFilter(pattern: FilterPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isObject(event) ? event[key] : undefined;
    return Array.isArray(rule) ? rule.some((alt: FilterValue) => matchesValue(alt, value)) : matchesFilter(rule as FilterPattern, value);
  });
}

function matchesValue(alt: FilterValue, value: unknown): boolean {
  if (isObject(alt)) {
    const keys = Object.keys(alt);
    if (keys.length !== 1 || keys[0] !== 'exists' || typeof alt.exists !== 'boolean') {
      throw new Error(`Unsupported filter operator ${JSON.stringify(alt)} (the local runtime knows values and exists)`);
    }
    return isLeaf(value) === alt.exists;
  }
  // A list in the event matches when one of its elements does.
  if (Array.isArray(value)) return value.some((v) => isLeaf(v) && v === alt);
  return isLeaf(value) && value === alt;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLeaf = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.some(isLeaf));
