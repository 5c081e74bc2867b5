import type { Span } from '../corpus/types.ts';
import type { Term } from './analyzer.ts';
import { fitsShape, readQuestion, type AnswerType, type PassageView, type QuestionShape } from './answerType.ts';
import type { EnglishFrequency } from './englishFrequency.ts';
import { buildExcerpt } from './excerpt.ts';
import type { PassageHit, PassageIndex } from './passageIndex.ts';
import { conceptWeightsIn, coverage, planQuery, type Concept, type QueryPlan } from './queryPlan.ts';

/** Longest question the CLI and the bot accept; longer input is a usage error there. */
export const MAX_QUESTION_LENGTH = 300;
export const MAX_EXCERPTS = 3;
export const MAX_SUGGESTIONS = 3;

/**
 * Below this share of the question's specific content, a passage does not answer it, however
 * well it ranks: it merely shares a name or a place with the question. Calibrated on the
 * evaluation set (tests/eval, sweep 0.40–0.70): every threshold from 0.40 to 0.62 meets the
 * targets; the answerable questions' answers cover at least 0.63, and this leaves them a margin
 * while the unanswerable questions that share more than this with a passage are stopped by
 * their answer shape (no named holder, no figure, no date).
 */
export const MIN_COVERAGE = 0.56;
/** Further excerpts must come close to the best one, or they are noise under a good answer. */
const RELATIVE_CUTOFF = 0.35;
/**
 * A passage without the kind of answer asked for (no number for "how many", no named person for
 * "who is the president of…") keeps this share of its coverage: low enough that it never
 * answers, high enough that it can still be offered as a lead.
 */
const WRONG_SHAPE_FACTOR = 0.3;
/** Coverage counts more than raw BM25 in the ranking: score = BM25 × coverage². */
const COVERAGE_EXPONENT = 2;
/**
 * A photo caption restates who and where from the story; as an answer it comes after the body
 * text that says the same. (A question about the photo itself finds the caption alone, by its
 * kind.)
 */
const CAPTION_RANK_FACTOR = 0.75;
/**
 * A newer article's passage outranks an older one's that answers about as well: the bot follows
 * a developing story, and a reader asking "what happened in August?" or "who is in the photo?"
 * means the story's latest August and photo, not an archive's. The factor is 1 for the newest
 * article and falls with age, half-way in RECENCY_HALF_LIFE_DAYS, towards 1 / (1 + RECENCY_BOOST):
 * articles of the same weeks are ranked as equals, and an archive years older still wins with a
 * passage that answers clearly better (by more than that margin). A corpus of one article, or
 * of one day's articles, is ranked exactly as without it.
 */
const RECENCY_BOOST = 0.3;
const RECENCY_HALF_LIFE_DAYS = 365;

/**
 * How much a match counts toward coverage by where it is: the passage's own words (and what
 * they resolve to: its kind, its relative dates) fully; its section heading, its article's title
 * and the time context inherited from the passage before set the scene but do not say what the
 * passage says.
 */
const FIELD_CREDIT: Readonly<Record<string, number>> = { text: 1, kind: 1, dates: 1, section: 0.5, context: 0.5, title: 0.5 };

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
  /** Share of the question covered, after the answer-shape check. */
  readonly coverage: number;
  /** Whether the passage has the kind of answer asked for. */
  readonly fits: boolean;
  readonly score: number;
  /** The score as a lead: what it shares with the question, whatever kind of answer it holds. */
  readonly leadScore: number;
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

  const shape = readQuestion(cleaned);
  const ranked = rank(plan, index, index.search(plan.weights), shape);
  // Only passages that cover the question may answer it; the best of them is the answer even
  // when a passage that covers less ranks higher on shared words.
  const answering = ranked.filter((r) => r.coverage >= MIN_COVERAGE);
  const best = answering[0];
  if (!best) {
    return {
      question,
      answered: false,
      excerpts: [],
      explanation: explainAbstention(plan, shape, ranked),
      // Leads are the passages closest to the question, even those without the kind of answer
      // asked for: "the Zangilan airport" passage for "when was it built?".
      suggestions: [...ranked]
        .sort((a, b) => b.leadScore - a.leadScore)
        .slice(0, MAX_SUGGESTIONS)
        .map((r) => toExcerpt(index, plan, r)),
    };
  }
  const excerpts = answering
    .filter((r) => r.score >= best.score * RELATIVE_CUTOFF)
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

/**
 * The search hits with their coverage of the question and their ranking score, best first.
 * Exported for diagnostics (scratch/debug scripts) and tests.
 */
export function rank(plan: QueryPlan, index: PassageIndex, hits: readonly PassageHit[], shape: QuestionShape): Ranked[] {
  const conceptsOf = new Map<string, number[]>();
  plan.concepts.forEach((concept, i) => {
    for (const term of concept.matches.keys()) conceptsOf.set(term, [...(conceptsOf.get(term) ?? []), i]);
  });
  const focus = new Set<number>();
  if (shape.focus) {
    const { start, end } = shape.focus;
    plan.concepts.forEach((c, i) => {
      if (c.span.start < end && start < c.span.end) focus.add(i);
    });
  }
  // A passage covers the question only if it does so both with the corpus's weights and with
  // the weights its own article gives the question's words (see conceptWeightsIn): beside an
  // archive, the summit article judges its paragraphs as it does alone. One article: the same.
  // The article's view can only take an answer away, so it is only consulted for passages that
  // would otherwise answer.
  const weightsByArticle = new Map<string, readonly number[]>();
  const weightsFor = (documentId: string) => {
    if (index.documents.length === 1) return undefined;
    let weights = weightsByArticle.get(documentId);
    if (!weights) weightsByArticle.set(documentId, (weights = conceptWeightsIn(plan, index.statisticsOf(documentId))));
    return weights;
  };
  return hits
    .map((hit) => {
      const credits = fieldCredits(hit);
      let shared = coverage(plan, credits);
      const articleWeights = shared >= MIN_COVERAGE ? weightsFor(hit.document.id) : undefined;
      if (articleWeights) shared = Math.min(shared, coverage(plan, credits, articleWeights));
      // Only a passage that could answer needs its shape checked: the check reads the passage
      // word by word, and the rest are at most leads.
      const fits = shared < MIN_COVERAGE || fitsShape(shape, new HitView(hit, index, plan, conceptsOf, focus, credits));
      const covered = shared * (fits ? 1 : WRONG_SHAPE_FACTOR);
      // Coverage decides more than raw BM25: a passage that answers all of the question beats one
      // that repeats one of its words.
      const prior = (hit.passage.kind === 'caption' ? CAPTION_RANK_FACTOR : 1) * recencyFactor(index.ageInDays(hit.passage));
      const score = prior * hit.score * covered ** COVERAGE_EXPONENT;
      return { hit, coverage: covered, fits, score, leadScore: prior * hit.score * shared ** COVERAGE_EXPONENT };
    })
    .sort((a, b) => b.score - a.score);
}

/** See RECENCY_BOOST: 1 for the newest article, less for older ones. */
export function recencyFactor(ageDays: number): number {
  return ageDays <= 0 ? 1 : (1 + RECENCY_BOOST * 2 ** (-ageDays / RECENCY_HALF_LIFE_DAYS)) / (1 + RECENCY_BOOST);
}

/** A hit as the answer-shape checks see it; its terms are only gathered when a check needs them. */
class HitView implements PassageView {
  readonly text: string;
  readonly conceptCount: number;
  constructor(
    private readonly hit: PassageHit,
    private readonly index: PassageIndex,
    private readonly plan: QueryPlan,
    private readonly conceptMap: ReadonlyMap<string, readonly number[]>,
    readonly focus: ReadonlySet<number>,
    private readonly credits: ReadonlyMap<string, number>,
  ) {
    this.text = hit.passage.text;
    this.conceptCount = plan.concepts.length;
  }

  get terms(): readonly Term[] {
    return this.index.termsOfSentences(this.hit.passage.id).flat();
  }

  conceptsOf(term: string): readonly number[] {
    return this.conceptMap.get(term) ?? [];
  }

  ownTerm(concept: number): string | undefined {
    return this.plan.concepts[concept]?.term;
  }

  matches(concept: number): boolean {
    for (const term of this.plan.concepts[concept]?.matches.keys() ?? []) if (this.credits.has(term)) return true;
    return false;
  }
}

/** Each matched term with the credit of the best field it was found in. */
function fieldCredits(hit: PassageHit): Map<string, number> {
  const credits = new Map<string, number>();
  for (const [term, fields] of hit.fields) {
    credits.set(term, Math.max(0, ...fields.map((f) => FIELD_CREDIT[f] ?? 0)));
  }
  return credits;
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

/** What a reader is told when the article has no answer. */
const SHAPE_GAPS: Readonly<Record<AnswerType, string>> = {
  quantity: 'gives no figure for it',
  time: 'does not say when',
  future: 'does not say when that will be',
  duration: 'does not say for how long',
  age: 'gives no age',
  speech: 'does not report what was said',
  identity: 'does not name who that is',
  reason: 'does not say why',
  place: 'does not say where',
};

/**
 * One line on why there is no answer: the closest passage lacks the kind of answer asked for
 * ("mentions the Zangilan airport but does not say when"), or the article lacks what the
 * question names ("nothing on "Biden"").
 */
function explainAbstention(plan: QueryPlan, shape: QuestionShape, ranked: readonly Ranked[]): string {
  const unfit = ranked.find((r) => !r.fits && r.coverage / WRONG_SHAPE_FACTOR >= MIN_COVERAGE);
  if (unfit) {
    const found = new Set(unfit.hit.terms);
    const named = plan.concepts
      .filter((c) => [...c.matches.keys()].some((t) => found.has(t)))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 3)
      .map((c) => `"${c.words}"`);
    const gap = shape.type ? SHAPE_GAPS[shape.type] : 'does not say that';
    return `The article mentions ${named.join(', ')} but ${gap}.`;
  }
  const quote = (concepts: readonly Concept[]) => concepts.map((c) => `"${c.words}"`).join(', ');
  const byWeight = [...plan.concepts].sort((a, b) => b.weight - a.weight);
  const unknown = byWeight.filter((c) => c.matches.size === 0).slice(0, 3);
  if (unknown.length > 0) return `The article does not cover that (nothing on ${quote(unknown)}).`;
  // Every word is in the article, but no passage brings enough of them together.
  return `The article does not cover that: no passage speaks of ${quote(byWeight.slice(0, 3))} together.`;
}
