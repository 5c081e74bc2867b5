/**
 * The search benchmark: `npm run bench` prints tables; `npm run --silent bench -- --json` prints
 * one JSON object as its last line (progress goes to stderr).
 *
 * - article: the summit article alone; `ask` p50/p99 over the evaluation set and phrases drawn
 *   from its passages, with Lunr on the same passages and questions beside it.
 * - large: the article beside the 2,225 BBC News articles ($LARGE_CORPUS_DIR): build, hit@1 of
 *   the evaluation set, `ask` against Lunr, the time a fresh process takes from start to its
 *   first answer from the saved index, and that process's resident memory once it has answered
 *   every question.
 * - growth: build time, saved index size, memory and `ask` p50/p99 at 1, 10, 100, 1,000 and
 *   2,226 documents, each in a process of its own.
 * - live rebuild: the large corpus as a corpus folder, one article changed, rebuilt in the
 *   bot's process and in a child process: time to the new index, and the longest event-loop
 *   stall meanwhile (bench/liveRebuild.ts).
 *
 * Options: --rounds N (measured passes over the questions, and rebuilds, default 3), --questions N
 * (default 1,000), --starts N (fresh processes timed, default 5), --no-growth, --no-live.
 * The HTTP endpoint has its own load test: bench/interactionsLoad.ts.
 *
 * `npm run bench` first bundles this benchmark with the code it measures (`tsx scripts/build.ts
 * bench`) and runs it with plain Node, as `npm start` runs the bot: the figures are those of the
 * code users run, without tsx's loader and its per-closure helpers.
 */
// The process times `ask` as the bot runs it: with the bot's heap settings.
import '../src/runtime/heapTuning.ts';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { PROJECT_ROOT } from '../src/projectRoot.ts';
import { childEntry } from '../src/runtime/typescriptChild.ts';
import { evaluate, loadEvalQuestions } from '../tests/eval/evaluate.ts';
import { ARTICLE_DIR, largeCorpusDir, largeCorpusSource, writeLargeCorpusFolder } from './largeCorpus.ts';
import { buildLunr, searchLunr } from './lunrPeer.ts';
import { machine, mb, percentiles, round, table, timeEach, type Percentiles } from './measure.ts';
import { benchQuestions, READY_QUESTION } from './queries.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    questions: { type: 'string', default: '1000' },
    starts: { type: 'string', default: '5' },
    'no-growth': { type: 'boolean', default: false },
    'no-live': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(values.rounds);
const QUESTIONS = Number(values.questions);
const STARTS = Number(values.starts);
const GROWTH_SIZES = [1, 10, 100, 1000, 2226] as const;
/** The saved index the fresh processes start from: gitignored, like the bot's. */
const BENCH_CACHE = path.join(PROJECT_ROOT, '.cache', 'bench');

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
const ms = (x: number) => round(x, x < 10 ? 3 : 1);

/**
 * Runs one of the benchmark's other scripts in a fresh Node process, as this one runs, line by
 * line: bundled beside this one in dist/bench/ under `npm run bench`, the TypeScript source under
 * tsx (`tsx bench/main.ts`, whose timings then include tsx's overhead).
 */
function runScript(script: string, args: readonly string[], nodeFlags: readonly string[] = []) {
  const file = fileURLToPath(childEntry(import.meta.url, `./${script}.ts`, script));
  return runNode([...nodeFlags, ...process.execArgv, file, ...args]);
}

/** Runs Node with these arguments, collecting its output lines with the time each arrived. */
function runNode(args: readonly string[]) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: { line: string; at: number }[] = [];
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      lines.push({ line: buffer.slice(0, nl), at: performance.now() - started });
      buffer = buffer.slice(nl + 1);
    }
  });
  return new Promise<{ line: string; at: number }[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(lines) : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

const json = <T>(line: { line: string } | undefined): T => JSON.parse(line?.line ?? 'null') as T;

/**
 * Starts the bot's console (no token) on `corpus` with its index saved in `cache`, asks the
 * ready question, and returns the milliseconds from spawn to the answer's citation on stdout.
 */
async function timeBotAnswer(corpus: string, cache: string): Promise<number> {
  const bot = fileURLToPath(childEntry(import.meta.url, '../src/main.ts', 'bot'));
  const env: NodeJS.ProcessEnv = { ...process.env, CORPUS_DIR: corpus, INDEX_CACHE_DIR: cache };
  delete env['DISCORD_TOKEN'];
  delete env['INTERACTIONS_PORT'];
  const started = performance.now();
  // Run from the corpus's folder: a developer's .env in the project (a real token) is not read.
  const child = spawn(process.execPath, [...process.execArgv, bot], { cwd: path.dirname(corpus), env, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.end(`${READY_QUESTION}\n`);
  let output = '';
  let answeredAt: number | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (answeredAt === undefined && output.includes('¶27')) answeredAt = performance.now() - started;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0 || answeredAt === undefined) throw new Error(`the bot exited with ${code} without the ¶27 answer:\n${output}`);
  return answeredAt;
}

// The article alone.
progress('the article');
// Heap growth across loading and indexing the article: what one article costs the process.
const articleHeapBefore = process.memoryUsage().heapUsed;
const article = await KnowledgeBase.open(ARTICLE_DIR, { cacheDir: false });
const articleHeapBytes = process.memoryUsage().heapUsed - articleHeapBefore;
const articlePassages = article.documents.flatMap((d) => d.passages);
const articleQuestions = benchQuestions(articlePassages, QUESTIONS);
const articleLunr = buildLunr(article.documents);
const articleTimes = timeEach(articleQuestions, ROUNDS, { ask: (q) => article.ask(q), lunr: (q) => searchLunr(articleLunr, q) });

// The large corpus.
progress(`the large corpus (${largeCorpusDir()}): loading, indexing, saving`);
const large = await KnowledgeBase.openSource(largeCorpusSource(), { cacheDir: BENCH_CACHE, rebuild: true, onCacheProblem: progress });
if (!large.origin?.savedBytes) throw new Error('the large index was not saved: the start-up measurement needs it');
const largePassages = large.documents.flatMap((d) => d.passages);
const hit1 = evaluate(loadEvalQuestions(), (q) => large.ask(q)).hit1;
progress('Lunr over the same passages');
const lunrStarted = performance.now();
const largeLunr = buildLunr(large.documents);
const lunrBuildMs = performance.now() - lunrStarted;
const largeQuestions = benchQuestions(largePassages, QUESTIONS);
progress(`${largeQuestions.length} questions × ${ROUNDS} rounds, ask and Lunr in turn`);
const largeTimes = timeEach(largeQuestions, ROUNDS, { ask: (q) => large.ask(q), lunr: (q) => searchLunr(largeLunr, q) });

progress(`${STARTS} fresh processes starting from the saved index`);
// Under `npm run bench` the fresh processes run bundled, as `npm start` runs the bot: plain Node,
// no TypeScript compiler at start-up.
const runReady = (args: readonly string[]) => runScript('ready', args);
const scratch = await mkdtemp(path.join(tmpdir(), 'summit-bench-'));
const starts: { readyMs: number; childReadyMs: number; openMs: number }[] = [];
for (let i = 0; i < STARTS; i++) {
  const [ready] = await runReady(['--cache', BENCH_CACHE]);
  const report = json<{ readyMs: number; openMs: number; loadedFromCache: boolean }>(ready);
  if (!report.loadedFromCache) throw new Error('the fresh process did not start from the saved index');
  starts.push({ readyMs: ready?.at ?? NaN, childReadyMs: report.readyMs, openMs: report.openMs });
}
// The bot itself, as `npm start` runs it (src/main.ts, bundled), in its console, over the large
// corpus written as a corpus folder of 2,226 files: from spawn to the answer on its stdout. The
// first start builds and saves the index; the next ones are timed.
progress(`${STARTS} fresh starts of the bot itself, over the large corpus as a folder`);
const botCorpus = path.join(scratch, 'bot-corpus');
await writeLargeCorpusFolder(botCorpus);
const botCache = path.join(scratch, 'bot-cache');
await timeBotAnswer(botCorpus, botCache);
const botStarts: number[] = [];
for (let i = 0; i < STARTS; i++) botStarts.push(await timeBotAnswer(botCorpus, botCache));
const botReadyMs = percentiles(botStarts);

const questionFile = path.join(scratch, 'questions.txt');
await writeFile(questionFile, `${largeQuestions.join('\n')}\n`);
const [, served] = await runReady(['--cache', BENCH_CACHE, '--questions', questionFile]);
const memory = json<{ rssMb: number; maxRssMb: number; heapUsedMb: number }>(served);
const readyMs = percentiles(starts.map((s) => s.readyMs));

// Growth.
const growth: { documents: number; passages: number; buildMs: number; indexBytes: number; heapMb: number; rssMb: number; ask: Percentiles }[] = [];
if (!values['no-growth']) {
  for (const documents of GROWTH_SIZES) {
    progress(`growth: ${documents} document${documents === 1 ? '' : 's'}`);
    const [point] = await runScript(
      'scalePoint',
      ['--documents', String(documents), '--cache', path.join(scratch, 'growth'), '--questions', String(QUESTIONS), '--rounds', String(ROUNDS)],
      ['--expose-gc'],
    );
    growth.push(json(point));
  }
}
await rm(scratch, { recursive: true, force: true });

// Live rebuilds.
type LiveRebuild = { documents: number; rounds: number; results: Record<string, { rebuild: Percentiles; stall: Percentiles }> };
let live: LiveRebuild | undefined;
if (!values['no-live']) {
  progress('live rebuild: the large corpus as a folder, rebuilt in process and in a child process');
  const [line] = await runScript('liveRebuild', ['--rounds', String(ROUNDS)]);
  live = json<LiveRebuild>(line);
}

const result = {
  article: {
    passages: articlePassages.length,
    askP50Ms: ms(articleTimes.ask!.p50),
    askP99Ms: ms(articleTimes.ask!.p99),
    loadMs: Math.round(article.origin?.loadMs ?? NaN),
    buildMs: Math.round(article.origin?.buildMs ?? NaN),
    heapMb: Math.round(mb(articleHeapBytes) * 10) / 10,
  },
  large: {
    documents: large.documents.length,
    passages: large.index.passageCount,
    askP50Ms: ms(largeTimes.ask!.p50),
    askP99Ms: ms(largeTimes.ask!.p99),
    lunrP50Ms: ms(largeTimes.lunr!.p50),
    lunrP99Ms: ms(largeTimes.lunr!.p99),
    buildMs: Math.round(large.origin.buildMs ?? NaN),
    readyMs: Math.round(readyMs.p50),
    botReadyMs: Math.round(botReadyMs.p50),
    rssMb: round(memory.maxRssMb, 1),
    hit1: round(hit1, 3),
  },
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const host = machine();
  const row = (name: string, p: Percentiles) => [name, p.count, ms(p.p50), ms(p.p99), ms(p.max)];
  const out = [
    `Machine: ${host.cpus} CPUs, ${host.cpu}, Node ${host.node}, load average ${host.load}`,
    '',
    `Article: ${articlePassages.length} passages, ${articleQuestions.length} questions × ${ROUNDS} rounds (ms)`,
    table(['', 'n', 'p50', 'p99', 'max'], [row('ask', articleTimes.ask!), row('Lunr', articleTimes.lunr!)]),
    `Article index: read + validate ${result.article.loadMs} ms, build ${result.article.buildMs} ms, heap +${result.article.heapMb} MB`,
    '',
    `Large: ${large.documents.length} documents, ${large.index.passageCount} passages, ${largeQuestions.length} questions × ${ROUNDS} rounds (ms)`,
    table(['', 'n', 'p50', 'p99', 'max'], [row('ask', largeTimes.ask!), row('Lunr', largeTimes.lunr!)]),
    '',
    table(
      ['large corpus', 'value'],
      [
        ['hit@1 of the evaluation set', `${(hit1 * 100).toFixed(1)}%`],
        ['read + validate the corpus (ms)', Math.round(large.origin.loadMs ?? NaN)],
        ['build the index (ms)', Math.round(large.origin.buildMs ?? NaN)],
        ['Lunr build (ms)', Math.round(lunrBuildMs)],
        ['saved index (MB)', round(mb(large.origin.savedBytes), 1)],
        [`start to first answer, saved index (ms, median of ${STARTS})`, Math.round(readyMs.p50)],
        ['  each start (ms)', starts.map((s) => Math.round(s.readyMs)).join(' ')],
        ['  of which opening the knowledge base (ms, median)', Math.round(percentiles(starts.map((s) => s.openMs)).p50)],
        [`the bot itself (npm start's code, console, corpus folder): start to first answer (ms, median of ${STARTS})`, Math.round(botReadyMs.p50)],
        ['  each start (ms)', botStarts.map(Math.round).join(' ')],
        [`resident memory after ${largeQuestions.length} questions (MB, peak)`, round(memory.maxRssMb, 1)],
      ],
    ),
  ];
  if (growth.length > 0) {
    out.push(
      '',
      `Growth: summit article + the first N−1 BBC articles; ${QUESTIONS} questions × ${ROUNDS} rounds each`,
      table(
        ['documents', 'passages', 'build ms', 'index MB', 'heap MB', 'RSS MB', 'ask p50 ms', 'ask p99 ms'],
        growth.map((g) => [g.documents, g.passages, Math.round(g.buildMs), round(mb(g.indexBytes), 2), round(g.heapMb, 1), round(g.rssMb, 1), ms(g.ask.p50), ms(g.ask.p99)]),
      ),
    );
  }
  if (live) {
    out.push(
      '',
      `Live rebuild: ${live.documents} documents as a corpus folder, one article changed, ${live.rounds} rebuilds each way (ms)`,
      table(
        ['rebuilt', 'new index p50', 'max', 'longest stall p50', 'max'],
        Object.entries(live.results).map(([way, r]) => [way, Math.round(r.rebuild.p50), Math.round(r.rebuild.max), Math.round(r.stall.p50), Math.round(r.stall.max)]),
      ),
    );
  }
  process.stdout.write(`${out.join('\n')}\n\n${JSON.stringify(result)}\n`);
}
