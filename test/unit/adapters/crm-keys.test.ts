import { describe, expect, it } from 'vitest';
import { INDEX_KEYS } from '../../../shared/adapters/crm-keys';
import { tables } from '../../../infra/topology';

describe('crm index key names', () => {
  it('are the ones the topology deploys (adapters cannot import it: it is a layer above)', () => {
    expect(Object.fromEntries(tables.crm.indexes.map((i) => [i.name, { pk: i.partitionKey, sk: i.sortKey }]))).toEqual(INDEX_KEYS);
  });
});
