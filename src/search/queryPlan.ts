import type { Term } from './analyzer.ts';
import type { EnglishFrequency } from './englishFrequency.ts';
import type { PassageIndex } from './passageIndex.ts';

/**
 * How a stand-in for a reader's word counts, relative to the word itself: `rank` weighs it in
 * the search, `cover` credits it when judging whether a passage answers the question at all.
 */
export const TERM_WEIGHTS = {
  exact: { rank: 1, cover: 1 },
  /** A corpus word one or two edits away from a word that is neither in the corpus nor in English. */
  fuzzy: { rank: 0.8, cover: 0.9 },
  /** A glossary synonym of the reader's word. */
  synonym: { rank: 0.5, cover: 0.8 },
} as const;

/**
 * Edits allowed to reach a known word, by length: short words are too easily another word.
 * Only words that are neither in the corpus nor ordinary English are corrected, so a correctly
 * spelled word is never drowned by its neighbours.
 */
export function fuzzyDistanceFor(term: string): number {
  if (term.length >= 8) return 2;
  if (term.length >= 4) return 1;
  return 0;
}

interface Match {
  readonly rank: number;
  readonly cover: number;
}

/** One thing the question asks about, and the corpus terms that may stand for it. */
export interface Concept {
  /** The reader's word, analysed. */
  readonly term: string;
  /** The reader's words as typed. */
  readonly words: string;
  /** How much the concept says about what the question is after (an idf). */
  readonly weight: number;
  /** Corpus terms that match this concept, with their weights. */
  readonly matches: ReadonlyMap<string, Match>;
}

export interface QueryPlan {
  readonly concepts: readonly Concept[];
  /** Every corpus term to search, with its rank weight. */
  readonly weights: ReadonlyMap<string, number>;
}

export function planQuery(question: string, index: PassageIndex, english: EnglishFrequency): QueryPlan {
  const concepts: Concept[] = [];
  const weights = new Map<string, number>();
  const maxIdf = index.idf('');

  for (const { term, words } of conceptTerms(question, index)) {
    const matches = new Map<string, Match>();
    const offer = (candidate: string, match: Match) => {
      if (index.frequency(candidate) === 0 || (matches.get(candidate)?.rank ?? 0) >= match.rank) return;
      matches.set(candidate, match);
    };
    offer(term, TERM_WEIGHTS.exact);
    if (!matches.has(term) && !english.isWord(words)) {
      const [nearest] = index.nearTerms(term, fuzzyDistanceFor(term));
      if (nearest) offer(nearest.term, TERM_WEIGHTS.fuzzy);
    }
    const direct = [...matches.keys()];
    for (const base of new Set([term, ...direct])) {
      for (const synonym of index.analyzer.synonymsOf(base)) offer(synonym, TERM_WEIGHTS.synonym);
    }

    // A typo weighs what the word it stands for weighs; a word known only through its synonyms
    // weighs what they weigh; a word the corpus lacks altogether weighs by how specific it is
    // in everyday English, so "capital" counts and "keep" hardly does.
    const candidates = direct.length > 0 ? direct : [...matches.keys()];
    const weight =
      candidates.length > 0
        ? Math.max(...candidates.map((c) => index.idf(c)))
        : maxIdf * english.specificity(words);
    concepts.push({ term, words, weight, matches });
    for (const [match, { rank }] of matches) weights.set(match, Math.max(weights.get(match) ?? 0, rank));
  }
  return { concepts, weights };
}

/**
 * The question's terms, one per thing asked about. A hyphenated word yields its joined form and
 * its parts; it is one concept, searched as the joined form when the corpus knows it
 * (cease-fire) and as its parts otherwise (44-day).
 */
function conceptTerms(question: string, index: PassageIndex): { term: string; words: string }[] {
  const bySpan = new Map<string, Term[]>();
  for (const t of index.analyzer.terms(question)) {
    const key = `${t.start}:${t.end}`;
    bySpan.set(key, [...(bySpan.get(key) ?? []), t]);
  }
  const seen = new Set<string>();
  const out: { term: string; words: string }[] = [];
  for (const group of bySpan.values()) {
    const [joined, ...parts] = group;
    if (!joined) continue;
    const chosen = parts.length === 0 || index.frequency(joined.term) > 0 ? [joined] : parts;
    const words = question.slice(joined.start, joined.end);
    for (const t of chosen) {
      if (seen.has(t.term)) continue;
      seen.add(t.term);
      out.push({ term: t.term, words: chosen.length === 1 ? words : t.term });
    }
  }
  return out;
}

/**
 * The share of the question's specific content a set of terms covers: each concept counts by its
 * weight, times the credit of its best match. A passage that only shares a common name with the
 * question ("Azerbaijan") covers little of "How much gas does Azerbaijan export?".
 */
export function coverage(plan: QueryPlan, terms: ReadonlySet<string>): number {
  let total = 0;
  let covered = 0;
  for (const concept of plan.concepts) {
    total += concept.weight;
    let best = 0;
    for (const [term, { cover }] of concept.matches) if (terms.has(term)) best = Math.max(best, cover);
    covered += concept.weight * best;
  }
  return total === 0 ? 0 : covered / total;
}
