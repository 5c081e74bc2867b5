import { statSync, watch, type FSWatcher, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CorpusErrors } from '../corpus/errors.ts';
import { GLOSSARY_FILES } from '../corpus/loadCorpus.ts';
import { KnowledgeBase } from '../knowledgeBase.ts';
import type { Logger } from '../logger.ts';

/**
 * Live corpus updates: while the bot runs, a file added to, changed in or removed from the corpus
 * folder rebuilds the knowledge base in the background, and the new one is swapped in with a single
 * assignment. Interactions read `current()` once each, so an answer is never computed from half of
 * one corpus and half of another. A corpus that fails validation leaves the previous one serving.
 */

export interface CorpusProblem {
  readonly file: string;
  readonly line: number | null;
  readonly reason: string;
}

export type ReloadEvent =
  | {
      readonly outcome: 'reloaded';
      readonly generation: number;
      readonly knowledgeBase: KnowledgeBase;
      readonly documents: number;
      readonly passages: number;
      readonly durationMs: number;
      /** Main-thread time spent during the rebuild: an upper bound on how long any answer waited. */
      readonly busyMs: number;
    }
  | { readonly outcome: 'rejected'; readonly generation: number; readonly problems: readonly CorpusProblem[]; readonly durationMs: number }
  | { readonly outcome: 'failed'; readonly generation: number; readonly error: unknown; readonly durationMs: number }
  /** The folder is gone (or unreadable); the last index keeps serving until it is back. */
  | { readonly outcome: 'folder-missing'; readonly dir: string };

export interface LiveKnowledgeBase {
  /** The knowledge base to answer from now. Read it once per interaction. */
  current(): KnowledgeBase;
  /** Called after every rebuild attempt (and when the folder goes missing). Returns an unsubscribe. */
  onReload(listener: (event: ReloadEvent) => void): () => void;
  /** Rebuilds now, without waiting for a file change; coalesced with any rebuild already running. */
  reload(): Promise<void>;
  /** Resolves once no change is waiting out the debounce and no rebuild is running. */
  settled(): Promise<void>;
  /** Stops watching. A rebuild still running is told to stop (its `load` may end early) and is not swapped in. */
  close(): Promise<void>;
}

export interface WatchCorpusOptions {
  readonly dir: string;
  /** The knowledge base already loaded from `dir`: it serves until a rebuild succeeds. */
  readonly initial: KnowledgeBase;
  readonly logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Quiet time after the last change before rebuilding: editors save in several steps. */
  readonly debounceMs?: number;
  /**
   * How often the folder itself is checked: gone, back, or replaced (a renamed folder or a swapped
   * symlink, which the file watcher cannot see).
   */
  readonly folderCheckMs?: number;
  /** Builds the knowledge base; `signal` aborts when the watcher is closed meanwhile. */
  readonly load?: (dir: string, signal: AbortSignal) => Promise<KnowledgeBase>;
}

export const DEFAULT_DEBOUNCE_MS = 300;
export const DEFAULT_FOLDER_CHECK_MS = 2_000;

/** Whether a change to `name` (a file in the corpus folder) can change the knowledge base. */
export function isCorpusFile(name: string): boolean {
  if (name.startsWith('.')) return false; // dotfiles, editor locks (.#x.md), swap files (.x.md.swp), caches
  return name.endsWith('.md') || (GLOSSARY_FILES as readonly string[]).includes(name);
}

export function corpusProblems(error: CorpusErrors): CorpusProblem[] {
  return error.errors.map((e) => ({ file: e.file, line: e.line ?? null, reason: e.reason }));
}

type FolderState = 'same' | 'changed' | 'missing';

interface FolderIdentity {
  readonly dev: number;
  readonly ino: number;
}

function folderIdentity(info: Stats): FolderIdentity {
  if (!info.isDirectory()) throw Object.assign(new Error('the corpus path is not a folder'), { code: 'ENOTDIR' });
  return { dev: info.dev, ino: info.ino };
}

export function watchCorpus(options: WatchCorpusOptions): LiveKnowledgeBase {
  const { dir, logger } = options;
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const folderCheckMs = options.folderCheckMs ?? DEFAULT_FOLDER_CHECK_MS;
  const load = options.load ?? ((d: string) => KnowledgeBase.open(d));
  const folderName = path.basename(path.resolve(dir));

  let knowledgeBase = options.initial;
  let closed = false;
  /** Aborted by close(): a rebuild still running is not wanted any more. */
  const closing = new AbortController();
  /** Incremented when a rebuild starts; a result older than the one last swapped in is dropped. */
  let started = 0;
  let applied = 0;
  let running: Promise<void> | undefined;
  let dirty = false;
  let debounce: NodeJS.Timeout | undefined;
  let fsWatcher: FSWatcher | undefined;
  /** The folder last seen at `dir`: a different inode at the same path is a new folder. */
  let folder: FolderIdentity | undefined;
  let missing = false;
  let checking: Promise<FolderState> | undefined;
  const listeners = new Set<(event: ReloadEvent) => void>();
  let idleWaiters: (() => void)[] = [];

  const emit = (event: ReloadEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        logger.error({ err: error }, 'a corpus reload listener failed');
      }
    }
  };

  const notifyIdle = () => {
    if (debounce !== undefined || running !== undefined) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const schedule = () => {
    if (closed) return;
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      void requestRebuild();
    }, debounceMs);
    debounce.unref();
  };

  const stopFsWatcher = () => {
    fsWatcher?.close();
    fsWatcher = undefined;
  };

  const startFsWatcher = () => {
    stopFsWatcher();
    try {
      // Not persistent: the watcher alone never keeps the process running.
      const w = watch(dir, { persistent: false }, (_event, name) => {
        // No name: something changed, we do not know what. The folder's own name: it was moved or deleted.
        if (name === null || name === folderName || isCorpusFile(name)) schedule();
      });
      w.on('error', (error) => {
        logger.warn({ err: error, dir }, 'the corpus folder watcher failed; checking the folder');
        if (fsWatcher === w) stopFsWatcher();
        schedule();
      });
      fsWatcher = w;
    } catch (error) {
      logger.warn({ err: error, dir }, 'cannot watch the corpus folder; checking it every few seconds instead');
    }
  };

  const folderGone = (error: unknown) => {
    stopFsWatcher();
    if (missing) return;
    missing = true;
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    logger.error({ dir, code }, 'the corpus folder is gone or unreadable; still serving the last index');
    emit({ outcome: 'folder-missing', dir });
  };

  /**
   * Makes the file watcher follow the folder at `dir`: 'changed' when the folder has come back or
   * another folder took its place (a rename, a swapped symlink), which calls for a rebuild.
   */
  const checkFolder = (): Promise<FolderState> => {
    // One check at a time: the periodic check and a rebuild may ask together.
    checking ??= inspectFolder().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const inspectFolder = async (): Promise<FolderState> => {
    let identity: FolderIdentity;
    try {
      identity = folderIdentity(await stat(dir));
    } catch (error) {
      if (!closed) folderGone(error);
      return 'missing';
    }
    if (closed) return 'same';
    const changed = missing || folder === undefined || folder.dev !== identity.dev || folder.ino !== identity.ino;
    if (missing) logger.info({ dir }, 'the corpus folder is back');
    else if (changed) logger.info({ dir }, 'the corpus folder was replaced; watching the new one');
    missing = false;
    folder = identity;
    if (changed || fsWatcher === undefined) startFsWatcher();
    return changed ? 'changed' : 'same';
  };

  const rebuildOnce = async () => {
    const generation = ++started;
    const t0 = performance.now();
    const elu0 = performance.eventLoopUtilization();
    try {
      const next = await load(dir, closing.signal);
      const durationMs = Math.round(performance.now() - t0);
      const busyMs = Math.round(performance.eventLoopUtilization(elu0).active);
      if (closed || generation < applied) {
        logger.debug({ generation, applied }, 'a superseded corpus rebuild was dropped');
        return;
      }
      applied = generation;
      knowledgeBase = next; // the swap: interactions that already hold the old one finish with it
      const documents = next.documents.length;
      const passages = next.documents.reduce((n, d) => n + d.passages.length, 0);
      logger.info({ dir, generation, documents, passages, durationMs, busyMs }, 'corpus reloaded');
      emit({ outcome: 'reloaded', generation, knowledgeBase: next, documents, passages, durationMs, busyMs });
    } catch (error) {
      if (closed) return;
      const durationMs = Math.round(performance.now() - t0);
      if (error instanceof CorpusErrors) {
        const problems = corpusProblems(error);
        logger.error({ dir, generation, problems, durationMs }, 'the changed corpus is invalid; still serving the previous index');
        emit({ outcome: 'rejected', generation, problems, durationMs });
      } else {
        logger.error({ err: error, dir, generation, durationMs }, 'the corpus could not be rebuilt; still serving the previous index');
        emit({ outcome: 'failed', generation, error, durationMs });
      }
    }
  };

  const rebuildLoop = async () => {
    do {
      dirty = false;
      if ((await checkFolder()) !== 'missing') await rebuildOnce();
    } while (dirty && !closed);
  };

  /** Coalesces: while a rebuild runs, any number of requests make exactly one more after it. */
  const requestRebuild = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running !== undefined) {
      dirty = true;
      return running;
    }
    const run = rebuildLoop()
      .catch((error: unknown) => logger.error({ err: error, dir }, 'the corpus watcher failed'))
      .finally(() => {
        running = undefined;
        notifyIdle();
      });
    running = run;
    return run;
  };

  // The folder check also catches what inotify cannot: the folder replaced under the same path.
  const folderTimer = setInterval(() => {
    if (closed || running !== undefined) return;
    checkFolder()
      .then((state) => {
        if (state === 'changed') schedule();
      })
      .catch((error: unknown) => logger.error({ err: error, dir }, 'the corpus folder check failed'));
  }, folderCheckMs);
  folderTimer.unref();

  // The folder the initial knowledge base was read from: watched from now on, not rebuilt.
  try {
    folder = folderIdentity(statSync(dir));
    startFsWatcher();
  } catch (error) {
    folderGone(error);
  }
  logger.info({ dir, debounceMs }, 'watching the corpus folder for changes');

  return {
    current: () => knowledgeBase,
    onReload(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reload: () => {
      if (debounce !== undefined) clearTimeout(debounce);
      debounce = undefined;
      return requestRebuild();
    },
    settled: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIdle();
      }),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(folderTimer);
      if (debounce !== undefined) clearTimeout(debounce);
      debounce = undefined;
      stopFsWatcher();
      listeners.clear();
      closing.abort();
      await running;
      notifyIdle();
    },
  };
}
