/**
 * `switchboard classify`: labels every row of a CSV with a trained model and writes
 * `label,confidence` CSV to stdout, one row per input row, in input order.
 */
import { readFileSync } from 'node:fs';
import { csvLine, parseCsv, requireColumns } from '../shared/lib/csv';
import { loadModel, type TextModel } from '../shared/classify/text-model';
import { InputError, parseOptions, requireOption, UsageError, type Command } from './usage';

const usage = `Usage: switchboard classify --model MODEL --input FILE.csv --text-column COL [--reject-label LABEL]

Writes CSV to stdout with the header label,confidence and one row per input row, in order.
Confidence is the model's calibrated probability of the label (0..1).

  --model FILE          model JSON written by \`switchboard train\`
  --input FILE          CSV with a header row
  --text-column COL     column holding the text
  --reject-label LABEL  give LABEL to rows the model rejects (confidence below its
                        threshold, or its explicit out-of-scope label)
  -h, --help            show this help`;

/** Reads and loads a model file; a file that is not a model is an InputError. */
export function readModel(path: string): TextModel {
  const text = readFileSync(path, 'utf8');
  try {
    return loadModel(JSON.parse(text));
  } catch (err) {
    throw new InputError(`${path} is not a usable model: ${(err as Error).message}`);
  }
}

export const classifyCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, {
      model: { type: 'string' },
      input: { type: 'string' },
      'text-column': { type: 'string' },
      'reject-label': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) return console.log(usage), 0;
    const modelPath = requireOption(values, 'model');
    const input = requireOption(values, 'input');
    const textColumn = requireOption(values, 'text-column');
    const rejectLabel = values['reject-label'];
    if (rejectLabel === '') throw new UsageError('--reject-label needs a label.');

    const model = readModel(modelPath);
    const rows = parseCsv(readFileSync(input, 'utf8'), input);
    requireColumns(rows, [textColumn], input);
    const lines = ['label,confidence'];
    for (const row of rows) {
      const p = model.predict(row[textColumn] ?? '');
      const label = rejectLabel !== undefined && p.outOfScope ? rejectLabel : p.label;
      lines.push(csvLine([label, p.confidence.toFixed(4)]));
    }
    // One write: stdout carries only the CSV.
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
