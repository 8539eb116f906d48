import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Item size in bytes as DynamoDB bills it ("DynamoDB item sizes and formats",
 * docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * attribute name bytes + value bytes, on the marshalled form so sets and numbers are exact.
 */
export type Item = Record<string, AttributeValue>;

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** B arrives as bytes from the SDK, as base64 in raw JSON; the raw length counts. */
const binary = (b: Uint8Array | string): number => (typeof b === 'string' ? Buffer.from(b, 'base64').length : b.byteLength);

/** "1 byte per two significant digits + 1 byte"; leading and trailing zeros do not count. */
export function numberSize(n: string): number {
  const digits = n.replace(/^[+-]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return binary(v.B);
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, s) => a + utf8(s), 0);
  if (v.NS) return v.NS.reduce((a, s) => a + numberSize(s), 0);
  if (v.BS) return v.BS.reduce((a, b) => a + binary(b), 0);
  // Lists and maps: 3 bytes of overhead, plus 1 byte per element (and a map element's name).
  if (v.L) return v.L.reduce((a, e) => a + 1 + valueSize(e), 3);
  if (v.M) return Object.entries(v.M).reduce((a, [k, e]) => a + 1 + utf8(k) + valueSize(e), 3);
  return 0;
}

export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((a, [k, v]) => a + utf8(k) + valueSize(v), 0);
}
