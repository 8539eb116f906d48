/** `manager`: reads reports (KPIs, forecasts) besides what an agent may do. */
export const ROLES = ['admin', 'manager', 'agent', 'integration'] as const;
export type Role = (typeof ROLES)[number];
