import { describe, expect, it } from 'vitest';
import { canonItem, indexEntry, indexWrites, readUnits, tableWriteUnits, writeUnits, type TableInfo } from '../../../shared/adapters/aws-billing';
import { itemSize, type Item } from '../../../shared/adapters/item-size';

const table: TableInfo = {
  name: 't',
  keys: ['pk', 'sk'],
  indexes: [
    { name: 'all', keys: ['apk', 'ask'], projection: 'ALL' },
    { name: 'keys', keys: ['kpk'], projection: 'KEYS_ONLY' },
    { name: 'inc', keys: ['ipk', 'isk'], projection: ['status'] },
  ],
};
const S = (s: string) => ({ S: s });
const base: Item = { pk: S('P'), sk: S('S'), apk: S('A'), ask: S('1'), kpk: S('K'), ipk: S('I'), isk: S('1'), status: S('open'), note: S('x') };

describe('AWS billing rules', () => {
  it('rounds writes up to 1 KB and reads up to 4 KB, at least one unit', () => {
    expect([writeUnits(0), writeUnits(1024), writeUnits(1025), writeUnits(3 * 1024 + 1)]).toEqual([1, 1, 2, 4]);
    expect([readUnits(0, true), readUnits(4096, true), readUnits(4097, true), readUnits(0, false), readUnits(9000, false)]).toEqual([1, 1, 2, 0.5, 1.5]);
  });

  it('bills a put, update or delete on the larger of the before and after images', () => {
    const big = { ...base, note: S('x'.repeat(3000)) };
    expect(tableWriteUnits(big, base)).toBe(3);
    expect(tableWriteUnits(undefined, big)).toBe(3);
    expect(tableWriteUnits(big, undefined)).toBe(3);
    expect(tableWriteUnits(undefined, undefined)).toBe(1);
  });

  it('projects index entries: ALL, KEYS_ONLY (table and index keys), INCLUDE', () => {
    expect(indexEntry(table, table.indexes[0]!, base)).toBe(base);
    expect(Object.keys(indexEntry(table, table.indexes[1]!, base)!).sort()).toEqual(['kpk', 'pk', 'sk']);
    expect(Object.keys(indexEntry(table, table.indexes[2]!, base)!).sort()).toEqual(['ipk', 'isk', 'pk', 'sk', 'status']);
    expect(indexEntry(table, table.indexes[1]!, { pk: S('P'), sk: S('S') })).toBeUndefined();
  });

  it('writes a new entry once, and one write to remove an entry', () => {
    expect(indexWrites(table, undefined, base).map((w) => `${w.index} ${w.change} ${w.units}`)).toEqual(['all put 1', 'keys put 1', 'inc put 1']);
    const { kpk: _, ...withoutKey } = base;
    expect(indexWrites(table, base, withoutKey).map((w) => `${w.index} ${w.change}`)).toEqual(['all update', 'keys delete']);
    expect(indexWrites(table, base, undefined).map((w) => w.change)).toEqual(['delete', 'delete', 'delete']);
  });

  it('bills a moved index key as a delete plus a put, each rounded on its own', () => {
    const big = { ...base, note: S('x'.repeat(1400)) };
    expect(indexWrites(table, big, { ...big, ask: S('2') }).map(({ bytes: _, ...w }) => w)).toEqual([
      { index: 'all', change: 'delete', units: 2 },
      { index: 'all', change: 'put', units: 2 },
    ]);
  });

  it('writes nothing to an index whose projection did not change', () => {
    expect(indexWrites(table, base, { ...base, note: S('y') })).toEqual([{ index: 'all', change: 'update', units: 1, bytes: itemSize(base) }]);
    expect(indexWrites(table, base, { ...base, status: S('closed') }).map((w) => w.index)).toEqual(['all', 'inc']);
    expect(indexWrites(table, base, { ...base })).toEqual([]);
    expect(indexWrites(table, { pk: S('P'), sk: S('S') }, { pk: S('P'), sk: S('S'), note: S('z') })).toEqual([]);
  });

  it('sizes an in-place entry update on the larger entry', () => {
    const big = { ...base, note: S('x'.repeat(3000)) };
    expect(itemSize(big)).toBeGreaterThan(2 * 1024);
    expect(indexWrites(table, big, base)).toEqual([{ index: 'all', change: 'update', units: 3, bytes: itemSize(big) }]);
  });

  it('compares images with numbers normalised and sets unordered', () => {
    expect(canonItem({ n: { N: '1.50' } })).toBe(canonItem({ n: { N: '15e-1' } }));
    expect(canonItem({ s: { SS: ['a', 'b'] }, t: S('x') })).toBe(canonItem({ t: S('x'), s: { SS: ['b', 'a'] } }));
    expect(indexWrites(table, { ...base, v: { N: '2.0' } }, { ...base, v: { N: '2' } })).toEqual([]);
    expect(canonItem({ n: { N: '1' } })).not.toBe(canonItem({ n: { S: '1' } }));
  });
});
