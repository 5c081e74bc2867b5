import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Document, Passage } from '../corpus/types.ts';
import type { Analyzer, Term } from './analyzer.ts';
import { captureMiniSearch, restoreMiniSearch, type MiniSearchSnapshot } from './miniSearchSnapshot.ts';
import { resolveRelativeDates, statedDates } from './relativeDates.ts';

/**
 * Field weights: a passage's own words count most; its section and its article's title help
 * rank. `kind` holds the passage's kind when it is not plain body text ("caption"), so that a
 * reader asking about the photo finds the caption through the glossary (photo = caption).
 * `dates` holds the calendar dates of the passage's relative time expressions ("last month" in
 * an article of 31 October 2022 is September 2022); `context` holds the dates of the previous
 * passage when the passage states none, since a news paragraph continues the time of the one
 * before it ("Last month, 286 people were killed… The hostilities ended with a U.S.-brokered
 * cease-fire").
 */
export const FIELD_BOOSTS = { text: 1, kind: 1, dates: 1, section: 0.6, context: 0.3, title: 0.25 } as const;
export type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

/** BM25 with a lower length normalisation: news paragraphs are short and similar in length. */
export const BM25 = { k: 1.2, b: 0.5, d: 0.5 } as const;

/** Passages returned by a search unless asked otherwise: more than `ask` ever ranks closely. */
const DEFAULT_LIMIT = 50;
/**
 * How many (term, passage) matches the most telling terms of a question may bring in as
 * candidates before the remaining terms only score candidates. MiniSearch spends about 2 µs on
 * each passage a search returns, against a tenth of that for a posting it skips, so this bounds
 * a search over thousands of articles to a few milliseconds. A corpus of a few articles never
 * reaches it: every term then chooses candidates, and scores are exactly BM25 over all terms.
 */
const CANDIDATE_POSTINGS = 700;
/** Candidates the remaining terms score, per passage asked for (and at least MIN_CANDIDATES). */
const CANDIDATES_PER_HIT = 4;
const MIN_CANDIDATES = 200;
/** Passages whose sentence terms are kept once computed: those of the last few dozen questions. */
const SENTENCE_TERMS_CACHE_SIZE = 1024;

/** What MiniSearch indexes for one passage: its analysed fields, by position in reading order. */
interface IndexedPassage {
  readonly id: number;
  readonly fields: Partial<Record<Field, string>>;
}

export interface PassageHit {
  readonly passage: Passage;
  readonly document: Document;
  /** BM25 score, with term weights applied. */
  readonly score: number;
  /** The index terms this passage matched. */
  readonly terms: readonly string[];
  /** For each matched term, the fields it was found in (`text`, `section`, `title`, `kind`). */
  readonly fields: ReadonlyMap<string, readonly string[]>;
}

/** A corpus word near a reader's word, and the terms it stands for. */
export interface NearWord {
  readonly word: string;
  readonly terms: readonly string[];
  /** Edits away: insertions, deletions, substitutions, or swaps of two neighbouring letters. */
  readonly distance: number;
  /** Passages using the word's terms, to prefer the commoner of equally near words. */
  readonly frequency: number;
}

/**
 * Everything an index is restored from without reading a passage again: MiniSearch's state, and
 * the vocabulary `planQuery` consults. Maps, typed arrays and strings, for the V8 serializer;
 * shared with the live index, not copied.
 */
export interface PassageIndexData {
  readonly miniSearch: MiniSearchSnapshot;
  /** Term → the passages whose own words contain it. */
  readonly termPassages: TermPassages;
  /** Folded word as written → the terms it produced, space-separated. */
  readonly surfaceWords: PackedSurfaceWords;
}

/**
 * The words as written and their terms, one per line in two strings: a restored index reads two
 * strings instead of 30,000 Map entries, and builds the Map on its first typo.
 */
interface PackedSurfaceWords {
  readonly words: string;
  readonly terms: string;
}

/** The options an index is built with, recorded beside a persisted index. */
export const INDEX_OPTIONS = { fields: FIELDS, boost: FIELD_BOOSTS, bm25: BM25 } as const;

/**
 * All passages of the corpus in one MiniSearch index, scored by MiniSearch with BM25 over fields.
 * The analyzer makes the terms (fields reach MiniSearch analysed; its tokenizer only splits them
 * and its term processing is the identity). Questions never reach MiniSearch as text: `planQuery`
 * decides which corpus terms to search, typos and synonyms included, and with what weight, so a
 * search is an OR of exact terms, each with its `boostTerm`. No prefix or fuzzy expansion
 * happens inside MiniSearch, and the question's least telling terms only score candidates (see
 * `search`): that is what keeps a search over thousands of articles to a few milliseconds.
 *
 * Beside MiniSearch, the index keeps what planning needs: each term's document frequency and
 * the words as written with the terms they produced (for typo tolerance).
 */
export class PassageIndex implements TermStatistics {
  readonly documents: readonly Document[];
  readonly passages: ReadonlyMap<string, Passage>;
  readonly passageCount: number;
  /** Days between each article's date and the newest article's: ranking prefers the story's latest. */
  private readonly ageDays: ReadonlyMap<string, number>;
  readonly analyzer: Analyzer;
  private readonly documentsById: ReadonlyMap<string, Document>;
  /** Passages in reading order: a passage's position is its MiniSearch id. */
  private readonly passageList: readonly Passage[];
  private readonly miniSearch: MiniSearch<IndexedPassage>;
  /**
   * Term → the passages whose own words contain it (positions in reading order, ascending): how
   * common a term is in the corpus, and, since an article's passages are consecutive, in each
   * article (`statisticsOf`).
   */
  private readonly termPassages: TermPassages;
  /** Each article's passages: positions [start, end) in reading order. */
  private readonly documentRanges: ReadonlyMap<string, readonly [number, number]>;
  /**
   * Folded word as written → the terms it produced (space-separated: split when a typo is near
   * the word, which is rare): the vocabulary typo tolerance compares with.
   */
  private surfaceWordMap?: ReadonlyMap<string, string>;
  private readonly packedSurfaceWords?: PackedSurfaceWords;
  /**
   * The same vocabularies as radix trees, for look-ups within an edit distance. Built on the first
   * such look-up: most questions need none, and a saved index starts faster without them.
   */
  private frequencyTree?: SearchableMap<number>;
  private surfaceTree?: SearchableMap<string>;
  /** Computed when first asked for (excerpts, answer shapes, summaries), most recent last. */
  private readonly sentenceTerms = new Map<string, Term[][]>();

  /** Indexes the documents; with `data` (from `toData`), restores that index instead. */
  constructor(documents: readonly Document[], analyzer: Analyzer, data?: PassageIndexData) {
    this.analyzer = analyzer;
    this.documents = documents;
    this.documentsById = new Map(documents.map((d) => [d.id, d]));
    const passages = new Map<string, Passage>();
    for (const document of documents) for (const passage of document.passages) passages.set(passage.id, passage);
    this.passages = passages;
    this.passageList = [...passages.values()];
    this.passageCount = passages.size;
    const newest = Math.max(...documents.map((d) => Date.parse(d.published)).filter(Number.isFinite));
    this.ageDays = new Map(documents.map((d) => [d.id, Math.max(0, (newest - Date.parse(d.published)) / DAY_MS) || 0]));
    const ranges = new Map<string, readonly [number, number]>();
    let start = 0;
    for (const document of documents) {
      ranges.set(document.id, [start, start + document.passages.length]);
      start += document.passages.length;
    }
    this.documentRanges = ranges;

    if (data) {
      if (data.miniSearch.documentCount !== this.passageCount) {
        throw new Error(`the saved index has ${data.miniSearch.documentCount} passages, the corpus ${this.passageCount}`);
      }
      const { terms, offsets, ids } = data.termPassages ?? {};
      const surface = data.surfaceWords;
      if (!(terms instanceof Map) || !(offsets instanceof Int32Array) || !(ids instanceof Int32Array) || typeof surface?.words !== 'string' || typeof surface.terms !== 'string') {
        throw new Error('the saved vocabulary is malformed');
      }
      if (offsets.length !== terms.size + 1 || offsets[terms.size] !== ids.length) throw new Error('the saved vocabulary is inconsistent');
      this.miniSearch = restoreMiniSearch(data.miniSearch, miniSearchOptions());
      this.termPassages = data.termPassages;
      this.packedSurfaceWords = surface;
    } else {
      this.miniSearch = new MiniSearch(miniSearchOptions());
      const { termPassages, surfaceWords } = this.build();
      this.termPassages = termPassages;
      this.surfaceWordMap = new Map([...surfaceWords].map(([word, terms]) => [word, [...terms].join(' ')]));
    }
  }

  /** Adds every passage to MiniSearch; returns the vocabulary. */
  private build(): { termPassages: TermPassages; surfaceWords: Map<string, Set<string>> } {
    const analyzer = this.analyzer;
    const passagesOf = new Map<string, number[]>();
    const surfaceWords = new Map<string, Set<string>>();
    const addSurfaceWord = (word: string, terms: readonly string[]) => {
      if (word === '') return;
      const known = surfaceWords.get(word);
      if (known) for (const term of terms) known.add(term);
      else surfaceWords.set(word, new Set(terms));
    };
    const analysed = new Map<string, readonly string[]>();
    const termsOf = (text: string) => {
      let terms = analysed.get(text);
      if (!terms) analysed.set(text, (terms = analyzer.terms(text).map((t) => t.term)));
      return terms;
    };
    const joined = (terms: readonly string[]) => (terms.length === 0 ? undefined : terms.join(' '));

    let previous: { documentId: string; dates: string[] } | undefined;
    this.passageList.forEach((passage, id) => {
      const document = this.documentOf(passage);
      const resolved = resolveRelativeDates(passage.text, document.published);
      const own = [...statedDates(passage.text), ...resolved];
      const inherited = own.length === 0 && previous?.documentId === document.id ? previous.dates : [];
      previous = { documentId: document.id, dates: own };

      const textTerms = analyzer.terms(passage.text);
      for (const { word, terms } of analyzer.words(passage.text, textTerms)) addSurfaceWord(word, terms);
      const fieldTerms: Record<Field, readonly string[]> = {
        text: textTerms.map((t) => t.term),
        kind: passage.kind === 'body' ? [] : termsOf(passage.kind),
        dates: termsOf(resolved.join(' ')),
        context: termsOf(inherited.join(' ')),
        section: termsOf(passage.section ?? ''),
        title: termsOf(document.title),
      };
      // Fields are handed over analysed, space-joined: MiniSearch's tokenizer splits them again.
      // An empty field is left out, so that it does not lower the field's average length.
      const fields: Partial<Record<Field, string>> = {};
      for (const field of FIELDS) {
        const value = joined(fieldTerms[field]);
        if (value !== undefined) fields[field] = value;
      }
      this.miniSearch.add({ id, fields });

      // A section heading is shared by every passage under it: counting it would make its words
      // look common. Frequency is what the passage itself says.
      const ownTerms = new Set([...fieldTerms.text, ...fieldTerms.kind, ...fieldTerms.dates]);
      for (const term of ownTerms) {
        const list = passagesOf.get(term);
        if (list) list.push(id);
        else passagesOf.set(term, [id]);
      }
      if (passage.section) for (const { word, terms } of analyzer.words(passage.section)) addSurfaceWord(word, terms);
    });
    // Known spellings of names the articles may not use ("Pashinyan") are words a typo may be near.
    for (const { word, term } of analyzer.aliasWords()) if (passagesOf.has(term)) addSurfaceWord(word, [term]);
    // Passages are visited in reading order, so each list is already ascending.
    return { termPassages: packTermPassages(passagesOf), surfaceWords };
  }

  /** The index as data, to persist it and restore it with `new PassageIndex(documents, analyzer, data)`. */
  toData(): PassageIndexData {
    const surface = this.surfaceWords();
    return {
      miniSearch: captureMiniSearch(this.miniSearch),
      termPassages: this.termPassages,
      surfaceWords: { words: [...surface.keys()].join('\n'), terms: [...surface.values()].join('\n') },
    };
  }

  /** Folded word as written → the terms it produced, space-separated (unpacked on first use). */
  private surfaceWords(): ReadonlyMap<string, string> {
    if (!this.surfaceWordMap) {
      const { words, terms } = this.packedSurfaceWords ?? { words: '', terms: '' };
      const wordList = words === '' ? [] : words.split('\n');
      const termList = terms === '' ? [] : terms.split('\n');
      this.surfaceWordMap = new Map(wordList.map((word, i) => [word, termList[i] ?? '']));
    }
    return this.surfaceWordMap;
  }

  /** How many days older than the corpus's newest article this passage's article is (0 for the newest). */
  ageInDays(passage: Passage): number {
    return this.ageDays.get(passage.documentId) ?? 0;
  }

  documentOf(passage: Passage): Document {
    return this.documentsById.get(passage.documentId) as Document;
  }

  /** In how many passages a term occurs (0 when unknown). */
  frequency(term: string): number {
    const n = this.termPassages.terms.get(term);
    return n === undefined ? 0 : (this.termPassages.offsets[n + 1] as number) - (this.termPassages.offsets[n] as number);
  }

  /** Smoothed inverse document frequency, as BM25 uses it; an unknown term gets the highest. */
  idf(term: string): number {
    return smoothedIdf(this.passageCount, this.frequency(term));
  }

  /**
   * The same statistics within one article, as if it were the whole corpus: what the article's
   * own passages say about how telling a term is. For a corpus of one article, the corpus's.
   */
  statisticsOf(documentId: string): TermStatistics {
    const [start, end] = this.documentRanges.get(documentId) ?? [0, 0];
    const { terms, offsets, ids } = this.termPassages;
    const frequency = (term: string) => {
      const n = terms.get(term);
      if (n === undefined) return 0;
      const from = offsets[n] as number;
      const to = offsets[n + 1] as number;
      return lowerBound(ids, end, from, to) - lowerBound(ids, start, from, to);
    };
    const passageCount = end - start;
    return { passageCount, frequency, idf: (term) => smoothedIdf(passageCount, frequency(term)) };
  }

  /** Known terms within `distance` edits of `term`, nearest first. */
  nearTerms(term: string, distance: number): { term: string; distance: number }[] {
    if (distance <= 0) return [];
    this.frequencyTree ??= SearchableMap.from(this.termPassages.terms);
    return [...this.frequencyTree.fuzzyGet(term, distance)]
      .map(([found, [, d]]) => ({ term: found, distance: d }))
      .sort((a, b) => a.distance - b.distance || this.frequency(b.term) - this.frequency(a.term));
  }

  /**
   * Corpus words within `distance` edits of a folded word and starting with the same letter,
   * nearest first, then commonest. A swap
   * of two neighbouring letters ("Erdgoan", "foriegn") counts as one edit, as typists make it:
   * those are looked up directly, which costs one look-up per letter, never a vocabulary scan.
   */
  nearWords(word: string, distance: number): NearWord[] {
    if (distance <= 0 || word === '') return [];
    const found = new Map<string, number>();
    // Typists rarely get the first letter wrong; a word that differs there ("Biden", "widen") is
    // more likely another word than a typo.
    const surfaceWords = this.surfaceWords();
    this.surfaceTree ??= SearchableMap.from(surfaceWords);
    for (const [near, [, d]] of this.surfaceTree.fuzzyGet(word, distance)) if (near[0] === word[0]) found.set(near, d);
    for (let i = 0; i + 1 < word.length; i++) {
      if (word[i] === word[i + 1]) continue;
      const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (surfaceWords.has(swapped)) found.set(swapped, Math.min(found.get(swapped) ?? Infinity, 1));
    }
    found.delete(word);
    // Of equally near words, one with exactly the typed letters comes first: "Aliyve" is
    // "Aliyev" with two letters swapped, and only then "alive" with one dropped, however common.
    const letters = sortedLetters(word);
    return [...found]
      .map(([near, d]) => {
        const terms = surfaceWords.get(near)?.split(' ') ?? [];
        const sameLetters = near.length === word.length && sortedLetters(near) === letters;
        return { word: near, terms, distance: d, sameLetters, frequency: Math.max(0, ...terms.map((t) => this.frequency(t))) };
      })
      .sort((a, b) => a.distance - b.distance || Number(b.sameLetters) - Number(a.sameLetters) || b.frequency - a.frequency)
      .map(({ sameLetters: _, ...near }) => near);
  }

  /**
   * Terms of each sentence of a passage, with their spans in the passage's text. Analysed when
   * first asked for and kept for the most recently used passages: only the passages a question
   * ranks high need them, and a persisted index starts without analysing any.
   */
  termsOfSentences(passageId: string): readonly (readonly Term[])[] {
    let terms = this.sentenceTerms.get(passageId);
    if (terms) {
      this.sentenceTerms.delete(passageId);
    } else {
      const passage = this.passages.get(passageId);
      if (!passage) return [];
      terms = passage.sentences.map((s) =>
        this.analyzer.terms(s.text).map((t) => ({ term: t.term, start: t.start + s.start, end: t.end + s.start })),
      );
      if (this.sentenceTerms.size >= SENTENCE_TERMS_CACHE_SIZE) {
        const oldest = this.sentenceTerms.keys().next();
        if (!oldest.done) this.sentenceTerms.delete(oldest.value);
      }
    }
    this.sentenceTerms.set(passageId, terms);
    return terms;
  }

  /**
   * Passages matching any of the weighted terms, best first (ties in reading order): BM25 summed
   * over terms and fields, each term times its weight (MiniSearch's `boostTerm`) and each field
   * times its boost.
   *
   * A common term ("said", and its glossary synonyms "told", "stated", …) matches a good part of
   * a large corpus, and listing every such passage costs far more than scoring the few that
   * matter. So the most telling terms choose the candidates, and the others only add their
   * scores to the best of those (MiniSearch skips a passage whose `boostDocument` is 0). A
   * passage that shares only the question's least telling words seldom covers it, and a passage
   * far down the candidates seldom gains enough from them to reach the first `limit`.
   */
  search(weights: ReadonlyMap<string, number>, limit = DEFAULT_LIMIT): PassageHit[] {
    const { selective, common } = this.splitByFrequency(weights);
    if (selective.length === 0) return [];
    const boostTerm = (term: string) => weights.get(term) ?? 0;
    let hits = scoredHits(this.miniSearch.search(selective.join(' '), { boostTerm }));
    if (common.length > 0) {
      const candidates = new Map(hits.slice(0, Math.max(CANDIDATES_PER_HIT * limit, MIN_CANDIDATES)).map((hit) => [hit.id, hit]));
      const boostDocument = (id: number) => (candidates.has(id) ? 1 : 0);
      for (const extra of scoredHits(this.miniSearch.search(common.join(' '), { boostTerm, boostDocument }))) {
        const hit = candidates.get(extra.id) as ScoredHit;
        hit.score += extra.score;
        Object.assign(hit.match, extra.match);
      }
      hits = [...candidates.values()].sort(byScore);
    }
    return hits.slice(0, limit).map(({ id, score, match }) => {
      const passage = this.passageList[id] as Passage;
      const fields = new Map<string, readonly string[]>(Object.entries(match));
      return { passage, document: this.documentOf(passage), score, terms: [...fields.keys()], fields };
    });
  }

  /**
   * The terms to search, split. The most telling terms first (weight × idf: what one occurrence
   * can add to a passage's score) choose the candidates, until their passages number about
   * CANDIDATE_POSTINGS; the rest only score those candidates.
   */
  private splitByFrequency(weights: ReadonlyMap<string, number>): { selective: string[]; common: string[] } {
    const terms = [...weights]
      .filter(([, weight]) => weight > 0)
      .map(([term, weight]) => ({ term, frequency: this.frequency(term), telling: weight * this.idf(term) }));
    terms.sort((a, b) => b.telling - a.telling || a.frequency - b.frequency);
    const selective: string[] = [];
    const common: string[] = [];
    let postings = 0;
    for (const { term, frequency } of terms) {
      if (selective.length === 0 || postings + frequency <= CANDIDATE_POSTINGS) {
        selective.push(term);
        postings += frequency;
      } else common.push(term);
    }
    return { selective, common };
  }
}

interface ScoredHit {
  readonly id: number;
  score: number;
  readonly match: Record<string, string[]>;
}

/**
 * MiniSearch's results as hits, best first (ties in reading order). MiniSearch multiplies a
 * result's score by the number of query terms it matched; that is undone here. Coverage of the
 * question is judged by `ask`, with each concept's weight: counting terms here too would favour
 * a passage that repeats the question's commonest words.
 */
function scoredHits(results: readonly SearchResult[]): ScoredHit[] {
  return results
    .map((result) => ({ id: result.id as number, score: result.score / Math.max(1, result.queryTerms.length), match: result.match }))
    .sort(byScore);
}

function byScore(a: ScoredHit, b: ScoredHit): number {
  return b.score - a.score || a.id - b.id;
}

/** How many passages a term occurs in, and how telling it is, over some set of passages. */
export interface TermStatistics {
  readonly passageCount: number;
  frequency(term: string): number;
  idf(term: string): number;
}

const DAY_MS = 86_400_000;

function smoothedIdf(passageCount: number, df: number): number {
  return Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
}

function sortedLetters(word: string): string {
  return [...word].sort().join('');
}

/**
 * Each term's passages (positions in reading order, ascending), packed: term n's are
 * `ids[offsets[n]]` up to `ids[offsets[n + 1]]`. Two typed arrays and a Map of numbers restore
 * from a saved index in a fifth of the time of one typed array per term (24,000 of them).
 */
interface TermPassages {
  readonly terms: ReadonlyMap<string, number>;
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
}

function packTermPassages(passagesOf: ReadonlyMap<string, readonly number[]>): TermPassages {
  const terms = new Map<string, number>();
  const offsets = new Int32Array(passagesOf.size + 1);
  let total = 0;
  for (const list of passagesOf.values()) total += list.length;
  const ids = new Int32Array(total);
  let at = 0;
  for (const [term, list] of passagesOf) {
    offsets[terms.size] = at;
    terms.set(term, terms.size);
    ids.set(list, at);
    at += list.length;
  }
  offsets[terms.size] = at;
  return { terms, offsets, ids };
}

/** The first position in `values[from..to)`, ascending, whose value is at least `value`. */
function lowerBound(values: Int32Array, value: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The same options build an index and load a saved one (MiniSearch requires it). */
function miniSearchOptions(): Options<IndexedPassage> {
  return {
    fields: FIELDS,
    idField: 'id',
    extractField: (passage, field) => (field === 'id' ? passage.id : passage.fields[field as Field]),
    // Fields arrive analysed: the analyzer has folded, stemmed and dropped stop words.
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
    searchOptions: {
      boost: { ...FIELD_BOOSTS },
      bm25: BM25,
      // A query is the planned terms, space-separated, each searched as it is (OR).
      tokenize: (terms) => terms.split(' '),
      processTerm: (term) => term,
      prefix: false,
      fuzzy: false,
    },
  };
}
