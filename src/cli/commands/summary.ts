// From topic.ts, which summarize.ts re-exports it from: that module alone loads nothing heavy,
// so `help` can show the limit without loading the search stack.
import { MAX_TOPIC_LENGTH } from '../../summary/topic.ts';
import { defineCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { formatSummary } from '../format.ts';
import { write } from '../io.ts';
import { summaryJson, toJsonOutput } from '../json.ts';

export const summaryCommand = defineCommand({
  usage: ['summary [--topic WORDS] [--json]'],
  summary: 'summarize the article, or one topic of it, in a few cited sentences',
  details: [
    '--topic WORDS  only what the article says about these words, e.g. --topic peacekeepers',
    `               (at most ${MAX_TOPIC_LENGTH} characters; a topic the article hardly covers gets a note)`,
    '--json         print {"title","points":[{"text","passage","citation","document"}],"covered",',
    '               "note","topic","document"} ("note" only when not covered, "topic" when given)',
  ],
  options: {
    topic: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ name, values, positionals, io, openKnowledgeBase }) {
    if (positionals.length > 0) {
      throw new UsageError(`${name}: takes no arguments (got "${positionals.join(' ')}"); a topic goes after --topic`);
    }
    let topic: string | undefined;
    if (values.topic !== undefined) {
      topic = values.topic.replace(/\s+/g, ' ').trim();
      if (topic === '') throw new UsageError(`${name}: --topic needs words (leave it out to summarize the whole article)`);
      // Counted as a reader counts characters; the limit is the one the Discord option enforces.
      const length = [...topic].length;
      if (length > MAX_TOPIC_LENGTH) throw new UsageError(`${name}: the topic is ${length} characters long; the limit is ${MAX_TOPIC_LENGTH}`);
    }

    const [{ summarize }, kb] = await Promise.all([import('../../summary/summarize.ts'), openKnowledgeBase()]);
    // The story is the corpus's first article; named here so the JSON can say which was summarized.
    const document = kb.documents[0]?.id;
    const summary = summarize(kb.index, {
      english: kb.english,
      ...(topic === undefined ? {} : { topic }),
      ...(document === undefined ? {} : { document }),
    });
    await write(io.stdout, values.json ? toJsonOutput(summaryJson(summary, document)) : formatSummary(summary, io.style));
  },
});
