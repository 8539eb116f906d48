/**
 * `switchboard sentiment`: scores every row of a CSV with the built-in sentiment engine
 * (the one the classify step runs) and writes `label,confidence` CSV to stdout, one row
 * per input row, in input order — so the shipped engine can be evaluated on any data.
 */
import { readFileSync } from 'node:fs';
import { analyzeBuiltinSentiment, positiveProbability } from '../shared/classify/sentiment-engine';
import { csvLine, parseCsv, requireColumns } from '../shared/lib/csv';
import { parseOptions, requireOption, type Command } from './usage';

const usage = `Usage: switchboard sentiment --input FILE.csv --text-column COL [--binary]

Writes CSV to stdout with the header label,confidence and one row per input row, in order:
the built-in engine's label (positive, negative, or neutral when the model is unsure) and
its confidence (0.5..1; 0 for text with no letters). English text: the engine reads English.

  --input FILE          CSV with a header row
  --text-column COL     column holding the text
  --binary              labels 1 (positive) and 0 (negative) from the model's decision,
                        never neutral, as in binary-labelled data such as UCI's
  -h, --help            show this help`;

export const sentimentCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, {
      input: { type: 'string' },
      'text-column': { type: 'string' },
      binary: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) return console.log(usage), 0;
    const input = requireOption(values, 'input');
    const textColumn = requireOption(values, 'text-column');
    const rows = parseCsv(readFileSync(input, 'utf8'), input);
    requireColumns(rows, [textColumn], input);
    const lines = ['label,confidence'];
    for (const row of rows) {
      const text = row[textColumn] ?? '';
      if (values.binary) {
        const p = positiveProbability(text);
        lines.push(csvLine([p >= 0.5 ? 1 : 0, Math.max(p, 1 - p).toFixed(4)]));
      } else {
        const r = analyzeBuiltinSentiment(text);
        lines.push(csvLine([r.label, (r.confidence ?? 0).toFixed(4)]));
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
