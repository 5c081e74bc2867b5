import type { Span } from '../corpus/types.ts';
import type { PassageIndex } from '../search/passageIndex.ts';
import type { Unit } from './units.ts';

/**
 * Topics are a few words; longer input is cut here rather than refused, since it comes from
 * anyone. Counted in characters as a reader counts them (code points), as the CLI and the
 * Discord option count them.
 */
export const MAX_TOPIC_LENGTH = 100;

/** Credit a unit earns for a topic word, by how the word is found. */
export const TOPIC_CREDIT = {
  exact: 1,
  /** A corpus word one edit from a topic word the corpus lacks: most likely what the reader meant. */
  typo: 0.9,
  /** A back reference ("their presence") to the unit before, which names the topic. */
  anaphora: 0.6,
  /** A glossary synonym: the same subject in other words, but not the reader's own. */
  synonym: 0.5,
  /** The passage sits under a section heading naming the topic, and says nothing of it itself. */
  section: 0.35,
} as const;

/**
 * Typo tolerance is kept narrow: a topic the article does not cover must not be matched to
 * whatever corpus word happens to look like it, or the summary would claim coverage it lacks.
 * Only long words, one edit away.
 */
const MIN_TYPO_LENGTH = 6;

/**
 * Pronouns through which a sentence carries on the subject of the one before. Plural and neuter
 * ones count anywhere ("ready to extend their presence" after a sentence on peacekeepers); "he"
 * and "she" only opening the sentence, since further in they mostly point to a person the same
 * sentence has just named ("Aliyev, who thanked his counterpart").
 */
const BACK_REFERENCES = new Set(['they', 'them', 'their', 'theirs', 'its']);
const OPENING_BACK_REFERENCES = new Set(['he', 'she', 'his', 'her']);

/** One thing the topic names, and the corpus terms that stand for it. */
export interface TopicConcept {
  readonly term: string;
  /** How specific the concept is: the idf of its word (the highest when the corpus lacks it). */
  readonly weight: number;
  /** Corpus term → credit (0..1). */
  readonly matches: ReadonlyMap<string, number>;
}

export interface TopicMatch {
  /** Share of the topic's (idf-weighted) content the unit covers, 0..1. */
  readonly relevance: number;
  /** Where the unit names the topic, to keep in view when the unit must be cut. */
  readonly highlights: readonly Span[];
}

/** Control characters and runs of whitespace carry no meaning in a topic; very long input is cut. */
export function cleanTopic(topic: string): string {
  const cleaned = topic
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...cleaned];
  return chars.length <= MAX_TOPIC_LENGTH ? cleaned : `${chars.slice(0, MAX_TOPIC_LENGTH - 1).join('').trimEnd()}…`;
}

/**
 * Cuts to `max` UTF-16 units (as Discord measures a title), at a code-point boundary and with an
 * ellipsis, so an emoji is never split in half.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length + 1 > max) break;
    out += char;
  }
  return `${out.trimEnd()}…`;
}

/** The topic's words as concepts, duplicates merged. Empty when the topic has no searchable word. */
export function planTopic(topic: string, index: PassageIndex): TopicConcept[] {
  const concepts: TopicConcept[] = [];
  const seen = new Set<string>();
  for (const { term } of index.analyzer.terms(topic)) {
    if (seen.has(term)) continue;
    seen.add(term);
    const matches = new Map<string, number>();
    const offer = (candidate: string, credit: number) => {
      if (index.frequency(candidate) > 0 && (matches.get(candidate) ?? 0) < credit) matches.set(candidate, credit);
    };
    offer(term, TOPIC_CREDIT.exact);
    if (!matches.has(term) && term.length >= MIN_TYPO_LENGTH) {
      const [nearest] = index.nearTerms(term, 1);
      if (nearest) offer(nearest.term, TOPIC_CREDIT.typo);
    }
    for (const base of new Set([term, ...matches.keys()])) {
      for (const synonym of index.analyzer.synonymsOf(base)) offer(synonym, TOPIC_CREDIT.synonym);
    }
    const resolved = [...matches].find(([, credit]) => credit >= TOPIC_CREDIT.typo)?.[0];
    concepts.push({ term, weight: index.idf(resolved ?? term), matches });
  }
  return concepts;
}

/**
 * How much each unit concerns the topic, in reading order. A unit earns credit for naming a topic
 * word or its synonym, for sitting under a heading that names it, or for referring back with a
 * pronoun to the unit before it, which names it.
 */
export function matchTopic(plan: readonly TopicConcept[], units: readonly Unit[], index: PassageIndex): Map<Unit, TopicMatch> {
  const total = plan.reduce((sum, concept) => sum + concept.weight, 0);
  const out = new Map<Unit, TopicMatch>();
  let previous: readonly number[] = [];
  let previousUnit: Unit | undefined;
  for (const unit of units) {
    const section = new Set(index.analyzer.terms(unit.passage.section ?? '').map((t) => t.term));
    const follows = previousUnit !== undefined && previousUnit.passage.documentId === unit.passage.documentId;
    const refersBack = follows && refersToPrevious(unit.passage.text.slice(unit.start, unit.end));
    const credits = plan.map((concept, i) => {
      let credit = 0;
      for (const { term } of unit.terms) credit = Math.max(credit, concept.matches.get(term) ?? 0);
      for (const term of section) credit = Math.max(credit, TOPIC_CREDIT.section * (concept.matches.get(term) ?? 0));
      if (refersBack) credit = Math.max(credit, TOPIC_CREDIT.anaphora * (previous[i] ?? 0));
      return credit;
    });
    const covered = plan.reduce((sum, concept, i) => sum + concept.weight * (credits[i] ?? 0), 0);
    const highlights = unit.terms.filter((t) => plan.some((concept) => concept.matches.has(t.term)));
    out.set(unit, { relevance: total > 0 ? covered / total : 0, highlights });
    previous = credits;
    previousUnit = unit;
  }
  return out;
}

function refersToPrevious(text: string): boolean {
  const words = [...text.matchAll(/\p{L}+/gu)].map((m) => m[0].toLowerCase());
  return OPENING_BACK_REFERENCES.has(words[0] ?? '') || words.some((w) => BACK_REFERENCES.has(w));
}
