import { describe, expect, it } from 'vitest';
import { averageHandle, MIN_HANDLING_LOGS } from '../../../shared/analytics/forecast-job';

const days = (n: number, handlingSeconds: number, handlingLogs: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ day: from + i, handlingSeconds, handlingLogs }));

describe('averageHandle (staffing AHT)', () => {
  it('measures seconds per logged piece of work over the last 28 days only', () => {
    // 60 old days at 1,000 s per log are outside the window; the last 28 days log 2 × 150 s a day.
    expect(averageHandle([...days(60, 2000, 2), ...days(28, 300, 2, 60)], 300)).toEqual({ seconds: 150, source: 'measured', logs: 56 });
  });

  it('keeps the configured value until enough time is logged', () => {
    // One log a day: 28 < MIN_HANDLING_LOGS (30), too few to trust.
    expect(MIN_HANDLING_LOGS).toBe(30);
    expect(averageHandle(days(28, 100, 1), 300)).toEqual({ seconds: 300, source: 'configured', logs: 28 });
    expect(averageHandle(days(28, 0, 0), 420)).toEqual({ seconds: 420, source: 'configured', logs: 0 });
  });
});
