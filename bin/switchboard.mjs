#!/usr/bin/env node
// Entry of `npx switchboard <command>`. The data commands (forecast, demand, train,
// classify, sentiment) run from the prebuilt bundle when it is fresh (newer than every source file
// under cli/, shared/ and infra/); anything else, or a stale bundle, loads the TypeScript
// through tsx, so an edited source is never shadowed by an old bundle.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'switchboard-cli.mjs');
const BUNDLED = new Set(['forecast', 'demand', 'train', 'classify', 'sentiment']);

/** Newest modification time of the files under `dir` (a few hundred stats: milliseconds). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    return ['cli', 'shared', 'infra'].every((dir) => built >= newest(join(root, dir)));
  } catch {
    return false;
  }
}

const args = process.argv.slice(2);
let main;
if (BUNDLED.has(args[0] ?? '') && bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(args);
