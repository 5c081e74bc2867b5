import type { Term } from '../search/analyzer.ts';
import type { EnglishFrequency } from '../search/englishFrequency.ts';
import type { PassageIndex } from '../search/passageIndex.ts';
import type { Concepts } from './concepts.ts';
import type { Unit } from './units.ts';

/**
 * Share of an occurrence's weight kept for the commonest English words: damped, not erased, since
 * a common word ("war", "peace") can still be what a story is about.
 */
export const BACKGROUND_FLOOR = 0.15;

export interface ConceptWeights {
  /** Per unit: concept → what the unit's mention of it weighs. */
  readonly units: ReadonlyMap<Unit, ReadonlyMap<string, number>>;
  /**
   * How central each concept is to the document: the sum of its weights over the body units that
   * mention it (tf·idf, counted in units). A concept the story keeps returning to is what the
   * story is about; one mentioned once is a detail.
   */
  readonly centrality: ReadonlyMap<string, number>;
}

/**
 * Weighs every unit's concepts. An occurrence weighs the idf of its concept, damped when the word
 * is common in everyday English. The concept's idf counts the passages naming it in any of its
 * words, so "said", "told" and "noted" together are as common as they are; and one article is
 * too small a sample for idf alone to tell a reporting verb from a subject, which everyday
 * English can.
 */
export function weighConcepts(
  index: PassageIndex,
  concepts: Concepts,
  english: EnglishFrequency,
  units: readonly Unit[],
): ConceptWeights {
  const idfCache = new Map<string, number>();
  const conceptIdf = (concept: string) => {
    let idf = idfCache.get(concept);
    if (idf === undefined) {
      let frequency = 0;
      for (const member of concepts.members(concept)) frequency += index.frequency(member);
      frequency = Math.min(frequency, index.passageCount);
      idf = Math.log(1 + (index.passageCount - frequency + 0.5) / (frequency + 0.5));
      idfCache.set(concept, idf);
    }
    return idf;
  };

  const standalone = standaloneConcepts(concepts, units);
  const perUnit = new Map<Unit, Map<string, number>>();
  const centrality = new Map<string, number>();
  for (const unit of units) {
    const weights = new Map<string, number>();
    for (const term of countedTerms(unit.terms, concepts, standalone)) {
      const concept = concepts.of(term.term);
      const word = unit.passage.text.slice(term.start, term.end);
      const weight = conceptIdf(concept) * (BACKGROUND_FLOOR + (1 - BACKGROUND_FLOOR) * english.specificity(word));
      weights.set(concept, Math.max(weights.get(concept) ?? 0, weight));
    }
    perUnit.set(unit, weights);
    if (unit.passage.kind !== 'body') continue;
    for (const [concept, weight] of weights) centrality.set(concept, (centrality.get(concept) ?? 0) + weight);
  }
  return { units: perUnit, centrality };
}

/** Concepts the document names in a word of their own, not only inside a hyphenated compound. */
function standaloneConcepts(concepts: Concepts, units: readonly Unit[]): Set<string> {
  const out = new Set<string>();
  for (const unit of units) {
    for (const group of bySpan(unit.terms)) {
      const [only] = group;
      if (group.length === 1 && only) out.add(concepts.of(only.term));
    }
  }
  return out;
}

/**
 * The analyzer gives a hyphenated word its joined form and each part ("cease-fire": ceasefire,
 * cease, fire). Counting all three would make every compound weigh triple, and "fire" is not what
 * a cease-fire is about; a part counts only when the document also uses it as a word of its own
 * ("Azerbaijan-Armenia border" is about Azerbaijan).
 */
function countedTerms(terms: readonly Term[], concepts: Concepts, standalone: ReadonlySet<string>): Term[] {
  const out: Term[] = [];
  for (const group of bySpan(terms)) {
    const [joined, ...parts] = group;
    if (joined) out.push(joined);
    for (const part of parts) if (standalone.has(concepts.of(part.term))) out.push(part);
  }
  return out;
}

function bySpan(terms: readonly Term[]): Term[][] {
  const groups = new Map<string, Term[]>();
  for (const term of terms) {
    const key = `${term.start}:${term.end}`;
    const group = groups.get(key);
    if (group) group.push(term);
    else groups.set(key, [term]);
  }
  return [...groups.values()];
}
