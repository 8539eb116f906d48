import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command of `switchboard`. `run` gets the arguments after the command name and resolves with the exit code. */
export interface Command {
  usage: string;
  run(args: string[]): Promise<number>;
}

/** Thrown for bad options: the CLI prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}

/**
 * `parseArgs` in strict mode with no positionals, turning its errors (unknown option,
 * missing value) into UsageError so every command answers bad options the same way.
 */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, strict: true, allowPositionals: false, options }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Thrown when an input file cannot be used (missing, unreadable, wrong columns, bad values): message, exit code 1. */
export class InputError extends Error {}

/** A required string option, or UsageError naming it. */
export function requireOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

/** A whole number option within [min, max], or UsageError saying what was wrong. */
export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}".`);
  }
  return Number(value);
}
