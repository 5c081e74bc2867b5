import type { Span } from '../corpus/types.ts';
import { answerTypeOf, containsAnswerType, type AnswerType } from './answerType.ts';
import type { EnglishFrequency } from './englishFrequency.ts';
import { buildExcerpt } from './excerpt.ts';
import type { PassageHit, PassageIndex } from './passageIndex.ts';
import { coverage, planQuery, type QueryPlan } from './queryPlan.ts';

/** Longest question the CLI and the bot accept; longer input is a usage error there. */
export const MAX_QUESTION_LENGTH = 300;
export const MAX_EXCERPTS = 3;
export const MAX_SUGGESTIONS = 3;

/**
 * Below this share of the question's specific content, a passage does not answer it, however
 * well it ranks: it merely shares a name or a place with the question.
 */
export const MIN_COVERAGE = 0.62;
/** Further excerpts must come close to the best one, or they are noise under a good answer. */
const RELATIVE_CUTOFF = 0.35;
/** A passage without the kind of answer asked for keeps this share of its coverage. */
const WRONG_ANSWER_TYPE_FACTOR = 0.5;

/** What `ask` searches with: the index and the everyday-English word counts. */
export interface SearchContext {
  readonly index: PassageIndex;
  readonly english: EnglishFrequency;
}

export interface Excerpt {
  /** Stable passage id: `<document-id>#<paragraph>`. */
  readonly passage: string;
  /** What a reader sees: `¶28`. */
  readonly citation: string;
  readonly document: string;
  /** The excerpt as shown, at most 400 characters. */
  readonly text: string;
  readonly highlights: readonly Span[];
  readonly score: number;
}

export interface Answer {
  readonly question: string;
  readonly answered: boolean;
  /** Best first, at most 3; empty when not answered. */
  readonly excerpts: readonly Excerpt[];
  /** Why there is no answer, in one line. */
  readonly explanation?: string;
  /** When not answered: the closest passages, offered as leads rather than answers. */
  readonly suggestions?: readonly Excerpt[];
}

interface Ranked {
  readonly hit: PassageHit;
  readonly coverage: number;
  readonly score: number;
}

/** Answers a question from the index with up to three cited excerpts, or says plainly it can't. */
export function ask(context: SearchContext, question: string): Answer {
  const { index, english } = context;
  const cleaned = cleanQuestion(question);
  if (cleaned === '') {
    return { question, answered: false, excerpts: [], explanation: 'The question is empty: ask about the article in a few words.' };
  }
  const plan = planQuery(cleaned, index, english);
  if (plan.concepts.length === 0) {
    return { question, answered: false, excerpts: [], explanation: 'The question has no words to search for: name what you want to know.' };
  }

  const ranked = rank(plan, index.search(plan.weights), answerTypeOf(cleaned));
  const best = ranked[0];
  if (!best || best.coverage < MIN_COVERAGE) {
    const missing = describeMissing(plan, best);
    return {
      question,
      answered: false,
      excerpts: [],
      explanation: `The article does not cover that${missing}.`,
      suggestions: ranked.slice(0, MAX_SUGGESTIONS).map((r) => toExcerpt(index, plan, r)),
    };
  }
  const excerpts = ranked
    .filter((r) => r.coverage >= MIN_COVERAGE && r.score >= best.score * RELATIVE_CUTOFF)
    .slice(0, MAX_EXCERPTS)
    .map((r) => toExcerpt(index, plan, r));
  return { question, answered: true, excerpts };
}

/** Control characters and query syntax carry no meaning in a question; whitespace is folded. */
export function cleanQuestion(question: string): string {
  return question
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 10 * MAX_QUESTION_LENGTH);
}

function rank(plan: QueryPlan, hits: readonly PassageHit[], answerType: AnswerType | undefined): Ranked[] {
  return hits
    .map((hit) => {
      const typed = answerType === undefined || containsAnswerType(hit.passage.text, answerType);
      const covered = coverage(plan, new Set(hit.terms)) * (typed ? 1 : WRONG_ANSWER_TYPE_FACTOR);
      // Coverage decides more than raw BM25: a passage that answers all of the question beats one
      // that repeats one of its words.
      return { hit, coverage: covered, score: hit.score * covered * covered };
    })
    .sort((a, b) => b.score - a.score);
}

function toExcerpt(index: PassageIndex, plan: QueryPlan, ranked: Ranked): Excerpt {
  const { passage } = ranked.hit;
  const matched = new Map<string, number>();
  for (const concept of plan.concepts) {
    for (const [term, { rank }] of concept.matches) {
      matched.set(term, Math.max(matched.get(term) ?? 0, concept.weight * rank));
    }
  }
  const excerpt = buildExcerpt(passage, index.termsOfSentences(passage.id), (term) => matched.get(term) ?? 0);
  return {
    passage: passage.id,
    citation: passage.citation,
    document: passage.documentId,
    text: excerpt.text,
    highlights: excerpt.highlights,
    score: Math.round(ranked.score * 1000) / 1000,
  };
}

function describeMissing(plan: QueryPlan, best: Ranked | undefined): string {
  const found = new Set(best?.hit.terms ?? []);
  const missing = plan.concepts
    .filter((c) => ![...c.matches.keys()].some((t) => found.has(t)))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3);
  return missing.length === 0 ? '' : ` (nothing on ${missing.map((c) => `"${c.words}"`).join(', ')})`;
}
