import * as z from 'zod';
import { ConfigError } from '../../shared/domain/errors';

/**
 * Reads the env vars a function needs, once at cold start. A missing or invalid
 * value fails the cold start with its name rather than a confusing error later.
 */
export function readConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ');
    throw new ConfigError(`Missing or invalid configuration: ${names}`);
  }
  return parsed.data;
}

export const required = z.string().min(1);
