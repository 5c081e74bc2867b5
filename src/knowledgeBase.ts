import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Corpus } from './corpus/loadCorpus.ts';
import type { Document, Passage } from './corpus/types.ts';
import { Analyzer } from './search/analyzer.ts';
import { ask, type Answer, type SearchContext } from './search/ask.ts';
import { EnglishFrequency } from './search/englishFrequency.ts';
import { PassageIndex, type PassageIndexData } from './search/passageIndex.ts';
import { cacheFileFor, DEFAULT_CACHE_DIR, fingerprint, parseSavedIndex, readSavedFile, STALE, writeSavedIndex } from './search/persistedIndex.ts';

/** Where a corpus comes from: the files that make it (for the fingerprint) and how to read them. */
export interface CorpusSource {
  /** The folder document paths are relative to in a saved index. */
  readonly root: string;
  /** Tells apart saved indexes of different corpora under the same root. */
  readonly name: string;
  /** Every file the corpus is read from: their content decides whether a saved index is current. */
  files(): Promise<string[]>;
  /** Reads and validates the corpus; throws CorpusErrors for a bad one. */
  load(): Promise<Corpus>;
}

export interface OpenOptions {
  /** Folder for the saved index; `false` neither reads nor writes one. Default: `.cache/index/` in the project. */
  readonly cacheDir?: string | false;
  /** Build afresh even when the saved index is current, and save the result. */
  readonly rebuild?: boolean;
  /**
   * Told when a saved index cannot be used (corrupt, unreadable) or saved (unwritable folder).
   * The knowledge base is built regardless; a stale or missing index is not a problem.
   */
  readonly onCacheProblem?: (message: string) => void;
  readonly english?: EnglishFrequency;
}

/** How the index of a knowledge base came to be. */
export interface IndexOrigin {
  /** `loaded`: read from the saved index; `built`: built from the corpus; `unsaved`: built without a cache. */
  readonly status: 'loaded' | 'built' | 'unsaved';
  /** The saved index's file, when there is a cache. */
  readonly file?: string;
  /** Why the saved index was not used, when it was not. */
  readonly reason?: string;
  /** Size of the file written after building. */
  readonly savedBytes?: number;
  /** When built: reading and validating the corpus, then indexing it. */
  readonly loadMs?: number;
  readonly buildMs?: number;
  /** From the start of `open` to a knowledge base ready to answer. */
  readonly ms: number;
}

/**
 * The corpus, validated and indexed: everything the commands answer from. Plain data in, plain
 * data out; no transport knows more than this.
 */
export class KnowledgeBase implements SearchContext {
  readonly corpus: Corpus;
  readonly index: PassageIndex;
  readonly english: EnglishFrequency;
  /** How `open` got the index; a knowledge base built directly has none. */
  origin?: IndexOrigin;

  /** Indexes the corpus; with `indexData` (a saved index of this very corpus), restores it instead. */
  constructor(corpus: Corpus, english: EnglishFrequency = sharedEnglishFrequency(), indexData?: PassageIndexData) {
    this.corpus = corpus;
    this.english = english;
    this.index = new PassageIndex(corpus.documents, new Analyzer(corpus.glossary), indexData);
  }

  /**
   * Opens the corpus in `dir`: from the saved index when the corpus has not changed since it was
   * saved, otherwise by loading and indexing it (and saving the index for next time).
   */
  static async open(dir: string, options: OpenOptions = {}): Promise<KnowledgeBase> {
    return KnowledgeBase.openSource(corpusFolder(dir), options);
  }

  /** As `open`, for any source of documents (the benchmark's corpus of CSV files, say). */
  static async openSource(source: CorpusSource, options: OpenOptions = {}): Promise<KnowledgeBase> {
    const started = performance.now();
    const problem = options.onCacheProblem ?? (() => undefined);
    const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
    const file = cacheDir === false ? undefined : cacheFileFor(cacheDir, source.root, source.name);
    const fingerprintNow = async () => fingerprint(source.root, await source.files());

    // The corpus files are hashed on a worker thread and the saved index is read, while the word
    // counts load and then the saved index is restored: its fingerprint decides afterwards
    // whether it is used. An unreadable corpus is reported by `load` below, with the errors
    // operators know.
    const fingerprinting = file ? fingerprintNow().catch(() => undefined) : undefined;
    const reading = file && !options.rebuild ? readSavedFile(file) : undefined;
    const english = options.english ?? sharedEnglishFrequency(cacheDir === false ? undefined : cacheDir);
    const bytes = await reading;
    const restored = Buffer.isBuffer(bytes) ? parseSavedIndex(bytes, source.root) : bytes;
    const expected = await fingerprinting;

    let reason: string | undefined;
    if (file) {
      if (expected !== undefined && restored !== undefined) {
        const saved = 'header' in restored && restored.header.fingerprint !== expected ? STALE : restored;
        if ('header' in saved) {
          try {
            const kb = new KnowledgeBase({ dir: source.root, documents: saved.documents, glossary: saved.glossary }, english, saved.index);
            kb.origin = { status: 'loaded', file, ms: performance.now() - started };
            return kb;
          } catch (error) {
            reason = `the saved index could not be restored (${error instanceof Error ? error.message : String(error)})`;
            problem(`${file}: ${reason}; rebuilding`);
          }
        } else {
          reason = saved.detail;
          if (saved.reason === 'corrupt') problem(`${file}: the saved index is unusable (${saved.detail}); rebuilding`);
        }
      } else if (options.rebuild) reason = 'a rebuild was asked for';
    }

    const loadStarted = performance.now();
    const corpus = await source.load();
    const buildStarted = performance.now();
    const kb = new KnowledgeBase(corpus, english);
    const loadMs = buildStarted - loadStarted;
    const buildMs = performance.now() - buildStarted;
    if (!file || expected === undefined) {
      kb.origin = { status: 'unsaved', ...(file ? { file } : {}), loadMs, buildMs, ms: performance.now() - started };
      return kb;
    }
    let savedBytes: number | undefined;
    try {
      // A file edited while the corpus was being read must not be saved under the old fingerprint.
      if ((await fingerprintNow()) !== expected) throw new Error('the corpus changed while it was being indexed');
      savedBytes = await writeSavedIndex(
        file,
        { fingerprint: expected, builtAt: new Date().toISOString(), buildMs: Math.round(buildMs), documents: corpus.documents.length, passages: kb.index.passageCount },
        { documents: corpus.documents, glossary: corpus.glossary, index: kb.index.toData() },
        source.root,
      );
    } catch (error) {
      problem(`${file}: cannot save the index (${error instanceof Error ? error.message : String(error)})`);
    }
    kb.origin = {
      status: 'built',
      file,
      ...(reason ? { reason } : {}),
      ...(savedBytes === undefined ? {} : { savedBytes }),
      loadMs,
      buildMs,
      ms: performance.now() - started,
    };
    return kb;
  }

  /** True when the index was read from a saved index rather than built. */
  get loadedFromCache(): boolean {
    return this.origin?.status === 'loaded';
  }

  get documents(): readonly Document[] {
    return this.corpus.documents;
  }

  ask(question: string): Answer {
    return ask(this, question);
  }

  passage(id: string): Passage | undefined {
    return this.index.passages.get(id);
  }

  documentOf(passage: Passage): Document {
    return this.index.documentOf(passage);
  }
}

/** Files of a corpus folder that `loadCorpus` reads: articles and the glossary (never dotfiles). */
const CORPUS_FILE = /^[^.].*\.md$|^glossary\.(?:ya?ml|json)$/;

/** A corpus folder as `loadCorpus` reads it. */
export function corpusFolder(dir: string): CorpusSource {
  return {
    root: dir,
    name: 'corpus',
    files: async () => (await readdir(dir)).filter((name) => CORPUS_FILE.test(name)).map((name) => path.join(dir, name)),
    // The YAML and schema stack is only needed when the saved index cannot serve.
    load: async () => (await import('./corpus/loadCorpus.ts')).loadCorpus(dir),
  };
}

let englishFrequency: EnglishFrequency | undefined;

/**
 * Loaded once per process: it is the same for every corpus, and a rebuild should not pay for it
 * again. Kept in the index cache folder, when there is one, for the next process.
 */
function sharedEnglishFrequency(cacheDir?: string): EnglishFrequency {
  englishFrequency ??= EnglishFrequency.load(cacheDir);
  return englishFrequency;
}
