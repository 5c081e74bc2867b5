import type { Document, Span } from '../corpus/types.ts';
import { EnglishFrequency } from '../search/englishFrequency.ts';
import { cutAround } from '../search/excerpt.ts';
import type { PassageIndex } from '../search/passageIndex.ts';
import { extractEvents } from '../timeline/extractEvents.ts';
import type { TimelineEvent } from '../timeline/types.ts';
import { weighConcepts } from './conceptWeights.ts';
import { conceptsFor, type Concepts } from './concepts.ts';
import { cleanTopic, clip, matchTopic, planTopic, type TopicMatch } from './topic.ts';
import { splitUnits, type Unit } from './units.ts';

export { MAX_TOPIC_LENGTH } from './topic.ts';

/** A Discord embed description holds 4096 characters; the whole summary must fit in one. */
export const MAX_SUMMARY_LENGTH = 4096;
/** A Discord embed title holds 256 characters. */
export const MAX_TITLE_LENGTH = 256;
/** A point is one sentence, or a tight excerpt of one; the same bound as an `ask` excerpt. */
export const MAX_POINT_LENGTH = 400;
/** What each point may cost beyond its text once rendered: bullet, citation link, line break. */
export const POINT_MARKUP_LENGTH = 64;
export const MIN_POINTS = 3;
export const MAX_POINTS = 6;

export interface SummaryPoint {
  readonly text: string;
  /** Stable passage id: `<document-id>#<paragraph>`. */
  readonly passage: string;
  /** What a reader sees: `¶28`. */
  readonly citation: string;
  readonly document: string;
}

export interface Summary {
  readonly title: string;
  /** The topic as understood (cleaned, cut to MAX_TOPIC_LENGTH); absent for the whole story. */
  readonly topic?: string;
  /** In reading order. */
  readonly points: readonly SummaryPoint[];
  /** False when the article says too little to summarize (about the topic, when there is one). */
  readonly covered: boolean;
  /** Why the summary is thin, in one line. */
  readonly note?: string;
}

export interface SummaryOptions {
  readonly topic?: string;
  /** Document id; the corpus's first document (the story) by default. */
  readonly document?: string;
  /** Everyday English word counts (pass the knowledge base's); loaded once here when not given. */
  readonly english?: EnglishFrequency;
}

/**
 * Tuning of the selection. A unit's value in a round is its content (the centrality of the
 * story's concepts it adds to the points already chosen, per `lengthPower` of its size) times its
 * prior (position, title, background and dangling factors) times its topic relevance squared.
 * Tuned on the Sochi article and read against BBC News articles; see tests/summary.test.ts.
 */
const WEIGHTS = {
  /** Extra weight of the lead; it decays with each unit after it (news puts the news first). */
  lead: 2,
  /** In units: how fast the lead's extra weight decays. */
  leadDecay: 2,
  /** Extra weight for a unit covering the whole of the title's content. */
  title: 0.5,
  /**
   * Factor for a unit naming a year before the article's: background. A summary tells the news
   * first; history is there to explain it.
   */
  background: 0.65,
  /** Factor for a unit opening on a pronoun or a connective: it leans on a sentence not shown. */
  dangling: 0.55,
  /** 0 favours long units (more concepts), 1 dense ones (weight per concept). */
  lengthPower: 0.4,
  /**
   * Share of a concept's weight a unit earns when an earlier unit already named it. An article
   * introduces a theme where it matters and elaborates later: "This September, deadly clashes…"
   * rather than the third retelling of them.
   */
  laterMention: 0.5,
  /** Stop adding points once the best adds less than this share of what the best first one did. */
  stopRatio: 0.25,
  /** The same for a topic: every candidate concerns it, so only a point adding next to nothing stops. */
  topicStopRatio: 0.1,
  /** Units this similar to a chosen point say the same thing (cosine of weighted concepts). */
  maxSimilarity: 0.3,
} as const;

/** A unit concerns the topic when it covers this share of the topic's (idf-weighted) content. */
const MIN_RELEVANCE = 0.5;
/** Among relevant units, those far below the best match (a synonym beside exact mentions) are dropped. */
const RELATIVE_RELEVANCE = 0.6;
/** The article says "little" about a topic that fewer units than this concern. */
const MIN_RELEVANT_UNITS = 2;
/** How uncommon in everyday English a word must be to say what happened (see `isEventWord`). */
const MIN_EVENT_WORD_SPECIFICITY = 0.5;
/** Captions repeat the body and lack its context: in a topical summary they count for less. */
const CAPTION_FACTOR = 0.5;

/**
 * Words that, opening a sentence, lean on what was said before it. English function words, not a
 * vocabulary of any article.
 */
const DANGLING_OPENERS = new Set(['he', 'she', 'they', 'it', 'his', 'her', 'their', 'its', 'them', 'but', 'and', 'so', 'also', 'however', 'yet', 'still']);

interface Candidate {
  readonly unit: Unit;
  /** Concept → what the unit's mention of it weighs. */
  readonly concepts: ReadonlyMap<string, number>;
  /** Euclidean norm of `concepts`, for cosine similarity. */
  readonly norm: number;
  /** Position, title and background factors. */
  readonly prior: number;
  readonly dangling: boolean;
  /** Topic relevance 0..1 (1 without a topic). */
  readonly relevance: number;
  /** Spans to keep in view when the unit must be cut. */
  readonly highlights: readonly Span[];
  /** Month- or day-precise dates the unit names, resolved against the article's date. */
  readonly dates: ReadonlySet<string>;
  /** Concepts of the unit's uncommon lowercase words: what happened, rather than who or where. */
  readonly eventWords: ReadonlySet<string>;
}

/**
 * An extractive summary of one document: three to six cited sentences in reading order, chosen
 * for how much of the story's recurring content each adds to the others, so no two say the same
 * thing, with the lead favoured. With a topic only units that concern it compete, and a topic the
 * article hardly mentions gets an honest note instead of padding. Any topic text is accepted;
 * only an unknown `document` id throws (a RangeError), as that is the caller's mistake.
 */
export function summarize(index: PassageIndex, options: SummaryOptions = {}): Summary {
  const document = findDocument(index, options.document);
  const topic = cleanTopic(options.topic ?? '');
  if (topic === '') return wholeStory(index, document, options.english);

  const title = topicalTitle(document.title, topic);
  const plan = planTopic(topic, index);
  if (plan.length === 0) {
    return { title, topic, points: [], covered: false, note: `"${topic}" has no words to look for: name a subject of the article.` };
  }
  const units = documentUnits(index, document);
  const matches = matchTopic(plan, units, index);
  const { candidates, centrality } = buildCandidates(index, document, units, options.english, matches);
  const relevant = candidates.filter((c) => c.relevance >= MIN_RELEVANCE);
  const best = Math.max(0, ...relevant.map((c) => c.relevance));
  const pool = relevant.filter((c) => c.relevance >= RELATIVE_RELEVANCE * best);
  const points = select(pool, centrality, WEIGHTS.topicStopRatio).map((c) => toPoint(c, document));
  if (pool.length < MIN_RELEVANT_UNITS) {
    return { title, topic, points, covered: false, note: `The article says little about "${topic}".` };
  }
  return { title, topic, points, covered: true };
}

function wholeStory(index: PassageIndex, document: Document, english: EnglishFrequency | undefined): Summary {
  const title = clip(document.title, MAX_TITLE_LENGTH);
  const units = documentUnits(index, document);
  // Captions restate the body in telegraphic style; the body tells the story.
  const { candidates, centrality } = buildCandidates(index, document, units, english, undefined);
  const pool = candidates.filter((c) => c.unit.passage.kind === 'body');
  const points = select(pool, centrality, WEIGHTS.stopRatio).map((c) => toPoint(c, document));
  if (points.length === 0) return { title, points, covered: false, note: 'The article has no text to summarize.' };
  return { title, points, covered: true };
}

function findDocument(index: PassageIndex, id: string | undefined): Document {
  const document = id === undefined ? index.documents[0] : index.documents.find((d) => d.id === id);
  if (!document) {
    throw new RangeError(id === undefined ? 'The corpus has no documents to summarize.' : `No document "${id}" in the corpus.`);
  }
  return document;
}

function topicalTitle(title: string, topic: string): string {
  const suffix = ` — on "${topic}"`;
  return `${clip(title, MAX_TITLE_LENGTH - suffix.length)}${suffix}`;
}

function documentUnits(index: PassageIndex, document: Document): Unit[] {
  const units: Unit[] = [];
  for (const passage of document.passages) {
    units.push(...splitUnits(passage, index.termsOfSentences(passage.id), units.length, MAX_POINT_LENGTH));
  }
  return units;
}

let sharedEnglish: EnglishFrequency | undefined;

function buildCandidates(
  index: PassageIndex,
  document: Document,
  units: readonly Unit[],
  english: EnglishFrequency | undefined,
  matches: ReadonlyMap<Unit, TopicMatch> | undefined,
): { candidates: Candidate[]; centrality: ReadonlyMap<string, number> } {
  const concepts = conceptsFor(index.analyzer);
  const everyday = english ?? (sharedEnglish ??= EnglishFrequency.load());
  const weights = weighConcepts(index, concepts, everyday, units);
  const events = eventsOf(document);

  const titleConcepts = new Set(index.analyzer.terms(document.title).map((t) => concepts.of(t.term)));
  let titleTotal = 0;
  for (const concept of titleConcepts) titleTotal += weights.centrality.get(concept) ?? 0;
  const year = Number(document.published.slice(0, 4));

  let bodyRank = 0;
  const candidates = units.map((unit, i): Candidate => {
    const unitConcepts = weights.units.get(unit) ?? new Map<string, number>();
    let norm = 0;
    for (const weight of unitConcepts.values()) norm += weight * weight;

    const text = unit.passage.text.slice(unit.start, unit.end);
    const firstWord = /\p{L}+/u.exec(text)?.[0]?.toLowerCase() ?? '';
    let titleShare = 0;
    for (const concept of titleConcepts) if (unitConcepts.has(concept)) titleShare += weights.centrality.get(concept) ?? 0;
    const isBody = unit.passage.kind === 'body';
    const position = isBody ? 1 + WEIGHTS.lead * Math.exp(-bodyRank++ / WEIGHTS.leadDecay) : 1;
    const background = events.some((e) => inUnit(e, unit) && Number(e.date.slice(0, 4)) < year)
      ? WEIGHTS.background
      : 1;
    const prior = position * background * (1 + WEIGHTS.title * (titleTotal > 0 ? titleShare / titleTotal : 0));

    const match = matches?.get(unit);
    return {
      unit,
      concepts: unitConcepts,
      norm: Math.sqrt(norm),
      prior,
      dangling: DANGLING_OPENERS.has(firstWord) || namesPreviousSubject(unit, units[i - 1], concepts),
      relevance: match ? match.relevance * (isBody ? 1 : CAPTION_FACTOR) : 1,
      highlights: match?.highlights ?? [],
      dates: datesOf(unit, events),
      eventWords: new Set(
        unit.terms
          .filter((t) => isEventWord(unit.passage.text.slice(t.start, t.end), everyday))
          .map((t) => concepts.of(t.term)),
      ),
    };
  });
  return { candidates, centrality: weights.centrality };
}

/**
 * Whether a unit opens on a definite description of what the unit before it was about: "The
 * hostilities ended…" after a sentence on clashes. Shown alone, the reader cannot tell which.
 */
function namesPreviousSubject(unit: Unit, previous: Unit | undefined, concepts: Concepts): boolean {
  if (!previous || !/^\P{L}*The\s/u.test(unit.passage.text.slice(unit.start, unit.end))) return false;
  const head = unit.terms[0];
  if (!head) return false;
  const concept = concepts.of(head.term);
  return previous.terms.some((t) => concepts.of(t.term) === concept);
}

const eventCache = new WeakMap<Document, readonly TimelineEvent[]>();

function eventsOf(document: Document): readonly TimelineEvent[] {
  let events = eventCache.get(document);
  if (!events) {
    events = extractEvents(document);
    eventCache.set(document, events);
  }
  return events;
}

function inUnit(event: TimelineEvent, unit: Unit): boolean {
  if (event.passage !== unit.passage.id) return false;
  return !event.span || (event.span.start >= unit.start && event.span.end <= unit.end);
}

function datesOf(unit: Unit, events: readonly TimelineEvent[]): Set<string> {
  const dates = new Set<string>();
  for (const event of events) {
    if ((event.precision === 'day' || event.precision === 'month') && inUnit(event, unit)) dates.add(event.date);
  }
  return dates;
}

/**
 * A word that tells what happened: lowercase (not a name) and uncommon in everyday English
 * ("clashes", "ceasefire"; not "said" or "people").
 */
function isEventWord(word: string, english: EnglishFrequency): boolean {
  return /^\p{Ll}/u.test(word) && english.specificity(word) >= MIN_EVENT_WORD_SPECIFICITY;
}

/**
 * Whether two units tell the same event: they date it alike (month or day) and name the same
 * happening. "This September, deadly clashes … claimed nearly 300 lives" and "Last month, 286
 * people … were killed in clashes" share few words, but one month and one kind of event.
 */
function sameEvent(a: Candidate, b: Candidate): boolean {
  if (![...a.dates].some((date) => b.dates.has(date))) return false;
  return [...a.eventWords].some((concept) => b.eventWords.has(concept));
}

/** Cosine of two units' weighted concepts. */
function similarity(a: Candidate, b: Candidate): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  let dot = 0;
  for (const [concept, weight] of a.concepts) dot += weight * (b.concepts.get(concept) ?? 0);
  return dot / (a.norm * b.norm);
}

/**
 * Greedy selection by marginal gain: each round takes the unit whose not-yet-covered concepts
 * weigh most, so a unit repeating a chosen point gains little, and a near-copy (the same quote
 * given twice, the same clash told twice) is refused outright. Points come back in reading order,
 * which for news is the order of the story.
 */
function select(pool: readonly Candidate[], centrality: ReadonlyMap<string, number>, stopRatio: number): Candidate[] {
  // One point per passage reads as a tour of the article; an article in one paragraph (a wire
  // story without breaks) still deserves several points.
  const onePerPassage = new Set(pool.map((c) => c.unit.passage.id)).size >= MIN_POINTS;
  const chosen: Candidate[] = [];
  const covered = new Set<string>();
  let budget = MAX_SUMMARY_LENGTH - MAX_TITLE_LENGTH;
  let firstContent: number | undefined;

  const firstMention = new Map<string, number>();
  for (const candidate of [...pool].sort((a, b) => a.unit.order - b.unit.order)) {
    for (const concept of candidate.concepts.keys()) if (!firstMention.has(concept)) firstMention.set(concept, candidate.unit.order);
  }
  const content = (candidate: Candidate) => {
    let gain = 0;
    for (const concept of candidate.concepts.keys()) {
      const first = firstMention.get(concept) === candidate.unit.order ? 1 : WEIGHTS.laterMention;
      if (!covered.has(concept)) gain += (centrality.get(concept) ?? 0) * first;
    }
    return gain / Math.max(1, candidate.concepts.size) ** WEIGHTS.lengthPower;
  };
  const danglingFactor = (candidate: Candidate) => {
    // A back reference resolves when the unit it leans on is shown right before it.
    if (!candidate.dangling || chosen.some((c) => c.unit.order === candidate.unit.order - 1)) return 1;
    return WEIGHTS.dangling;
  };

  while (chosen.length < MAX_POINTS) {
    const open = pool.filter(
      (candidate) =>
        !chosen.includes(candidate) &&
        !(onePerPassage && chosen.some((c) => c.unit.passage === candidate.unit.passage)) &&
        !chosen.some((c) => similarity(c, candidate) >= WEIGHTS.maxSimilarity || sameEvent(c, candidate)),
    );
    const scored = open.map((candidate) => {
      const value = content(candidate);
      // Relevance counts twice: a unit half about the topic must add far more to beat one wholly about it.
      return { candidate, content: value, score: value * candidate.prior * danglingFactor(candidate) * candidate.relevance ** 2 };
    });
    firstContent ??= Math.max(0, ...scored.map((s) => s.content));
    const best = scored.reduce<(typeof scored)[number] | undefined>((a, b) => (!a || b.score > a.score ? b : a), undefined);
    if (!best || best.score <= 0) break;
    if (chosen.length >= MIN_POINTS && best.content < stopRatio * firstContent) break;
    const cost = pointText(best.candidate).length + best.candidate.unit.passage.citation.length + POINT_MARKUP_LENGTH;
    if (cost > budget) break;
    budget -= cost;
    chosen.push(best.candidate);
    for (const concept of best.candidate.concepts.keys()) covered.add(concept);
  }
  return chosen.sort((a, b) => a.unit.order - b.unit.order);
}

function pointText(candidate: Candidate): string {
  const { unit } = candidate;
  return cutAround(unit.passage.text, { start: unit.start, end: unit.end }, candidate.highlights, MAX_POINT_LENGTH).text;
}

function toPoint(candidate: Candidate, document: Document): SummaryPoint {
  const { passage } = candidate.unit;
  return { text: pointText(candidate), passage: passage.id, citation: passage.citation, document: document.id };
}

