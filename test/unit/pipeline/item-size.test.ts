import { describe, expect, it } from 'vitest';
import { itemSize, numberSize, valueSize } from '../../../shared/adapters/item-size';

// Expected sizes follow "DynamoDB item sizes and formats" (AWS developer guide) by hand.
describe('DynamoDB item size', () => {
  it('counts attribute names and UTF-8 string bytes', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(5);
    expect(itemSize({ s: { S: 'é' } })).toBe(3);
    expect(itemSize({ 'é': { S: '' } })).toBe(2);
    expect(itemSize(undefined)).toBe(0);
  });

  it('sizes numbers by significant digits: 1 byte per two, plus 1', () => {
    expect(numberSize('123.45')).toBe(4);
    expect(numberSize('0.00120')).toBe(2);
    expect(numberSize('100')).toBe(2);
    expect(numberSize('-1.5E+3')).toBe(2);
    expect(numberSize('0')).toBe(1);
    expect(numberSize('12345678901234567890123456789012345678')).toBe(20);
    expect(itemSize({ n: { N: '123.45' } })).toBe(5);
  });

  it('sizes binary by raw bytes, booleans and nulls as 1 byte', () => {
    expect(valueSize({ B: new Uint8Array(10) })).toBe(10);
    expect(valueSize({ B: 'AAAA' as unknown as Uint8Array })).toBe(3);
    expect(itemSize({ t: { BOOL: true }, z: { NULL: true } })).toBe(4);
  });

  it('sizes sets as the sum of their members', () => {
    expect(itemSize({ s: { SS: ['ab', 'c'] } })).toBe(4);
    expect(itemSize({ ns: { NS: ['1', '22'] } })).toBe(6);
    expect(valueSize({ BS: [new Uint8Array(2), new Uint8Array(3)] })).toBe(5);
  });

  it('gives lists and maps 3 bytes of overhead and 1 byte per element', () => {
    expect(itemSize({ l: { L: [] } })).toBe(4);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
    expect(itemSize({ m: { M: { a: { L: [{ M: {} }] } } } })).toBe(1 + 3 + (1 + 1 + (3 + 1 + 3)));
  });
});
