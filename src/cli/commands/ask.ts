import { createInterface } from 'node:readline';
import type { KnowledgeBase } from '../../knowledgeBase.ts';
import { defineCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatAnswer } from '../format.ts';
import { write, type CliIo } from '../io.ts';
import { answerJson, askErrorJson, toJsonLine, toJsonOutput } from '../json.ts';
import { checkQuestion } from '../question.ts';

/** In place of a question: read questions from stdin, one per line. */
const STDIN = '-';

export const askCommand = defineCommand({
  usage: ['ask "<question>" [--json]', 'ask - < questions.txt'],
  summary: 'answer a question with cited excerpts from the article',
  details: [
    '<question>     at most 300 characters; quote it for the shell',
    '-              read one question per line from stdin, write one JSON object per line',
    '               (JSON Lines, in order; blank lines skipped; a bad line gets an "error" field)',
    '--json         print {"question","answered","excerpts":[{"passage","citation","text","score"}]}',
  ],
  options: {
    json: { type: 'boolean', default: false },
  },
  async run({ name, values, positionals, io, openKnowledgeBase }) {
    if (positionals[0] === STDIN) {
      if (positionals.length > 1) throw new UsageError(`${name}: "-" reads questions from stdin and takes no question beside it`);
      await answerEachLine(await openKnowledgeBase(), io);
      return;
    }
    if (positionals.length === 0) throw new UsageError(`${name}: missing question: ${name} "<question>", or ${name} - to read stdin`);
    // Unquoted words are one question: `ask how many peacekeepers` means what it says.
    const question = positionals.join(' ');
    const check = checkQuestion(question);
    if (!check.ok) throw new UsageError(`${name}: ${check.reason}`);

    const kb = await openKnowledgeBase();
    const answer = kb.ask(question);
    await write(io.stdout, values.json ? toJsonOutput(answerJson(answer)) : formatAnswer(answer, kb, io.style));
  },
});

/**
 * Batch mode: one JSON line out for each non-blank line in, in order, so a script can zip
 * questions with answers. A line that cannot be asked gets an error record, and the batch goes on.
 */
async function answerEachLine(kb: KnowledgeBase, io: CliIo): Promise<void> {
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const check = checkQuestion(line);
    const record = check.ok ? answerJson(kb.ask(line)) : askErrorJson(line, check.reason);
    await write(io.stdout, toJsonLine(record));
  }
}
