/**
 * Erlang C staffing: agents needed per interval for a service-level target
 * (share of contacts answered within a threshold), from the arrivals in the
 * interval and the average handle time. Arrivals are Poisson, handle times
 * exponential, callers wait (no abandonment): the M/M/N queue.
 *
 * Numerically: the Erlang B blocking probability by its recursion
 * B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), then
 * C(N, A) = N·B / (N − A·(1 − B)) — no factorials or powers, so loads of
 * thousands of Erlangs are fine.
 */

/** Erlang B blocking probability for `agents` servers and `traffic` Erlangs. */
export function erlangB(agents: number, traffic: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/** Erlang C: probability that a contact has to wait (1 when agents ≤ traffic: the queue grows without bound). */
export function erlangC(agents: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return 1;
  const b = erlangB(agents, traffic);
  return (agents * b) / (agents - traffic * (1 - b));
}

/** Service level: P(wait ≤ threshold) = 1 − C·exp(−(N − A)·t / AHT). */
export function serviceLevel(agents: number, traffic: number, thresholdSeconds: number, ahtSeconds: number): number {
  if (traffic <= 0) return 1;
  if (agents <= traffic) return 0;
  return 1 - erlangC(agents, traffic) * Math.exp((-(agents - traffic) * thresholdSeconds) / ahtSeconds);
}

/** Input of one staffing interval. */
export interface StaffingInput {
  /** Contacts arriving in the interval. */
  arrivals: number;
  /** Interval length in seconds (3600 for hourly). */
  intervalSeconds: number;
  /** Average handle time in seconds (talk + hold + wrap-up). */
  ahtSeconds: number;
  /** Target share answered within the threshold, e.g. 0.8. */
  targetServiceLevel: number;
  /** Threshold in seconds, e.g. 20. */
  thresholdSeconds: number;
  /** Occupancy ceiling (agents are added until occupancy ≤ this), default 1 (no ceiling). */
  maxOccupancy?: number;
}

/** Staffing result of one interval. */
export interface StaffingResult {
  /** Offered load in Erlangs: arrivals × AHT / interval. */
  traffic: number;
  agents: number;
  serviceLevel: number;
  /** Traffic / agents. */
  occupancy: number;
  /** Probability of waiting at all. */
  probabilityWait: number;
  /** Average speed of answer in seconds: C·AHT / (N − A). */
  averageSpeedOfAnswer: number;
}

/** Fewest agents meeting the service-level target (and the occupancy ceiling) for one interval. */
export function requiredAgents(input: StaffingInput): StaffingResult {
  const { arrivals, intervalSeconds, ahtSeconds, targetServiceLevel, thresholdSeconds, maxOccupancy = 1 } = input;
  if (!(arrivals >= 0) || !(intervalSeconds > 0) || !(ahtSeconds > 0)) throw new RangeError('arrivals ≥ 0, interval > 0 and AHT > 0 are required');
  if (!(targetServiceLevel >= 0 && targetServiceLevel < 1)) throw new RangeError('the service-level target must be in [0, 1)');
  const traffic = (arrivals * ahtSeconds) / intervalSeconds;
  if (traffic === 0) return { traffic, agents: 0, serviceLevel: 1, occupancy: 0, probabilityWait: 0, averageSpeedOfAnswer: 0 };
  let agents = Math.max(1, Math.floor(traffic) + 1, Math.ceil(traffic / maxOccupancy));
  while (serviceLevel(agents, traffic, thresholdSeconds, ahtSeconds) < targetServiceLevel) agents++;
  const c = erlangC(agents, traffic);
  return {
    traffic,
    agents,
    serviceLevel: serviceLevel(agents, traffic, thresholdSeconds, ahtSeconds),
    occupancy: traffic / agents,
    probabilityWait: c,
    averageSpeedOfAnswer: (c * ahtSeconds) / (agents - traffic),
  };
}

/** Staffing per interval for a series of arrivals (e.g. an hourly forecast) with shared parameters. */
export function staffingPlan(arrivals: readonly number[], params: Omit<StaffingInput, 'arrivals'>): StaffingResult[] {
  return arrivals.map((a) => requiredAgents({ ...params, arrivals: Math.max(0, a) }));
}
