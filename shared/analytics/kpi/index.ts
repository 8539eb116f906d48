/** KPI domain: periods, additive counters, the seed formulas and row keys (docs/kpis.md). */
export * from './compute';
export * from './counters';
export * from './formulas';
export * from './histogram';
export * from './kpi-value';
export * from './periods';
export * from './row-key';
export * from './rows';
