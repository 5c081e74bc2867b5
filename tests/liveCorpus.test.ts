import { copyFile, mkdir, mkdtemp, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { createLogger } from '../src/logger.ts';
import { isCorpusFile, watchCorpus, type LiveKnowledgeBase, type ReloadEvent, type WatchCorpusOptions } from '../src/runtime/corpusWatcher.ts';
import { openInChildProcess } from '../src/runtime/indexInChildProcess.ts';

const CORPUS = path.resolve(import.meta.dirname, '..', 'corpus');
const CORPUS_FILES = ['sochi-summit-2022-10-31.md', 'glossary.yaml'];
const DEBOUNCE_MS = 40;
const WAIT_MS = 10_000;

const ZORBLATT_QUESTION = 'Where was the Zorblatt accord signed?';

function article(sentence: string, frontMatter = 'published: 2022-11-02\n'): string {
  return `---\nid: zorblatt-accord\ntitle: "The Zorblatt accord"\n${frontMatter}---\n\n${sentence}\n`;
}

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

let base: string;
let dir: string;
let initial: KnowledgeBase;
let logText: string;
let live: LiveKnowledgeBase | undefined;
let loads: number;

function logLines(): LogLine[] {
  return logText
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogLine);
}

/** Starts the watcher on the temp corpus; `load` calls are counted. */
function start(options: Partial<WatchCorpusOptions> = {}): LiveKnowledgeBase {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  const load = options.load ?? ((d: string) => KnowledgeBase.open(d));
  live = watchCorpus({
    dir,
    initial,
    logger: createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, stream),
    debounceMs: DEBOUNCE_MS,
    ...options,
    load: (d, signal) => {
      loads += 1;
      return load(d, signal);
    },
  });
  return live;
}

/** The next reload notification that `accept`s, or a failure naming what came instead. */
function nextReload(watcher: LiveKnowledgeBase, accept: (event: ReloadEvent) => boolean = () => true): Promise<ReloadEvent> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching reload within ${WAIT_MS} ms; saw: ${seen.join(', ') || 'nothing'}`));
    }, WAIT_MS);
    const unsubscribe = watcher.onReload((event) => {
      seen.push(event.outcome);
      if (!accept(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}

const reloaded = (event: ReloadEvent) => event.outcome === 'reloaded';

function answerText(kb: KnowledgeBase, question: string): string | undefined {
  const answer = kb.ask(question);
  return answer.answered ? answer.excerpts.map((e) => e.text).join('\n') : undefined;
}

function allText(kb: KnowledgeBase): string {
  return kb.documents.flatMap((d) => d.passages.map((p) => p.text)).join('\n');
}

/**
 * Resolves once file events for `name` have been delivered in this process. libuv dispatches the
 * events of one folder to all its watchers together, so the corpus watcher has seen them too.
 */
function eventsDelivered(name: string): Promise<void> {
  const watcher = watch(dir);
  return new Promise<void>((resolve) => {
    watcher.on('change', (_event, file) => {
      if (file === name) {
        watcher.close();
        resolve();
      }
    });
  });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A load whose first call says it has begun (`entered`) and then waits for `release` before
 * loading: a rebuild held in the middle, for what happens meanwhile.
 */
function heldFirstLoad(): { load: (d: string) => Promise<KnowledgeBase>; entered: Promise<void>; release: () => void } {
  const entered = deferred();
  const gate = deferred();
  let calls = 0;
  const load = async (d: string) => {
    if (++calls === 1) {
      entered.resolve();
      await gate.promise;
    }
    return KnowledgeBase.open(d);
  };
  return { load, entered: entered.promise, release: gate.resolve };
}

/** Every reload notification from now on, in order. */
function recordReloads(watcher: LiveKnowledgeBase): ReloadEvent[] {
  const events: ReloadEvent[] = [];
  watcher.onReload((e) => events.push(e));
  return events;
}

beforeEach(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'summit-live-'));
  dir = path.join(base, 'corpus');
  await mkdir(dir);
  for (const name of CORPUS_FILES) await copyFile(path.join(CORPUS, name), path.join(dir, name));
  initial = await KnowledgeBase.open(dir);
  logText = '';
  loads = 0;
  live = undefined;
});

afterEach(async () => {
  await live?.close();
  await rm(base, { recursive: true, force: true });
});

describe('live corpus updates', () => {
  it('picks up an added, a changed and a removed article', async () => {
    const watcher = start();
    expect(watcher.current()).toBe(initial);
    expect(answerText(initial, ZORBLATT_QUESTION)).toBeUndefined();
    const file = path.join(dir, 'zorblatt.md');

    // Added.
    let reload = nextReload(watcher, reloaded);
    await writeFile(file, article('The Zorblatt accord was signed in Tbilisi.'));
    let event = await reload;
    expect(event).toMatchObject({ outcome: 'reloaded', documents: 2 });
    expect(watcher.current()).not.toBe(initial);
    expect(watcher.current().documents).toHaveLength(2);
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Tbilisi');
    const info = logLines().find((l) => l.msg === 'corpus reloaded');
    expect(info).toMatchObject({ level: 30, documents: 2, dir });
    expect(info?.['passages']).toBe(initial.documents[0]!.passages.length + 1);
    expect(info?.['durationMs']).toEqual(expect.any(Number));

    // Changed.
    reload = nextReload(watcher, reloaded);
    await writeFile(file, article('The Zorblatt accord was signed in Yerevan.'));
    event = await reload;
    expect(event).toMatchObject({ outcome: 'reloaded', documents: 2 });
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Yerevan');
    expect(allText(watcher.current())).not.toContain('Tbilisi');

    // Removed.
    reload = nextReload(watcher, reloaded);
    await unlink(file);
    event = await reload;
    expect(event).toMatchObject({ outcome: 'reloaded', documents: 1 });
    expect(watcher.current().documents.map((d) => d.id)).toEqual(['sochi-summit-2022-10-31']);
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toBeUndefined();
  });

  it('keeps the previous index serving when a file fails validation, logs file, line and reason, and recovers once it is fixed', async () => {
    const watcher = start();
    const file = path.join(dir, 'zorblatt.md');

    const rejected = nextReload(watcher, (e) => e.outcome === 'rejected');
    await writeFile(file, article('The Zorblatt accord was signed in Tbilisi.', ''));
    const event = await rejected;
    expect(event).toMatchObject({ outcome: 'rejected', problems: [{ file, line: 2, reason: 'missing field "published"' }] });
    expect(watcher.current()).toBe(initial);
    expect(answerText(watcher.current(), 'Who attended the talks in Sochi?')).toContain('Putin');

    const error = logLines().find((l) => l.level === 50);
    expect(error).toMatchObject({ msg: expect.stringContaining('still serving the previous index'), problems: [{ file, line: 2, reason: 'missing field "published"' }] });

    const fixed = nextReload(watcher, reloaded);
    await writeFile(file, article('The Zorblatt accord was signed in Tbilisi.'));
    await fixed;
    expect(watcher.current().documents).toHaveLength(2);
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Tbilisi');
  });

  it('keeps answering while a rebuild runs, and requests during it make exactly one more rebuild', async () => {
    const held = heldFirstLoad();
    const watcher = start({ load: held.load });
    const events = recordReloads(watcher);

    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    await held.entered;
    // Mid-rebuild: the old knowledge base answers.
    expect(watcher.current()).toBe(initial);
    expect(answerText(watcher.current(), 'Who attended the talks in Sochi?')).toContain('Putin');
    const requests = [watcher.reload(), watcher.reload(), watcher.reload()];
    held.release();
    await Promise.all(requests);
    await watcher.settled();

    expect(loads).toBe(2);
    expect(events.map((e) => e.outcome)).toEqual(['reloaded', 'reloaded']);
    expect(events.map((e) => (e.outcome === 'reloaded' ? e.generation : 0))).toEqual([1, 2]);
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Tbilisi');
  });

  it('coalesces a burst of writes into one rebuild that sees the last one', async () => {
    const watcher = start({ debounceMs: 150 });
    const file = path.join(dir, 'zorblatt.md');
    const reload = nextReload(watcher, (e) => e.outcome === 'reloaded' && allText(e.knowledgeBase).includes('version 20.'));
    for (let i = 1; i <= 20; i += 1) await writeFile(file, article(`The Zorblatt accord was signed in Tbilisi, version ${i}.`));
    await reload;
    await watcher.settled();
    // One, unless the machine stalled for longer than the debounce in the middle of the burst.
    expect(loads).toBeGreaterThanOrEqual(1);
    expect(loads).toBeLessThanOrEqual(2);
    expect(allText(watcher.current())).toContain('version 20.');
  });

  it('ignores editor temp files, dotfiles and files that are not part of the corpus', async () => {
    const watcher = start();
    const delivered = eventsDelivered('notes.txt');
    for (const name of ['.#zorblatt.md', 'zorblatt.md~', '.zorblatt.md.swp', '.index-cache', '4913', 'notes.txt']) {
      await writeFile(path.join(dir, name), 'not an article');
    }
    await delivered;
    await watcher.settled();
    expect(loads).toBe(0);
    expect(watcher.current()).toBe(initial);

    expect(['a.md', 'glossary.yaml', 'glossary.yml', 'glossary.json'].every(isCorpusFile)).toBe(true);
    expect(['.a.md', '.#a.md', 'a.md~', 'a.md.swp', '.a.md.swp', 'a.txt', '.summit-index.json'].some(isCorpusFile)).toBe(false);
  });

  it('keeps serving when the folder disappears, and reloads when it is back', async () => {
    const watcher = start({ folderCheckMs: 50 });
    const missing = nextReload(watcher, (e) => e.outcome === 'folder-missing');
    await rm(dir, { recursive: true });
    await missing;
    expect(watcher.current()).toBe(initial);
    expect(answerText(watcher.current(), 'Who attended the talks in Sochi?')).toContain('Putin');
    expect(logLines().find((l) => l.level === 50)).toMatchObject({ dir, msg: expect.stringContaining('still serving the last index') });

    const back = nextReload(watcher, reloaded);
    await mkdir(dir);
    for (const name of CORPUS_FILES) await copyFile(path.join(CORPUS, name), path.join(dir, name));
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    const event = await back;
    expect(event).toMatchObject({ documents: 2 });
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Tbilisi');

    // And it watches the new folder.
    const changed = nextReload(watcher, reloaded);
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Yerevan.'));
    await changed;
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Yerevan');
  });

  it('follows the folder when another one takes its place (a swapped symlink)', async () => {
    // corpus -> v1, as a deployment that swaps releases would have it.
    const v1 = path.join(base, 'v1');
    await rename(dir, v1);
    await symlink(v1, dir);
    initial = await KnowledgeBase.open(dir);
    const watcher = start({ folderCheckMs: 50 });

    const v2 = path.join(base, 'v2');
    await mkdir(v2);
    for (const name of CORPUS_FILES) await copyFile(path.join(CORPUS, name), path.join(v2, name));
    await writeFile(path.join(v2, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    const swapped = nextReload(watcher, reloaded);
    await symlink(v2, path.join(base, 'corpus.next'));
    await rename(path.join(base, 'corpus.next'), dir);
    expect(await swapped).toMatchObject({ documents: 2 });

    // The watcher now follows v2, not v1.
    const changed = nextReload(watcher, reloaded);
    await writeFile(path.join(v2, 'zorblatt.md'), article('The Zorblatt accord was signed in Yerevan.'));
    await changed;
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Yerevan');
  });

  it('drops a rebuild that finishes after close, and stops watching', async () => {
    const held = heldFirstLoad();
    const watcher = start({ load: held.load });
    const events = recordReloads(watcher);
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    await held.entered;
    const closing = watcher.close();
    held.release();
    await closing;
    expect(watcher.current()).toBe(initial);
    expect(events).toEqual([]);

    const delivered = eventsDelivered('zorblatt.md');
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Yerevan.'));
    await delivered;
    await watcher.settled();
    expect(loads).toBe(1);
  });

  it('logs a rebuild that fails for another reason and keeps serving', async () => {
    const watcher = start({ load: () => Promise.reject(new Error('disk on fire')) });
    const failed = nextReload(watcher, (e) => e.outcome === 'failed');
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    await failed;
    expect(watcher.current()).toBe(initial);
    expect(logLines().find((l) => l.level === 50)).toMatchObject({ err: { message: 'disk on fire' }, msg: expect.stringContaining('could not be rebuilt') });
  });
});

describe('rebuilt in a child process (as the bot does)', () => {
  const CHILD = new URL('../src/runtime/indexChild.ts', import.meta.url);
  let warnings: { details: object; message: string }[];
  const logger = { warn: (details: object, message: string) => warnings.push({ details, message }) };
  const inChild =
    (entry = CHILD) =>
    (d: string, signal?: AbortSignal) =>
      openInChildProcess(d, { entry, cacheDir: path.join(base, 'cache'), logger, ...(signal ? { signal } : {}) });
  beforeEach(() => {
    warnings = [];
  });

  it('swaps in the index the child built and saved, and rejects a broken file with its file, line and reason', async () => {
    const watcher = start({ load: inChild() });
    const file = path.join(dir, 'zorblatt.md');

    const added = nextReload(watcher, reloaded);
    await writeFile(file, article('The Zorblatt accord was signed in Tbilisi.'));
    await added;
    // Read from the index the child saved: this process did not build it.
    expect(watcher.current().origin?.status).toBe('loaded');
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Tbilisi');

    const rejected = nextReload(watcher, (e) => e.outcome === 'rejected');
    await writeFile(file, article('The Zorblatt accord was signed in Yerevan.', ''));
    expect(await rejected).toMatchObject({ problems: [{ file, line: 2, reason: 'missing field "published"' }] });
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Tbilisi');

    const fixed = nextReload(watcher, reloaded);
    await writeFile(file, article('The Zorblatt accord was signed in Yerevan.'));
    await fixed;
    expect(watcher.current().origin?.status).toBe('loaded');
    expect(answerText(watcher.current(), ZORBLATT_QUESTION)).toContain('Yerevan');
    expect(warnings).toEqual([]);
  });

  it('stops the child when the watcher closes mid-rebuild, and builds nothing in its place', async () => {
    const outcomes: Promise<string>[] = [];
    const started = deferred();
    const watcher = start({
      load: (d, signal) => {
        const loading = inChild()(d, signal);
        outcomes.push(loading.then(() => 'built', (error: Error) => error.name));
        started.resolve();
        return loading;
      },
    });
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    await started.promise;
    await watcher.close();
    expect(await Promise.all(outcomes)).toEqual(['AbortError']);
    expect(watcher.current()).toBe(initial);
    expect(warnings).toEqual([]);
  });

  it('builds here, and says so, when the child cannot run', async () => {
    const missing = new URL('../src/runtime/no-such-child.ts', import.meta.url);
    await writeFile(path.join(dir, 'zorblatt.md'), article('The Zorblatt accord was signed in Tbilisi.'));
    const kb = await inChild(missing)(dir);
    expect(kb.origin?.status).toBe('built');
    expect(answerText(kb, ZORBLATT_QUESTION)).toContain('Tbilisi');
    expect(warnings).toEqual([{ details: expect.objectContaining({ dir, reason: expect.stringMatching(/exited \(code 1\) without a report/) }), message: 'the index could not be built in a child process; building it here' }]);
  });
});
