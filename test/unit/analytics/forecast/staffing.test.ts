import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, requiredAgents, serviceLevel, staffingPlan } from '../../../../shared/analytics/staffing';

describe('Erlang C', () => {
  // Textbook example (callcentrehelper.com "Erlang C formula – made simple"):
  // 100 calls in 30 min, AHT 180 s → A = 100·180/1800 = 10 Erlangs; 80 % in 20 s.
  // Worked with factorials: C(11,10) = 0.682118, C(12) = 0.449388, C(13) = 0.285270, C(14) = 0.174132;
  // SL(N) = 1 − C·e^{−(N−10)·20/180}: 0.389614, 0.640158, 0.795595, 0.888350.
  it('matches the hand-worked probabilities of waiting and service levels', () => {
    expect(erlangC(11, 10)).toBeCloseTo(0.682118, 6);
    expect(erlangC(14, 10)).toBeCloseTo(0.174132, 6);
    expect(serviceLevel(12, 10, 20, 180)).toBeCloseTo(0.640158, 6);
    expect(serviceLevel(13, 10, 20, 180)).toBeCloseTo(0.795595, 6);
    expect(serviceLevel(14, 10, 20, 180)).toBeCloseTo(0.88835, 5);
  });

  it('needs 14 agents for the example (13 give 79.6 %), occupancy 71.4 %, ASA 7.8 s', () => {
    const r = requiredAgents({ arrivals: 100, intervalSeconds: 1800, ahtSeconds: 180, targetServiceLevel: 0.8, thresholdSeconds: 20 });
    expect(r.traffic).toBe(10);
    expect(r.agents).toBe(14);
    expect(r.serviceLevel).toBeCloseTo(0.88835, 5);
    expect(r.occupancy).toBeCloseTo(10 / 14, 12);
    expect(r.averageSpeedOfAnswer).toBeCloseTo(7.836, 3);
  });

  it('Erlang B recursion: B(1, A) = A/(1+A), B(2, 1) = 0.2', () => {
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 12);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
  });

  it('stays finite and sensible for large loads', () => {
    const r = requiredAgents({ arrivals: 36_000, intervalSeconds: 3600, ahtSeconds: 300, targetServiceLevel: 0.8, thresholdSeconds: 20 });
    expect(r.traffic).toBe(3000);
    expect(r.agents).toBeGreaterThan(3000);
    expect(r.agents).toBeLessThan(3100);
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(Number.isFinite(r.probabilityWait)).toBe(true);
  });

  it('needs no agents for no contacts, and honours an occupancy ceiling', () => {
    expect(staffingPlan([0], { intervalSeconds: 3600, ahtSeconds: 180, targetServiceLevel: 0.8, thresholdSeconds: 20 })[0]!.agents).toBe(0);
    const r = requiredAgents({ arrivals: 100, intervalSeconds: 1800, ahtSeconds: 180, targetServiceLevel: 0.8, thresholdSeconds: 20, maxOccupancy: 0.6 });
    expect(r.agents).toBe(17); // ceil(10 / 0.6)
  });
});
