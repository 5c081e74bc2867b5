/**
 * A fresh process that starts from the saved index of the large corpus and answers one
 * question: what a restarted bot does. Prints one JSON line when the answer is ready; with
 * --questions FILE it then answers those (one per line) and prints its memory as a second line.
 *
 *   node --import tsx bench/ready.ts --cache DIR [--questions FILE]
 */
import '../src/runtime/heapTuning.ts';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { largeCorpusSource } from './largeCorpus.ts';
import { mb } from './measure.ts';
import { READY_QUESTION } from './queries.ts';


const { values } = parseArgs({ options: { cache: { type: 'string' }, questions: { type: 'string' } } });
const opening = performance.now();
const kb = await KnowledgeBase.openSource(largeCorpusSource(), { ...(values.cache ? { cacheDir: values.cache } : {}) });
const answer = kb.ask(READY_QUESTION);
// performance.now() counts from the start of the process.
const readyMs = performance.now();
process.stdout.write(
  `${JSON.stringify({ readyMs, openMs: readyMs - opening, bootMs: opening, loadedFromCache: kb.loadedFromCache, passage: answer.excerpts[0]?.passage })}\n`,
);

if (values.questions) {
  const questions = readFileSync(values.questions, 'utf8').split('\n').filter(Boolean);
  for (const question of questions) kb.ask(question);
  const memory = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ questions: questions.length, rssMb: mb(memory.rss), maxRssMb: process.resourceUsage().maxRSS / 1024, heapUsedMb: mb(memory.heapUsed) })}\n`,
  );
}
