#!/usr/bin/env node
// Entry of `npx switchboard <command>`: loads the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../infra/cli.ts');
process.exitCode = await main(process.argv.slice(2));
