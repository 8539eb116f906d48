/**
 * AWS list prices used by the benchmark's cost figures: us-east-1, as published
 * in 2026 (read on 2026-11-22 from ../shared/design/STACK.md). One place, so a
 * price change is one edit.
 */
export const PRICES = {
  asOf: '2026-11-22',
  region: 'us-east-1',
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  sqsPerMillionRequests: 0.4,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  httpApiPerMillionRequests: 1.0,
} as const;
