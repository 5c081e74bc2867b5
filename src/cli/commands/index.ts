import path from 'node:path';
import { defineCommand } from '../command.ts';
import { CliFailure, UsageError } from '../errors.ts';
import { write } from '../io.ts';
import { toJsonOutput } from '../json.ts';

export const indexCommand = defineCommand({
  usage: ['index [--cache DIR] [--json]'],
  summary: 'build the search index now and save it, so that the bot starts from it',
  details: [
    '--cache DIR    where to save it (default: .cache/index/ in the project); the bot and the',
    '               other commands read it from there while the corpus is unchanged',
    '--json         print {"file","documents","passages","bytes","ms"}',
  ],
  options: {
    cache: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ name, values, positionals, io }) {
    if (positionals.length > 0) throw new UsageError(`${name}: takes no arguments (got "${positionals.join(' ')}")`);
    if (values.cache !== undefined && values.cache.trim() === '') throw new UsageError(`${name}: --cache needs a folder`);
    const { KnowledgeBase } = await import('../../knowledgeBase.ts');
    const problems: string[] = [];
    const kb = await KnowledgeBase.open(values.corpus, {
      rebuild: true,
      ...(values.cache === undefined ? {} : { cacheDir: values.cache }),
      onCacheProblem: (message) => problems.push(message),
    });
    const origin = kb.origin;
    if (!origin?.file || origin.savedBytes === undefined) {
      throw new CliFailure(`${name}: ${problems.join('; ') || 'the index was built but not saved'}`);
    }
    const report = {
      file: origin.file,
      documents: kb.documents.length,
      passages: kb.index.passageCount,
      bytes: origin.savedBytes,
      ms: Math.round(origin.ms),
    };
    const where = path.relative(process.cwd(), report.file) || report.file;
    const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
    await write(
      io.stdout,
      values.json
        ? toJsonOutput(report)
        : `Indexed ${plural(report.documents, 'document')} (${plural(report.passages, 'passage')}) in ${report.ms.toLocaleString('en')} ms; ` +
            `saved ${(report.bytes / 1024).toFixed(0)} KB to ${where}\n`,
    );
  },
});
