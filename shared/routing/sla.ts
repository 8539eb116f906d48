import type { KpiEvent } from '../analytics/kpi';

/**
 * The default SLA policy: first-response and resolution targets by priority band. Every
 * ticket has one, so SLA attainment (met ÷ decided, docs/kpis.md) counts both decisions:
 * the first response (agent reply or auto-reply) and the resolution. Configurable
 * per-company policies (and escalation on breach) come with the SLA issue; this table
 * is the default they will override.
 */
export const DEFAULT_SLA: ReadonlyArray<{ minPriority: number; firstResponseSeconds: number; resolutionSeconds: number }> = [
  { minPriority: 70, firstResponseSeconds: 3_600, resolutionSeconds: 8 * 3_600 },
  { minPriority: 40, firstResponseSeconds: 4 * 3_600, resolutionSeconds: 24 * 3_600 },
  { minPriority: 0, firstResponseSeconds: 24 * 3_600, resolutionSeconds: 72 * 3_600 },
];

/** The SLA targets of a ticket with this priority score. */
export function slaTargets(priorityScore: number): { firstResponseSeconds: number; resolutionSeconds: number } {
  return DEFAULT_SLA.find((b) => priorityScore >= b.minPriority) ?? DEFAULT_SLA.at(-1)!;
}

/** The SLA decision of a first response or a resolution that took `seconds`. */
export function slaDecision(kind: 'firstResponse' | 'resolution', priorityScore: number, seconds: number): KpiEvent {
  const t = slaTargets(priorityScore);
  return { type: 'sla.decided', met: seconds <= (kind === 'firstResponse' ? t.firstResponseSeconds : t.resolutionSeconds) };
}
