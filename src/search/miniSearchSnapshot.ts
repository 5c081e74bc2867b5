import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import MiniSearch, { type Options } from 'minisearch';

/**
 * A MiniSearch index as plain Maps and numbers, for the V8 serializer.
 *
 * MiniSearch's own serialisation (`toJSON`, read back by `loadJS`) is JSON-shaped: every posting
 * list is an object with numeric keys that `loadJS` turns back into a Map, term by term. For the
 * large corpus (24,000 terms, 550,000 postings) that is JSON.parse plus half a second of Map
 * building and garbage collection at every start. The same state kept as Maps goes through
 * `v8.serialize`/`v8.deserialize` (structured clone, which knows Maps) in about a third of the
 * time, and comes back in the very shape MiniSearch searches.
 *
 * That shape is MiniSearch's private state, so this module is the one place that knows it: the
 * radix tree of terms (`_index`), the document ids and the field lengths. Everything else is
 * restored through `loadJS`, MiniSearch's public way in. The snapshot records MiniSearch's
 * version, and the persisted index's fingerprint includes it: a snapshot is only ever read by
 * the version that wrote it. A MiniSearch whose private state no longer looks like this fails
 * `captureMiniSearch` loudly, and the index is then simply not saved.
 */
export interface MiniSearchSnapshot {
  readonly version: string;
  readonly serializationVersion: number;
  readonly documentCount: number;
  readonly nextId: number;
  readonly fieldIds: Readonly<Record<string, number>>;
  readonly averageFieldLength: readonly number[];
  readonly dirtCount: number;
  /** The radix tree of terms; leaves (key '') hold field id → short document id → term frequency. */
  readonly tree: Map<string, unknown>;
  /** Short document id → document id. */
  readonly documentIds: Map<number, unknown>;
  /** Short document id → the length of each field. */
  readonly fieldLength: Map<number, number[]>;
}

let installedVersion: string | undefined;

/** The installed MiniSearch's version: a snapshot is only read by the version that wrote it. */
export function miniSearchVersion(): string {
  if (installedVersion === undefined) {
    // The package's entry is <package>/dist/cjs/index.cjs; its manifest is two folders up.
    const entry = createRequire(import.meta.url).resolve('minisearch');
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
    if (manifest.name !== 'minisearch' || typeof manifest.version !== 'string') throw new Error(`cannot tell the installed MiniSearch's version (${entry})`);
    installedVersion = manifest.version;
  }
  return installedVersion;
}

/** MiniSearch's own radix tree (its class in MiniSearch's bundle, not the copy `minisearch/SearchableMap` exports). */
interface SearchableMapInternals {
  _tree: Map<string, unknown>;
  _prefix: string;
  constructor: new (tree: Map<string, unknown>) => SearchableMapInternals;
}

/** The private state this module reads and writes. */
interface MiniSearchInternals {
  _index: SearchableMapInternals;
  _documentCount: number;
  _nextId: number;
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _dirtCount: number;
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
}

/** The index's state, shared with the live index (not copied): serialise it before changing the index. */
export function captureMiniSearch<T>(miniSearch: MiniSearch<T>): MiniSearchSnapshot {
  const state = miniSearch as unknown as Partial<MiniSearchInternals>;
  const index = state._index;
  if (
    !index ||
    !(index._tree instanceof Map) ||
    index._prefix !== '' ||
    !(state._documentIds instanceof Map) ||
    !(state._fieldLength instanceof Map) ||
    typeof state._documentCount !== 'number' ||
    typeof state._nextId !== 'number' ||
    typeof state._dirtCount !== 'number' ||
    !Array.isArray(state._avgFieldLength) ||
    typeof state._fieldIds !== 'object'
  ) {
    throw new Error(`the internal state of MiniSearch ${miniSearchVersion()} is not the one summit-bot saves (written for MiniSearch 7.2)`);
  }
  return {
    version: miniSearchVersion(),
    serializationVersion: 2,
    documentCount: state._documentCount,
    nextId: state._nextId,
    fieldIds: state._fieldIds,
    averageFieldLength: state._avgFieldLength,
    dirtCount: state._dirtCount,
    tree: index._tree,
    documentIds: state._documentIds,
    fieldLength: state._fieldLength,
  };
}

/** A MiniSearch in the state of the snapshot; it takes ownership of the snapshot's Maps. */
export function restoreMiniSearch<T>(snapshot: MiniSearchSnapshot, options: Options<T>): MiniSearch<T> {
  if (snapshot.version !== miniSearchVersion()) throw new Error(`the index was saved by MiniSearch ${snapshot.version}, not ${miniSearchVersion()}`);
  if (!(snapshot.tree instanceof Map) || !(snapshot.documentIds instanceof Map) || !(snapshot.fieldLength instanceof Map)) {
    throw new Error('the MiniSearch snapshot is malformed');
  }
  // The public way in sets the counters and the field ids, and checks the serialisation version.
  const miniSearch = MiniSearch.loadJS<T>(
    {
      serializationVersion: snapshot.serializationVersion,
      documentCount: snapshot.documentCount,
      nextId: snapshot.nextId,
      fieldIds: { ...snapshot.fieldIds },
      averageFieldLength: [...snapshot.averageFieldLength],
      dirtCount: snapshot.dirtCount,
      index: [],
      documentIds: {},
      fieldLength: {},
      storedFields: {},
    },
    options,
  );
  const state = miniSearch as unknown as MiniSearchInternals;
  // An empty tree of MiniSearch's own class, replaced by one holding the saved tree.
  state._index = new state._index.constructor(snapshot.tree);
  state._documentIds = snapshot.documentIds;
  state._fieldLength = snapshot.fieldLength;
  const idToShortId = new Map<unknown, number>();
  for (const [shortId, id] of snapshot.documentIds) idToShortId.set(id, shortId);
  state._idToShortId = idToShortId;
  return miniSearch;
}
