export const ROLES = ['admin', 'agent', 'integration'] as const;
export type Role = (typeof ROLES)[number];
