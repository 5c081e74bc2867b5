import SearchableMap from 'minisearch/SearchableMap';
import type { Document, Passage } from '../corpus/types.ts';
import type { Analyzer, Term } from './analyzer.ts';
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
const FIELD_BOOST_BY_ID = Float64Array.from(FIELDS.map((f) => FIELD_BOOSTS[f]));
const FIELD_ID: Readonly<Record<Field, number>> = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;

/** BM25 with a lower length normalisation: news paragraphs are short and similar in length. */
const BM25 = { k: 1.2, b: 0.5, d: 0.5 } as const;

/**
 * One term's occurrences: parallel arrays, one entry per passage and field it occurs in. Typed
 * arrays keep a corpus of thousands of articles compact and quick to score.
 */
interface Postings {
  readonly passages: Int32Array;
  readonly fields: Uint8Array;
  readonly counts: Uint16Array;
  /** In how many passages the term occurs in each field: BM25's idf is per field. */
  readonly fieldFrequency: Uint32Array;
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
 * All passages of the corpus in one inverted index, scored with BM25 over fields. Terms come
 * from the analyzer; typo tolerance and synonyms are decided per question by `planQuery`, which
 * needs the vocabulary, the words as written and each term's document frequency kept here.
 *
 * A hand-rolled index rather than MiniSearch's: a question searches a dozen terms and their
 * synonyms at once, some of them common ("said"), and scoring into one typed array is several
 * times faster on thousands of articles than merging per-term result maps.
 */
export class PassageIndex {
  readonly documents: readonly Document[];
  readonly passages: ReadonlyMap<string, Passage>;
  readonly passageCount: number;
  private readonly documentsById: ReadonlyMap<string, Document>;
  private readonly passageList: readonly Passage[];
  private readonly postings = new Map<string, Postings>();
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;
  /** Terms per field of each passage, for BM25's length normalisation. */
  private readonly fieldLengths: readonly Float32Array[];
  private readonly averageFieldLengths: readonly number[];
  /** Term → number of passages containing it; also the vocabulary for fuzzy look-ups. */
  private readonly documentFrequency = new SearchableMap<number>();
  private readonly sentenceTerms = new Map<string, Term[][]>();
  /** Folded word as written → the terms it produced: the vocabulary typo tolerance compares with. */
  private readonly surfaceWords = new SearchableMap<Set<string>>();
  readonly analyzer: Analyzer;

  constructor(documents: readonly Document[], analyzer: Analyzer) {
    this.analyzer = analyzer;
    this.documents = documents;
    this.documentsById = new Map(documents.map((d) => [d.id, d]));
    const passages = new Map<string, Passage>();
    for (const document of documents) for (const passage of document.passages) passages.set(passage.id, passage);
    this.passages = passages;
    this.passageList = [...passages.values()];
    this.passageCount = passages.size;

    const lengths = FIELDS.map(() => new Float32Array(this.passageCount));
    // Term → flat [passage, field, count, …], in passage order.
    const building = new Map<string, number[]>();
    const post = (terms: readonly string[], passage: number, field: number) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, count] of counts) {
        const list = building.get(term);
        if (list) list.push(passage, field, count);
        else building.set(term, [passage, field, count]);
      }
    };
    const cached = new Map<string, readonly string[]>();
    const termsOf = (text: string) => {
      let terms = cached.get(text);
      if (!terms) cached.set(text, (terms = analyzer.terms(text).map((t) => t.term)));
      return terms;
    };

    let previous: { documentId: string; dates: string[] } | undefined;
    this.passageList.forEach((passage, index) => {
      const document = this.documentsById.get(passage.documentId) as Document;
      const resolved = resolveRelativeDates(passage.text, document.published);
      const own = [...statedDates(passage.text), ...resolved];
      const inherited = own.length === 0 && previous?.documentId === document.id ? previous.dates : [];
      previous = { documentId: document.id, dates: own };

      // Spans relative to the passage's text, as excerpts and summaries cut it.
      const perSentence = passage.sentences.map((s) => {
        const terms = analyzer.terms(s.text);
        for (const { word, terms: produced } of analyzer.words(s.text, terms)) this.addSurfaceWord(word, produced);
        return terms.map((t) => ({ term: t.term, start: t.start + s.start, end: t.end + s.start }));
      });
      this.sentenceTerms.set(passage.id, perSentence);
      const fieldTerms: Record<Field, readonly string[]> = {
        text: perSentence.flat().map((t) => t.term),
        kind: passage.kind === 'body' ? [] : termsOf(passage.kind),
        dates: termsOf(resolved.join(' ')),
        context: termsOf(inherited.join(' ')),
        section: termsOf(passage.section ?? ''),
        title: termsOf(document.title),
      };
      for (const field of FIELDS) {
        const id = FIELD_ID[field];
        (lengths[id] as Float32Array)[index] = fieldTerms[field].length;
        post(fieldTerms[field], index, id);
      }
      // A section heading is shared by every passage under it: counting it would make its words
      // look common. Frequency is what the passage itself says.
      const own_ = new Set([...fieldTerms.text, ...fieldTerms.kind, ...fieldTerms.dates]);
      for (const term of own_) this.documentFrequency.update(term, (n = 0) => n + 1);
      if (passage.section) for (const { word, terms } of analyzer.words(passage.section)) this.addSurfaceWord(word, terms);
    });

    for (const [term, list] of building) {
      const n = list.length / 3;
      const postings: Postings = {
        passages: new Int32Array(n),
        fields: new Uint8Array(n),
        counts: new Uint16Array(n),
        fieldFrequency: new Uint32Array(FIELDS.length),
      };
      for (let i = 0; i < n; i++) {
        postings.passages[i] = list[3 * i] as number;
        const field = list[3 * i + 1] as number;
        postings.fields[i] = field;
        postings.counts[i] = Math.min(0xffff, list[3 * i + 2] as number);
        (postings.fieldFrequency as Uint32Array)[field] = (postings.fieldFrequency[field] ?? 0) + 1;
      }
      this.postings.set(term, postings);
    }
    this.fieldLengths = lengths;
    this.scores = new Float64Array(this.passageCount);
    this.touched = new Int32Array(this.passageCount);
    this.averageFieldLengths = lengths.map((l) => {
      let sum = 0;
      let count = 0;
      for (const x of l) {
        if (x === 0) continue;
        sum += x;
        count++;
      }
      return count === 0 ? 1 : sum / count;
    });
    // Known spellings of names the articles may not use ("Pashinyan") are words a typo may be near.
    for (const { word, term } of analyzer.aliasWords()) if (this.frequency(term) > 0) this.addSurfaceWord(word, [term]);
  }

  private addSurfaceWord(word: string, terms: readonly string[]): void {
    if (word === '') return;
    const known = this.surfaceWords.get(word) ?? new Set<string>();
    for (const term of terms) known.add(term);
    this.surfaceWords.set(word, known);
  }

  documentOf(passage: Passage): Document {
    return this.documentsById.get(passage.documentId) as Document;
  }

  /** In how many passages a term occurs (0 when unknown). */
  frequency(term: string): number {
    return this.documentFrequency.get(term) ?? 0;
  }

  /** Smoothed inverse document frequency, as BM25 uses it; an unknown term gets the highest. */
  idf(term: string): number {
    const df = this.frequency(term);
    return Math.log(1 + (this.passageCount - df + 0.5) / (df + 0.5));
  }

  /** Known terms within `distance` edits of `term`, nearest first. */
  nearTerms(term: string, distance: number): { term: string; distance: number }[] {
    if (distance <= 0) return [];
    return [...this.documentFrequency.fuzzyGet(term, distance)]
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
    for (const [near, [, d]] of this.surfaceWords.fuzzyGet(word, distance)) if (near[0] === word[0]) found.set(near, d);
    for (let i = 0; i + 1 < word.length; i++) {
      if (word[i] === word[i + 1]) continue;
      const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (this.surfaceWords.has(swapped)) found.set(swapped, Math.min(found.get(swapped) ?? Infinity, 1));
    }
    found.delete(word);
    return [...found]
      .map(([near, d]) => {
        const terms = [...(this.surfaceWords.get(near) ?? [])];
        return { word: near, terms, distance: d, frequency: Math.max(0, ...terms.map((t) => this.frequency(t))) };
      })
      .sort((a, b) => a.distance - b.distance || b.frequency - a.frequency);
  }

  /** Terms of each sentence of a passage, with their spans in the passage's text. */
  termsOfSentences(passageId: string): readonly (readonly Term[])[] {
    return this.sentenceTerms.get(passageId) ?? [];
  }

  /**
   * Passages matching any of the weighted terms, best first: BM25 summed over terms and fields,
   * each term times its weight and each field times its boost.
   */
  search(weights: ReadonlyMap<string, number>, limit = 50): PassageHit[] {
    // One score array for the index, reset after each search: a fresh one per question would
    // churn the garbage collector on a large corpus.
    const scores = this.scores;
    const touched = this.touched;
    let touchedCount = 0;
    const { k, b, d } = BM25;
    const idfs = new Float64Array(FIELDS.length);
    for (const [term, weight] of weights) {
      const postings = this.postings.get(term);
      if (!postings || !(weight > 0)) continue;
      for (let f = 0; f < FIELDS.length; f++) {
        const df = postings.fieldFrequency[f] as number;
        idfs[f] = weight * (FIELD_BOOST_BY_ID[f] as number) * Math.log(1 + (this.passageCount - df + 0.5) / (df + 0.5));
      }
      const { passages, fields, counts } = postings;
      for (let i = 0; i < passages.length; i++) {
        const passage = passages[i] as number;
        const field = fields[i] as number;
        const tf = counts[i] as number;
        const norm = 1 - b + (b * ((this.fieldLengths[field] as Float32Array)[passage] as number)) / (this.averageFieldLengths[field] as number);
        if (scores[passage] === 0) touched[touchedCount++] = passage;
        scores[passage] = (scores[passage] as number) + (idfs[field] as number) * (d + (tf * (k + 1)) / (tf + k * norm));
      }
    }
    const top = topByScore(touched.subarray(0, touchedCount), scores, limit);
    const hits = top.map((index) => {
      const passage = this.passageList[index] as Passage;
      // Which terms matched, in which fields: looked up per chosen passage (postings are in
      // passage order), not by walking every posting again.
      const matched = new Map<string, string[]>();
      for (const term of weights.keys()) {
        const postings = this.postings.get(term);
        if (!postings) continue;
        for (let i = firstAtLeast(postings.passages, index); i < postings.passages.length && postings.passages[i] === index; i++) {
          const name = FIELDS[postings.fields[i] as number] as Field;
          const list = matched.get(term);
          if (list) list.push(name);
          else matched.set(term, [name]);
        }
      }
      return { passage, document: this.documentOf(passage), score: scores[index] as number, terms: [...matched.keys()], fields: matched };
    });
    for (let i = 0; i < touchedCount; i++) scores[touched[i] as number] = 0;
    return hits;
  }
}

/** The first position of a sorted array holding a value ≥ `value`. */
function firstAtLeast(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The `limit` highest-scoring of `candidates`, best first (ties: reading order), without sorting them all. */
function topByScore(candidates: Int32Array, scores: Float64Array, limit: number): number[] {
  const better = (a: number, b: number) => (scores[a] as number) > (scores[b] as number) || (scores[a] === scores[b] && a < b);
  // A min-heap of the best so far: the root is the worst kept.
  const heap: number[] = [];
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j] as number, heap[i] as number]);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && better(heap[worst] as number, heap[l] as number)) worst = l;
      if (r < heap.length && better(heap[worst] as number, heap[r] as number)) worst = r;
      if (worst === i) return;
      swap(i, worst);
      i = worst;
    }
  };
  for (const candidate of candidates) {
    if (heap.length < limit) {
      heap.push(candidate);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!better(heap[parent] as number, heap[i] as number)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (limit > 0 && better(candidate, heap[0] as number)) {
      heap[0] = candidate;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
