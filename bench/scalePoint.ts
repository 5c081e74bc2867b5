/**
 * One point of the cost-growth table, in a process of its own so that its memory is its own:
 * the summit article plus the first N−1 BBC articles, indexed and saved, then asked the
 * benchmark's questions (drawn from this corpus's passages). Prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/scalePoint.ts --documents N --cache DIR [--questions 1000] [--rounds 3]
 */
import { parseArgs } from 'node:util';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { EnglishFrequency } from '../src/search/englishFrequency.ts';
import { largeCorpusSource } from './largeCorpus.ts';
import { mb, timeEach } from './measure.ts';
import { benchQuestions } from './queries.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string' },
    cache: { type: 'string' },
    questions: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
  },
});
const documents = Number(values.documents);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// The word counts are the same at every size: loaded before the heap is measured.
const english = EnglishFrequency.load();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const kb = await KnowledgeBase.openSource(largeCorpusSource({ documents }), { english, rebuild: true, ...(values.cache ? { cacheDir: values.cache } : {}) });
gc();
const heapAfter = process.memoryUsage().heapUsed;
const passages = kb.documents.flatMap((d) => d.passages);
const questions = benchQuestions(passages, Number(values.questions));
const { ask } = timeEach(questions, Number(values.rounds), { ask: (q) => kb.ask(q) });

process.stdout.write(
  `${JSON.stringify({
    documents: kb.documents.length,
    passages: kb.index.passageCount,
    buildMs: kb.origin?.buildMs,
    loadMs: kb.origin?.loadMs,
    indexBytes: kb.origin?.savedBytes,
    heapMb: mb(heapAfter - heapBefore),
    rssMb: mb(process.memoryUsage().rss),
    ask,
  })}\n`,
);
