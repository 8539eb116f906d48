#!/usr/bin/env node
// Bundles the CLI into dist/switchboard-cli.mjs (run by `npm install` through `prepare`).
// bin/switchboard.mjs uses the bundle for the data commands when it is newer than every
// source file: it starts in about half the time of transpiling through tsx, which keeps
// `switchboard forecast` on 15 years of history well under 2 s.
import { build } from 'esbuild';

await build({
  entryPoints: { 'switchboard-cli': new URL('../cli/main.ts', import.meta.url).pathname },
  outdir: new URL('../dist', import.meta.url).pathname,
  outExtension: { '.js': '.mjs' },
  // Each command's lazy import becomes its own chunk: `forecast` loads only what it needs,
  // not the AWS SDK that `start` and `create-api-key` pull in.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
});
