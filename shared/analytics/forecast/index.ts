/** Contact-volume forecasting: daily model, accuracy against seasonal naive, hourly profiles. See docs/forecasting.md. */
export * from './accuracy';
export * from './dates';
export * from './forecast';
export * from './holidays';
export * from './hourly';
export * from './model';
