import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Glossary } from '../corpus/glossary.ts';
import { makePassage } from '../corpus/passage.ts';
import type { Document, Passage, PassageKind } from '../corpus/types.ts';
import { projectPath } from '../projectRoot.ts';
import { miniSearchVersion } from './miniSearchSnapshot.ts';
import { INDEX_OPTIONS, type PassageIndexData } from './passageIndex.ts';

/**
 * A built index saved to disk with the corpus it was built from, so that a process whose corpus
 * has not changed starts by reading one file instead of parsing, splitting and analysing every
 * article again.
 *
 * The file is only ever a cache. It is used when its fingerprint matches: a hash of the corpus
 * files' content, the index format version, the options the index is built with and the source
 * of the code that turns text into an index (analyzer, splitter, loaders), so editing any of
 * them rebuilds. A missing, stale, corrupt or unwritable cache costs a rebuild, never an error.
 *
 * The file is a JSON header line, then the payload in the V8 serializer's format (structured
 * clone): the index's Maps come back as Maps, which is what makes a start from 550,000 postings
 * take a fraction of a second (see miniSearchSnapshot.ts). That format belongs to the V8 that
 * wrote it, so V8's and MiniSearch's versions are part of the fingerprint too.
 */

/** Bump when the saved layout changes in a way the fingerprint would not see. */
export const INDEX_VERSION = 4;
const FORMAT = 'summit-bot/passage-index';

/** Where saved indexes go unless told otherwise: `.cache/index/` in the project (gitignored). */
export const DEFAULT_CACHE_DIR = projectPath('.cache', 'index');
/** Saved indexes end so; anything else in the cache folder is left alone. */
const EXTENSION = '.index';
/** Saved indexes kept per cache folder; the least recently written go first. */
const MAX_CACHE_FILES = 16;

/**
 * The modules whose behaviour decides what an index holds. Their source is part of the
 * fingerprint, so a change to the analyzer or a loader never serves an index built by older code.
 */
const INDEXING_CODE = [
  'search/analyzer.ts',
  'search/stopWords.ts',
  'search/passageIndex.ts',
  'search/relativeDates.ts',
  'search/persistedIndex.ts',
  'text/sentences.ts',
  'corpus/parseArticle.ts',
  'corpus/frontMatter.ts',
  'corpus/schema.ts',
  'corpus/glossary.ts',
  'corpus/loadCorpus.ts',
  'corpus/csvCorpus.ts',
] as const;
const SOURCE_ROOT = projectPath('src');

/** What the saved file says about itself, on its first line. */
export interface IndexHeader {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly fingerprint: string;
  /** The options the index was built with (field boosts, BM25 parameters). */
  readonly options: typeof INDEX_OPTIONS;
  readonly builtAt: string;
  readonly buildMs: number;
  readonly documents: number;
  readonly passages: number;
}

/** The corpus and index as they were saved. */
export interface SavedIndex {
  readonly header: IndexHeader;
  readonly documents: Document[];
  readonly glossary: Glossary;
  readonly index: PassageIndexData;
}

/** Why a saved index was not used. `missing` is the normal first start. */
export type Miss = { readonly reason: 'missing' | 'stale' | 'corrupt'; readonly detail: string };

/**
 * A hash of everything an index depends on: the files (by name relative to `root`, so the same
 * corpus reached by another path is the same corpus, and by content), the format version, the
 * index options, the indexing code, and the V8 and MiniSearch versions whose formats it holds.
 */
export async function fingerprint(root: string, files: readonly string[]): Promise<string> {
  const prefix = `${FORMAT}\0${INDEX_VERSION}\0${JSON.stringify(INDEX_OPTIONS)}\0v8 ${process.versions.v8}\0minisearch ${miniSearchVersion()}\0${await codeDigest()}`;
  const worker = new Worker(HASH_FILES, { eval: true, workerData: { prefix, root, files: [...files].sort() } });
  return new Promise((resolve, reject) => {
    worker.once('message', (digest: string) => resolve(digest));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the fingerprint worker exited with ${code}`)));
  });
}

/**
 * The corpus files are hashed on a worker thread, while the main thread reads and restores the
 * saved index (which the fingerprint then confirms or refuses): for a folder of 2,226 articles
 * the hashing is 40–80 ms the start no longer waits for. The files are read synchronously, one
 * after another: promise-based reads of those files cost 330 ms of a thread's time, synchronous
 * ones 40 ms. Plain CommonJS, so that it runs the same from src/ under tsx and from the bundle.
 */
const HASH_FILES = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const path = require('node:path');
const { prefix, root, files } = workerData;
const hash = createHash('sha256');
hash.update(prefix);
for (const file of files) {
  const content = readFileSync(file);
  hash.update('\\0' + path.relative(root, file) + '\\0' + content.length + '\\0');
  hash.update(content);
}
parentPort.postMessage(hash.digest('hex'));
`;

let codeDigestCache: Promise<string> | undefined;

/** The indexing code's source, hashed once per process (a bundled build reads it from `src/` too). */
function codeDigest(): Promise<string> {
  codeDigestCache ??= (async () => {
    const sources = await Promise.all(INDEXING_CODE.map((module) => readFile(path.join(SOURCE_ROOT, module)).catch(() => '')));
    const hash = createHash('sha256');
    INDEXING_CODE.forEach((module, i) => hash.update(`\0${module}\0`).update(sources[i] ?? ''));
    return hash.digest('hex');
  })();
  return codeDigestCache;
}

/** The cache file for a corpus: named after its folder, keyed by its absolute path. */
export function cacheFileFor(cacheDir: string, root: string, name: string): string {
  const absolute = path.resolve(root);
  const key = createHash('sha256').update(`${absolute}\0${name}`).digest('hex').slice(0, 16);
  const label = `${path.basename(absolute)}-${name}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return path.join(cacheDir, `${label}-${key}${EXTENSION}`);
}

/** The saved index's bytes, or why there are none. Never throws. */
export async function readSavedFile(file: string): Promise<Buffer | Miss> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { reason: 'missing', detail: 'no saved index yet' } : { reason: 'corrupt', detail: `cannot read it (${code ?? String(error)})` };
  }
}

/** Why a saved index whose fingerprint differs is not used. */
export const STALE: Miss = { reason: 'stale', detail: 'the corpus, the glossary, the index options, the indexing code or the runtime changed' };

/**
 * A saved index from its bytes, if it is of this version; whether it is current is for its
 * fingerprint to say (`header.fingerprint`). Never throws: any problem is a miss, with its
 * reason. Document paths are saved relative to `root` and resolved against it again.
 */
export function parseSavedIndex(bytes: Buffer, root: string): SavedIndex | Miss {
  try {
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) throw new Error('no header line');
    const header = JSON.parse(bytes.toString('utf8', 0, newline)) as IndexHeader;
    if (header.format !== FORMAT) throw new Error('not a saved passage index');
    if (header.version !== INDEX_VERSION) return STALE;
    const payload = v8.deserialize(bytes.subarray(newline + 1)) as Partial<SavedPayload> | null;
    if (!payload?.glossary || !Array.isArray(payload.glossary.aliases) || !payload.index || !Array.isArray(payload.documents)) throw new Error('it is incomplete');
    const documents = payload.documents.map((document) => restoreDocument(document, root));
    const passages = documents.reduce((sum, d) => sum + d.passages.length, 0);
    if (passages !== header.passages || documents.length !== header.documents) throw new Error('its passages do not match its header');
    return { header, documents, glossary: payload.glossary, index: payload.index };
  } catch (error) {
    return { reason: 'corrupt', detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Saves an index atomically (a temporary file renamed over the old one: a reader sees the old
 * file or the new, never half of one), then trims the cache folder. Throws on failure; the
 * caller decides how loudly to say so.
 */
export async function writeSavedIndex(
  file: string,
  header: Omit<IndexHeader, 'format' | 'version' | 'options'>,
  saved: { readonly documents: readonly Document[]; readonly glossary: Glossary; readonly index: PassageIndexData },
  root: string,
): Promise<number> {
  const fullHeader: IndexHeader = { format: FORMAT, version: INDEX_VERSION, options: INDEX_OPTIONS, ...header };
  const payload: SavedPayload = {
    documents: saved.documents.map((document) => saveDocument(document, root)),
    glossary: saved.glossary,
    index: saved.index,
  };
  const bytes = Buffer.concat([Buffer.from(`${JSON.stringify(fullHeader)}\n`), v8.serialize(payload)]);
  const dir = path.dirname(file);
  await makeDirectory(dir);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await trimCacheDir(dir, file).catch(() => undefined);
  return bytes.length;
}

/**
 * `mkdir -p`, each level tried once. (Node's recursive mkdir loops for ever where a folder cannot
 * be created although its parent exists, as anywhere under /proc.)
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeDirectory(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/** Keeps the newest MAX_CACHE_FILES saved indexes: corpora in temporary folders come and go. */
async function trimCacheDir(dir: string, keep: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(EXTENSION));
  if (names.length <= MAX_CACHE_FILES) return;
  const files = await Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      return { file, time: (await stat(file).catch(() => undefined))?.mtimeMs ?? 0 };
    }),
  );
  files.sort((a, b) => b.time - a.time);
  for (const { file } of files.slice(MAX_CACHE_FILES)) if (file !== keep) await unlink(file).catch(() => undefined);
}

/** A document as saved: its passages without what is derived from them (ids, citations, sentence text). */
interface SavedDocument extends Omit<Document, 'passages'> {
  readonly passages: readonly SavedPassage[];
}

interface SavedPassage {
  readonly kind: PassageKind;
  readonly section?: string;
  readonly text: string;
  readonly line: number;
  /** Sentence spans in the passage's text, flattened: start, end, start, end… */
  readonly sentences: readonly number[];
}

interface SavedPayload {
  readonly documents: readonly SavedDocument[];
  readonly glossary: Glossary;
  readonly index: PassageIndexData;
}

function saveDocument(document: Document, root: string): SavedDocument {
  return {
    ...document,
    file: path.relative(root, document.file),
    passages: document.passages.map((passage) => ({
      kind: passage.kind,
      ...(passage.section === undefined ? {} : { section: passage.section }),
      text: passage.text,
      line: passage.line,
      sentences: passage.sentences.flatMap((s) => [s.start, s.end]),
    })),
  };
}

/** The inverse of saveDocument: the same ids, citations and sentences as `buildDocument` makes. */
function restoreDocument(saved: SavedDocument, root: string): Document {
  if (typeof saved.id !== 'string' || !Array.isArray(saved.passages)) throw new Error('a document is malformed');
  const passages = saved.passages.map((p, i): Passage => {
    const number = i + 1;
    if (typeof p.text !== 'string' || !Array.isArray(p.sentences)) throw new Error(`passage ${saved.id}#${number} is malformed`);
    const sentences = [];
    for (let s = 0; s + 1 < p.sentences.length; s += 2) {
      const start = p.sentences[s] as number;
      const end = p.sentences[s + 1] as number;
      sentences.push({ start, end, text: p.text.slice(start, end) });
    }
    return makePassage(saved.id, number, {
      kind: p.kind,
      ...(p.section === undefined ? {} : { section: p.section }),
      text: p.text,
      sentences,
      line: p.line,
    });
  });
  return { ...saved, file: path.join(root, saved.file), passages };
}
