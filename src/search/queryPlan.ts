import type { Term } from './analyzer.ts';
import type { PassageIndex } from './passageIndex.ts';

/** How much a stand-in for a reader's word counts, relative to the word itself. */
export const TERM_WEIGHTS = {
  exact: 1,
  /** A vocabulary word one or two edits away from a word the corpus does not know (a typo). */
  fuzzy: 0.8,
  /** A glossary synonym of the reader's word. */
  synonym: 0.5,
} as const;

/**
 * Edits allowed to reach a known word, by length: short words are too easily another word.
 * Only words the corpus does not know are corrected, so a correctly spelled word is never
 * drowned by its neighbours.
 */
export function fuzzyDistanceFor(term: string): number {
  if (term.length >= 8) return 2;
  if (term.length >= 4) return 1;
  return 0;
}

/** One thing the question asks about, and the corpus terms that may stand for it. */
export interface Concept {
  /** The reader's word, analysed. */
  readonly term: string;
  /** How specific the concept is: the idf of the reader's word (highest when the corpus lacks it). */
  readonly weight: number;
  /** Corpus terms that match this concept, with the credit a match earns (0..1). */
  readonly matches: ReadonlyMap<string, number>;
  /** Where the reader's word stands in the question. */
  readonly spans: readonly Term[];
}

export interface QueryPlan {
  readonly concepts: readonly Concept[];
  /** Every corpus term to search, with its weight. */
  readonly weights: ReadonlyMap<string, number>;
}

export function planQuery(question: string, index: PassageIndex): QueryPlan {
  const byTerm = new Map<string, Term[]>();
  for (const t of index.analyzer.terms(question)) byTerm.set(t.term, [...(byTerm.get(t.term) ?? []), t]);

  const concepts: Concept[] = [];
  const weights = new Map<string, number>();
  const offer = (matches: Map<string, number>, term: string, credit: number) => {
    if (index.frequency(term) === 0 || (matches.get(term) ?? 0) >= credit) return;
    matches.set(term, credit);
  };

  for (const [term, spans] of byTerm) {
    const matches = new Map<string, number>();
    offer(matches, term, TERM_WEIGHTS.exact);
    if (!matches.has(term)) {
      const [nearest] = index.nearTerms(term, fuzzyDistanceFor(term));
      if (nearest) offer(matches, nearest.term, TERM_WEIGHTS.fuzzy);
    }
    const bases = matches.size > 0 ? [...matches.keys()] : [term];
    for (const base of bases) for (const synonym of index.analyzer.synonymsOf(base)) offer(matches, synonym, TERM_WEIGHTS.synonym);
    if (!bases.includes(term)) for (const synonym of index.analyzer.synonymsOf(term)) offer(matches, synonym, TERM_WEIGHTS.synonym);

    // A typo weighs what the word it stands for weighs; a word the corpus lacks weighs the most.
    const [resolved] = [...matches].filter(([, credit]) => credit >= TERM_WEIGHTS.fuzzy).map(([t]) => t);
    concepts.push({ term, weight: index.idf(resolved ?? term), matches, spans });
    for (const [match, credit] of matches) weights.set(match, Math.max(weights.get(match) ?? 0, credit));
  }
  return { concepts, weights };
}

/**
 * The share of the question's specific content a set of terms covers: each concept counts by
 * its idf, times the credit of its best match. A passage that only shares a common name with the
 * question ("Azerbaijan") covers little of "How much gas does Azerbaijan export?".
 */
export function coverage(plan: QueryPlan, terms: ReadonlySet<string>): number {
  let total = 0;
  let covered = 0;
  for (const concept of plan.concepts) {
    total += concept.weight;
    let best = 0;
    for (const [term, credit] of concept.matches) if (terms.has(term)) best = Math.max(best, credit);
    covered += concept.weight * best;
  }
  return total === 0 ? 0 : covered / total;
}
