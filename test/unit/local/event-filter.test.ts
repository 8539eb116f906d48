import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../../infra/local/event-filter';
import { functions, type StreamTrigger } from '../../../infra/topology';

const { filter } = functions.classify.trigger as StreamTrigger;
const record = (eventName: string, image: Record<string, unknown>) => ({ eventName, eventSource: 'aws:dynamodb', dynamodb: { NewImage: marshall(image) } });
const inbound = { pk: 'MSG#m1', sk: 'MSG', direction: 'inbound', status: 'received', text: 'hi', sweepCount: 1 };

describe('event filter (Lambda FilterCriteria, the subset the topology uses)', () => {
  it("passes classify's records: inbound messages still waiting to be routed, inserted or modified", () => {
    expect(matchesFilter(filter, record('INSERT', inbound))).toBe(true);
    expect(matchesFilter(filter, record('MODIFY', inbound))).toBe(true);
  });

  it('drops routed, stuck and outbound messages, other items and deletions', () => {
    expect(matchesFilter(filter, record('MODIFY', { ...inbound, status: 'routed' }))).toBe(false);
    expect(matchesFilter(filter, record('MODIFY', { ...inbound, stuck: true }))).toBe(false);
    expect(matchesFilter(filter, record('INSERT', { ...inbound, direction: 'outbound', status: 'routed' }))).toBe(false);
    expect(matchesFilter(filter, record('INSERT', { pk: 'TICKET#t1', sk: 'TICKET', status: 'open' }))).toBe(false);
    expect(matchesFilter(filter, record('REMOVE', inbound))).toBe(false);
    expect(matchesFilter(filter, { eventName: 'MODIFY', dynamodb: {} })).toBe(false);
  });

  it('matches values only at leaves of the same value, and a list in the event by any element', () => {
    expect(matchesFilter({ a: { S: ['x'] } }, { a: { S: 'x' } })).toBe(true);
    expect(matchesFilter({ a: { S: ['x'] } }, { a: { S: 'y' } })).toBe(false);
    expect(matchesFilter({ a: ['x'] }, { a: { S: 'x' } })).toBe(false); // an object is no leaf value
    expect(matchesFilter({ n: [5] }, { n: 5 })).toBe(true);
    expect(matchesFilter({ n: ['5'] }, { n: 5 })).toBe(false); // types are not coerced
    expect(matchesFilter({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true);
  });

  it('tests exists on leaves only, as AWS does: on an attribute (an object) it never sees the value', () => {
    // Why the topology writes `stuck: { BOOL: [{ exists: false }] }` and not `stuck: [{ exists: false }]`.
    const stuck = { stuck: { BOOL: true } };
    expect(matchesFilter({ stuck: { BOOL: [{ exists: false }] } }, stuck)).toBe(false);
    expect(matchesFilter({ stuck: { BOOL: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesFilter({ stuck: [{ exists: false }] }, stuck)).toBe(true);
    expect(matchesFilter({ stuck: [{ exists: true }] }, stuck)).toBe(false);
    expect(matchesFilter({ stuck: { BOOL: [{ exists: true }] } }, stuck)).toBe(true);
  });

  it('refuses operators it does not know rather than guess', () => {
    expect(() => matchesFilter({ a: [{ prefix: 'x' } as never] }, { a: 'xy' })).toThrow(/Unsupported filter operator/);
  });
});
