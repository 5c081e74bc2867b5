import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { Document, Passage } from '../corpus/types.ts';
import type { Analyzer, Term } from './analyzer.ts';

/** Field weights: a passage's own words count most; its section and its article's title help rank. */
export const FIELD_BOOSTS = { text: 1, section: 0.6, title: 0.25 } as const;
type Field = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as Field[];

/** BM25 with a lower length normalisation: news paragraphs are short and similar in length. */
const BM25 = { k: 1.2, b: 0.5, d: 0.5 } as const;

interface IndexedFields {
  readonly id: string;
  readonly text: string;
  readonly section: string;
  readonly title: string;
}

export interface PassageHit {
  readonly passage: Passage;
  readonly document: Document;
  /** BM25 score from MiniSearch, with term weights applied. */
  readonly score: number;
  /** The index terms this passage matched. */
  readonly terms: readonly string[];
}

/**
 * All passages of the corpus in one MiniSearch index. Terms come from the analyzer, so MiniSearch
 * only scores; typo tolerance and synonyms are decided per question by `planQuery`, which needs
 * the vocabulary and each term's document frequency kept here.
 */
export class PassageIndex {
  readonly documents: readonly Document[];
  readonly passages: ReadonlyMap<string, Passage>;
  readonly passageCount: number;
  private readonly documentsById: ReadonlyMap<string, Document>;
  private readonly miniSearch: MiniSearch<IndexedFields>;
  /** Term → number of passages containing it; also the vocabulary for fuzzy look-ups. */
  private readonly documentFrequency: SearchableMap<number>;
  private readonly sentenceTerms = new Map<string, Term[][]>();
  readonly analyzer: Analyzer;

  constructor(documents: readonly Document[], analyzer: Analyzer) {
    this.analyzer = analyzer;
    this.documents = documents;
    this.documentsById = new Map(documents.map((d) => [d.id, d]));
    const passages = new Map<string, Passage>();
    for (const document of documents) for (const passage of document.passages) passages.set(passage.id, passage);
    this.passages = passages;
    this.passageCount = passages.size;

    this.miniSearch = new MiniSearch<IndexedFields>({
      fields: FIELDS,
      idField: 'id',
      tokenize: (text) => analyzer.terms(text).map((t) => t.term),
      processTerm: (term) => term,
      searchOptions: { boost: { ...FIELD_BOOSTS }, bm25: BM25, tokenize: (q) => [q], processTerm: (t) => t },
    });
    this.documentFrequency = new SearchableMap<number>();
    const titleTerms = new Map<string, string>();
    const records: IndexedFields[] = [];
    for (const passage of passages.values()) {
      const document = this.documentsById.get(passage.documentId) as Document;
      const perSentence = passage.sentences.map((s) => analyzer.terms(s.text));
      this.sentenceTerms.set(passage.id, perSentence);
      const title = titleTerms.get(document.id) ?? document.title;
      titleTerms.set(document.id, title);
      const seen = new Set<string>([
        ...perSentence.flat().map((t) => t.term),
        ...analyzer.terms(passage.section ?? '').map((t) => t.term),
      ]);
      for (const term of seen) this.documentFrequency.update(term, (n = 0) => n + 1);
      records.push({ id: passage.id, text: passage.text, section: passage.section ?? '', title });
    }
    this.miniSearch.addAll(records);
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

  /** Terms of each sentence of a passage, with their spans. */
  termsOfSentences(passageId: string): readonly (readonly Term[])[] {
    return this.sentenceTerms.get(passageId) ?? [];
  }

  /** Passages matching any of the weighted terms, best first. */
  search(weights: ReadonlyMap<string, number>, limit = 50): PassageHit[] {
    if (weights.size === 0) return [];
    const results = this.miniSearch.search(
      { combineWith: 'OR', queries: [...weights.keys()] },
      { boostTerm: (term) => weights.get(term) ?? 0 },
    );
    return results.slice(0, limit).map((result) => {
      const passage = this.passages.get(String(result.id)) as Passage;
      return { passage, document: this.documentOf(passage), score: result.score, terms: result.terms };
    });
  }
}
