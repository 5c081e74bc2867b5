import type { Span } from '../corpus/types.ts';
import { fold, PHRASE_JOINER, surface, type Term } from './analyzer.ts';
import { readQuestion } from './answerType.ts';
import type { EnglishFrequency } from './englishFrequency.ts';
import type { PassageIndex, TermStatistics } from './passageIndex.ts';

/**
 * How a stand-in for a reader's word counts, relative to the word itself: `rank` weighs it in
 * the search, `cover` credits it when judging whether a passage answers the question at all.
 */
export const TERM_WEIGHTS = {
  exact: { rank: 1, cover: 1 },
  /** A corpus word one edit (or one swap of neighbouring letters) from a word that is neither in the corpus nor in English. */
  fuzzy: { rank: 0.8, cover: 0.9 },
  /** Two edits away: long words only, and less sure. */
  fuzzy2: { rank: 0.6, cover: 0.8 },
  /**
   * A glossary synonym of the reader's word: ranked well below the word itself, but it covers
   * the concept almost as well (calibrated: 0.8 left paraphrases such as "disagreement" for
   * "could not agree" short of the coverage threshold).
   */
  synonym: { rank: 0.5, cover: 0.9 },
} as const;

/**
 * Edits allowed to reach a known word, by its length as written: short words are too easily
 * another word. Only words that are neither in the corpus nor ordinary English are corrected,
 * so a correctly spelled word is never drowned by its neighbours.
 */
export function fuzzyDistanceFor(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 4) return 1;
  return 0;
}

/**
 * Openings that frame a request rather than say what it is about: "tell me about the
 * peacekeepers" asks about the peacekeepers, and "tell" must not look for what someone told.
 * "These days" and "nowadays" only say "now", which every news passage is about.
 */
const FRAMING =
  /^(?:(?:can|could|would) you |please )?(?:tell|show|give) (?:me|us) (?:more )?(?:about |on |of )?|^(?:i (?:want|would like|'d like) to know|do you know|i wonder)\b|\b(?:these days|nowadays|at the moment|right now)\b/gi;

/**
 * "What else was on the agenda besides the conflict": what follows "besides" is what the reader
 * already knows and does not want back, so it is not searched for.
 */
const EXCLUSION = /\b(?:besides|apart from|aside from|other than|except(?: for)?)\b[^,;?!.]*/gi;

/** The share of a known word's weight that is its corpus idf alone; the rest scales with its everyday-English specificity. */
const CORPUS_IDF_SHARE = 0.5;

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
  /** Where those words are in the question. */
  readonly span: Span;
  /** How much the concept says about what the question is after (an idf). */
  readonly weight: number;
  /** Corpus terms that match this concept, with their weights. */
  readonly matches: ReadonlyMap<string, Match>;
  /** Those that are the reader's word itself or a typo of it (not synonyms). */
  readonly direct: readonly string[];
  /** How specific the reader's words are in everyday English (0 to 1). */
  readonly specificity: number;
}

export interface QueryPlan {
  readonly concepts: readonly Concept[];
  /** Every corpus term to search, with its rank weight. */
  readonly weights: ReadonlyMap<string, number>;
}

export function planQuery(question: string, index: PassageIndex, english: EnglishFrequency): QueryPlan {
  const concepts: Concept[] = [];
  const weights = new Map<string, number>();

  for (const { term, words, span } of conceptTerms(question, index)) {
    const matches = new Map<string, Match>();
    const offer = (candidate: string, match: Match) => {
      if (index.frequency(candidate) === 0 || (matches.get(candidate)?.rank ?? 0) >= match.rank) return;
      matches.set(candidate, match);
    };
    offer(term, TERM_WEIGHTS.exact);
    if (!matches.has(term) && !english.isWord(words)) {
      const typed = surface(fold(words));
      const [nearest] = index.nearWords(typed, fuzzyDistanceFor(typed));
      if (nearest) {
        for (const t of nearest.terms) offer(t, nearest.distance <= 1 ? TERM_WEIGHTS.fuzzy : TERM_WEIGHTS.fuzzy2);
      }
    }
    const direct = [...matches.keys()];
    for (const base of new Set([term, ...direct])) {
      for (const synonym of index.analyzer.synonymsOf(base)) offer(synonym, TERM_WEIGHTS.synonym);
    }

    const specificity = specificityOf(words, english);
    const weight = conceptWeight(term, specificity, direct, [...matches.keys()], index);
    concepts.push({ term, words, span, weight, matches, direct, specificity });
    for (const [match, { rank }] of matches) weights.set(match, Math.max(weights.get(match) ?? 0, rank));
  }
  return { concepts, weights };
}

/**
 * How much a concept says about what the question is after.
 *
 * - A word the corpus has (or a typo of one) weighs its corpus idf, tempered by how specific the
 *   word is in everyday English: one article is too small a sample for idf alone ("people"
 *   occurs in one passage of the summit article and would weigh as much as "Zangilan").
 * - A word the corpus knows only through glossary synonyms weighs what they weigh, but no more
 *   than the word itself is specific: "stop" (synonym "end") says little, "observers" much.
 *   A glossary phrase ("stay longer", "keep the peace") is specific by being in the glossary.
 * - A word the corpus lacks altogether weighs by how specific it is in everyday English, so
 *   "capital" counts and "keep" hardly does.
 */
function conceptWeight(term: string, specificity: number, direct: readonly string[], all: readonly string[], index: TermStatistics): number {
  const phrase = term.includes(PHRASE_JOINER);
  const idf = (terms: readonly string[]) => Math.max(...terms.map((t) => index.idf(t)));
  if (direct.length > 0) return idf(direct) * (phrase ? 1 : CORPUS_IDF_SHARE + (1 - CORPUS_IDF_SHARE) * specificity);
  const unknown = index.idf('') * specificity;
  if (all.length > 0) return phrase ? idf(all) : Math.min(unknown, idf(all));
  return unknown;
}

/**
 * How specific the reader's words are in everyday English; a phrase is as specific as its most
 * specific word, and a hyphenated word is one word ("one-on-one" is not "one").
 */
function specificityOf(words: string, english: EnglishFrequency): number {
  const parts = words.split(/[^\p{L}\p{N}'’‐‑-]+/u).filter(Boolean);
  return parts.length === 0 ? 1 : Math.max(...parts.map((w) => english.specificity(w)));
}

/** The question without its framing and without the words that name the kind of answer. */
function questionBody(question: string): string {
  const blank = (text: string) => ' '.repeat(text.length);
  let body = question.replace(FRAMING, blank).replace(EXCLUSION, blank);
  const { typeWords } = readQuestion(body);
  // "What month…", "which year…", "how many years…": the passage gives a month or a number of
  // years, it does not use the word. Blanked rather than cut, so spans still index the question.
  if (typeWords) body = blank(body.slice(0, typeWords.end)) + body.slice(typeWords.end);
  return body;
}

/**
 * The question's terms, one per thing asked about. A hyphenated word yields its joined form and
 * its parts; it is one concept, searched as the joined form when the corpus or the glossary knows
 * it (cease-fire, one-on-one) or a typo of it (Nagorno-Karabkh), and as its parts otherwise
 * (44-day). A
 * glossary phrase the corpus knows ("keep the peace", "French president") is one concept, and its
 * words are not asked about again on their own.
 */
function conceptTerms(question: string, index: PassageIndex): { term: string; words: string; span: Span }[] {
  const body = questionBody(question);
  const terms = index.analyzer.terms(body);
  const known = (term: string) =>
    index.frequency(term) > 0 || [...index.analyzer.synonymsOf(term)].some((s) => index.frequency(s) > 0);
  const phrases = terms.filter((t) => t.term.includes(PHRASE_JOINER) && known(t.term));
  const inPhrase = (t: Term) => phrases.some((p) => p !== t && p.start <= t.start && t.end <= p.end);

  const bySpan = new Map<string, Term[]>();
  for (const t of terms) {
    if (t.term.includes(PHRASE_JOINER) ? !phrases.includes(t) : inPhrase(t)) continue;
    const key = `${t.start}:${t.end}`;
    bySpan.set(key, [...(bySpan.get(key) ?? []), t]);
  }
  const seen = new Set<string>();
  const out: { term: string; words: string; span: Span }[] = [];
  for (const group of bySpan.values()) {
    const [joined, ...parts] = group;
    if (!joined) continue;
    const words = body.slice(joined.start, joined.end);
    const typed = surface(fold(words));
    const whole = parts.length === 0 || known(joined.term) || index.nearWords(typed, fuzzyDistanceFor(typed)).length > 0;
    const span = { start: joined.start, end: joined.end };
    const chosen = whole ? [{ term: joined.term, words, span }] : parts.map((p) => ({ term: p.term, words: body.slice(p.start, p.end), span }));
    if (!whole) {
      // The parts share the hyphenated word's span: give each its own written form.
      for (const piece of words.split(/[‐‑-]/)) {
        const part = index.analyzer.terms(piece)[0]?.term;
        const c = chosen.find((x) => x.term === part);
        if (c) c.words = piece;
      }
    }
    for (const c of chosen) {
      if (seen.has(c.term)) continue;
      seen.add(c.term);
      out.push(c);
    }
  }
  return out;
}

/**
 * The concepts' weights as one article sees them: computed as `planQuery` does, with the
 * article's own passages for the corpus. In an archive, "Putin" is rare and would outweigh
 * "born" in "When was Putin born?", so that a summit paragraph naming Putin and a date would
 * seem to cover the question; within the summit article Putin is everywhere, "born" nowhere,
 * and the paragraph covers too little to answer, as it does when the article is alone. For a
 * corpus of one article these are the plan's own weights.
 */
export function conceptWeightsIn(plan: QueryPlan, statistics: TermStatistics): number[] {
  const known = (terms: Iterable<string>) => [...terms].filter((t) => statistics.frequency(t) > 0);
  return plan.concepts.map((c) => conceptWeight(c.term, c.specificity, known(c.direct), known(c.matches.keys()), statistics));
}

/**
 * The share of the question's specific content a passage covers: each concept counts by its
 * weight, times the credit of its best match, times the credit of where it was found (a word in
 * the passage's own text counts fully, its section heading or its article's title less). A
 * passage that only shares a common name with the question ("Azerbaijan") covers little of "How
 * much gas does Azerbaijan export?". `weights` replaces the concepts' own (see conceptWeightsIn).
 */
export function coverage(
  plan: QueryPlan,
  terms: ReadonlySet<string> | ReadonlyMap<string, number>,
  weights: readonly number[] = plan.concepts.map((c) => c.weight),
): number {
  const creditOf = (term: string) => (terms instanceof Map ? (terms.get(term) ?? 0) : terms.has(term) ? 1 : 0);
  let total = 0;
  let covered = 0;
  plan.concepts.forEach((concept, i) => {
    const weight = weights[i] ?? concept.weight;
    total += weight;
    let best = 0;
    for (const [term, { cover }] of concept.matches) best = Math.max(best, cover * creditOf(term));
    covered += weight * best;
  });
  return total === 0 ? 0 : covered / total;
}
