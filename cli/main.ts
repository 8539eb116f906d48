/**
 * `switchboard <command>`: the project's command line (bin/switchboard.mjs
 * loads this module through tsx). Each command returns its exit code.
 */
import { CsvInputError } from '../shared/lib/csv';
import { InputError, parseOptions, UsageError, type Command } from './usage';
import type { LocalStack } from '../infra/local/runtime';

/**
 * The index of commands. Each module is imported only when its command runs: the AWS
 * SDK (create-api-key) or the models (train) must not slow `forecast` down, whose whole
 * run must stay under 2 s.
 */
const commands: Record<string, { summary: string; load(): Promise<Command> }> = {
  start: {
    summary: 'Run the whole stack locally (DynamoDB Local, fauxqs, API, queue pollers, schedules)',
    load: async () => startCommand,
  },
  'create-api-key': {
    summary: 'Create an API key in a deployed crm table (the first admin key after cdk deploy)',
    load: async () => {
      const m = await import('./create-api-key');
      return { usage: m.createApiKeyUsage, run: m.createApiKeyCommand };
    },
  },
  train: {
    summary: 'Train a text classifier (TF-IDF + linear SVM) from a labelled CSV into a model file',
    load: async () => (await import('./train')).trainCommand,
  },
  classify: {
    summary: 'Label the rows of a CSV with a trained model (label,confidence CSV on stdout)',
    load: async () => (await import('./classify')).classifyCommand,
  },
  sentiment: {
    summary: 'Score the rows of a CSV with the built-in sentiment engine (label,confidence CSV on stdout)',
    load: async () => (await import('./sentiment')).sentimentCommand,
  },
  forecast: {
    summary: 'Forecast a daily series (CSV in, date,forecast,lower,upper CSV out on stdout)',
    load: async () => (await import('./forecast')).forecastCommand,
  },
  demand: {
    summary: "Forecast each customer's spend over the next N days from an order-line CSV",
    load: async () => (await import('./demand')).demandCommand,
  },
};

const startCommand: Command = {
  usage: `Usage: switchboard start [options]

  --memory          throwaway DynamoDB data, kept in memory (default: persist in the data folder)
  --data-dir DIR    data folder (default: .data under the current directory)
  --port N          API port (default: $PORT or 3000; 0 picks a free port)
  --host HOST       API and SMTP address (default: 127.0.0.1)
  --smtp-port N     local SMTP server standing in for SES inbound (default: 2525; 0 picks a free port)
  --quiet           no per-request log lines
  -h, --help        show this help`,
  run: (args) => start(args),
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: switchboard <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`switchboard <command> --help\` for a command's options.`;
}

/** Runs the CLI with `argv` (without `node` and the script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${command.usage}`);
      return 2;
    }
    // Input the user can fix: say what is wrong with it, no stack trace.
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof InputError || err instanceof CsvInputError || code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      console.error(`switchboard ${name}: ${(err as Error).message}`);
      return 1;
    }
    throw err;
  }
}

interface StartOptions {
  memory: boolean;
  smtpPort: number;
  dataDir?: string;
  port: number;
  host: string;
  quiet: boolean;
}

/** Parses `start`'s options; throws UsageError with a message a person can act on. */
export function parseStartOptions(args: string[], env: NodeJS.ProcessEnv = process.env): StartOptions | 'help' {
  const values = parseOptions(args, {
    memory: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    quiet: { type: 'boolean', default: false },
    'smtp-port': { type: 'string', default: '2525' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if (values.memory && values['data-dir'] !== undefined) throw new UsageError('--memory and --data-dir exclude each other.');
  if (values['data-dir'] === '') throw new UsageError('--data-dir needs a folder.');
  if (!values.host) throw new UsageError('--host needs an address.');
  const portText = values.port ?? env.PORT ?? '3000';
  const source = values.port !== undefined ? '--port' : env.PORT !== undefined ? 'PORT' : 'default port';
  if (!/^\d+$/.test(portText) || Number(portText) > 65_535) {
    throw new UsageError(`${source} must be a whole number from 0 to 65535, got "${portText}".`);
  }
  const smtpPort = values['smtp-port'];
  if (!/^\d+$/.test(smtpPort) || Number(smtpPort) > 65_535) {
    throw new UsageError(`--smtp-port must be a whole number from 0 to 65535, got "${smtpPort}".`);
  }
  return {
    smtpPort: Number(smtpPort),
    memory: values.memory,
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    port: Number(portText),
    host: values.host,
    quiet: values.quiet,
  };
}

async function start(args: string[]): Promise<number> {
  const options = parseStartOptions(args);
  if (options === 'help') {
    console.log(startCommand.usage);
    return 0;
  }
  // Listen for signals before starting, so a Ctrl-C during start still stops
  // what was started. A second signal forces the exit; the JVM is then killed
  // by the emulators' exit hook.
  let signalled: (signal: NodeJS.Signals) => void = () => undefined;
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      console.error(`\n${signal} again: exiting now.`);
      process.exit(1);
    }
    console.log(`\n${signal} received: stopping Switchboard...`);
    signalled(signal);
  };
  // SIGHUP too: the JVM leads its own process group, so a closing terminal would not reach it.
  const handled: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of handled) process.on(s, onSignal);
  // Under `npm start`, a SIGTERM sent to npm reaches only the shell npm runs us in, which exits
  // without passing it on: we would run on (and the JVM with us). Stop when that parent is gone.
  const parent = process.ppid;
  const parentWatch = process.env.npm_lifecycle_event
    ? setInterval(() => {
        if (process.ppid === parent || signals > 0) return;
        signals += 1;
        console.log('\nnpm exited: stopping Switchboard...');
        signalled('SIGTERM');
      }, 500)
    : undefined;

  try {
    const { startLocalStack } = await import('../infra/local/runtime');
    let stack: LocalStack;
    try {
      stack = await startLocalStack(options);
    } catch (err) {
      console.error(`Switchboard could not start: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    console.log(banner(stack));
    console.log('Switchboard is ready');
    await stopRequested;
    const t0 = performance.now();
    await stack.stop();
    console.log(`Stopped in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    for (const s of handled) process.off(s, onSignal);
    if (parentWatch) clearInterval(parentWatch);
  }
}

/** What runs where. The API URL comes first: scripts take the first URL printed. */
function banner(s: LocalStack): string {
  const row = (label: string, value: string) => `  ${label.padEnd(15)} ${value}`;
  const key = s.adminApiKey;
  const keyNote = s.memory ? '(new; in-memory data)' : key.created ? `(new; saved to ${key.file})` : `(from ${key.file})`;
  const queues = s.queues.map((q) => `${q.queue} -> ${q.functionName} (batch ${q.batchSize}, ${q.pollers} pollers)`);
  const streams = s.streams.map((t) => `${t.table} table -> ${t.functionName} (batch ${t.batchSize}, filtered)`);
  const schedules = s.schedules.map((j) => `${j.name} ${j.expression}`);
  const routes = s.routes.map((r) => `${r.routeKey.padEnd(50)} ${r.functionName} [${r.auth}]`);
  return [
    '',
    `Switchboard is running locally (started in ${(s.startupMs / 1000).toFixed(1)} s)`,
    '',
    row('API', s.apiUrl),
    row('Data', s.dataDir ?? 'in memory (discarded on exit)'),
    row('Admin API key', `${key.secret} ${keyNote}`),
    row('DynamoDB Local', s.endpoints.dynamodb),
    row('SMTP (SES)', `${s.smtp.host}:${s.smtp.port} — mail sent here becomes an email ticket`),
    row('Sent mail (SES)', `${s.outbound.sesUrl} — replies by email, in a web page (JSON: /store)`),
    row('SMS', `${s.outbound.smsUrl} — replies at GET /messages; POST /inbound {originationNumber, destinationNumber, messageBody} texts us`),
    row('fauxqs', `${s.endpoints.sqs} (SQS, SNS, S3)`),
    row('Queues', queues.join('\n' + ' '.repeat(18)) || 'none'),
    row('Streams', streams.join('\n' + ' '.repeat(18)) || 'none'),
    row('Schedules', schedules.join('\n' + ' '.repeat(18)) || 'none'),
    row('Routes', routes.join('\n' + ' '.repeat(18)) || 'none'),
    '',
    'Press Ctrl-C to stop (DynamoDB Local is stopped too).',
  ].join('\n');
}
