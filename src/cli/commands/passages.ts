import { defineCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatPassages } from '../format.ts';
import { write } from '../io.ts';
import { passageJson, toJsonOutput } from '../json.ts';

export const passagesCommand = defineCommand({
  usage: ['passages [--json]'],
  summary: 'print every passage of every article, in reading order',
  details: ['--json         print an array of quote objects'],
  options: {
    json: { type: 'boolean', default: false },
  },
  async run({ name, values, positionals, io, openKnowledgeBase }) {
    if (positionals.length > 0) throw new UsageError(`${name}: takes no arguments (got "${positionals.join(' ')}")`);
    const kb = await openKnowledgeBase();
    const output = values.json
      ? toJsonOutput(kb.documents.flatMap((document) => document.passages.map(passageJson)))
      : formatPassages(kb.documents, io.style);
    await write(io.stdout, output);
  },
});
