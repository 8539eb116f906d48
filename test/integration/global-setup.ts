/**
 * vitest globalSetup of the `integration` project: one DynamoDB Local (in
 * memory) and one fauxqs for the whole run, with the topology's resources.
 * Tests read the env map with `inject('localEnv')` and build their clients from
 * it (pass `endpoint` explicitly to SQS clients: see docs/local-runtime.md).
 */
import type { TestProject } from 'vitest/node';
import { startEmulators } from '../../infra/local/emulators';
import { createResources, type LocalEnv } from '../../infra/local/resources';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Emulator endpoints (AWS_ENDPOINT_URL_*), region, dummy credentials and resource names (CRM_TABLE, ROUTING_QUEUE_URL, ...). */
    localEnv: LocalEnv;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators();
  try {
    const { env } = await createResources(emulators);
    project.provide('localEnv', env);
  } catch (err) {
    await emulators.stop();
    throw err;
  }
  // Teardown: stops fauxqs and the DynamoDB Local JVM (its whole process group).
  return () => emulators.stop();
}
