/**
 * `node --import tsx test/bench/run-one.ts NAME`: runs one model bench (test/bench/NAME.ts,
 * which exports `bench(log)`) on its own and prints its figures as JSON.
 */
const name = process.argv[2];
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error('Usage: node --import tsx test/bench/run-one.ts NAME   (test/bench/NAME.ts exports bench)');
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as { bench: (log: (line: string) => void) => Promise<Record<string, unknown>> };
const figures = await mod.bench((line) => console.log(line));
console.log(JSON.stringify(figures, null, 2));
export {};
