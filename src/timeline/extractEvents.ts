/**
 * Finds the time expressions of a document and dates them against its publication day, never
 * against today.
 *
 * chrono-node reads full dates ("Oct. 31, 2022", "Oct. 3") and weekdays well, but it is wrong in
 * ways that matter for news text on everything relative: "last month" from a 31st rolls over
 * into the same month, a bare month name can land after the article, "in 44 days of clashes"
 * becomes a day 44 days after publication, and it knows no seasons or bare years. Those forms
 * have small rules of their own here; chrono's results are post-processed (precision from the
 * components it is certain of, the year of a yearless day chosen here) and only fill the gaps.
 */
import { createRequire } from 'node:module';
import type { ParsedComponents, ParsedResult } from 'chrono-node';
import type * as ChronoEnglish from 'chrono-node/en';
import type { Document, Passage, Span } from '../corpus/types.ts';
import { cutAround, MAX_EXCERPT_LENGTH } from '../search/excerpt.ts';
import type { DatePrecision, TimelineEvent } from './types.ts';

type Season = NonNullable<TimelineEvent['season']>;
type Modifier = 'this' | 'last' | 'next';

interface ResolvedDate {
  readonly date: string;
  readonly precision: DatePrecision;
  readonly season?: Season;
  readonly start: string;
  readonly end: string;
}

interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The publication day in the units the rules count in. */
interface Publication {
  readonly day: CalendarDay;
  readonly iso: string;
  readonly dayNumber: number;
  readonly monthKey: number;
  readonly seasonKey: number;
}

/** One reading of a stretch of passage text; overlapping candidates compete in `pickCandidates`. */
interface Candidate {
  readonly start: number;
  readonly end: number;
  readonly resolved: ResolvedDate;
  /** Rules are written for exactly the forms chrono gets wrong, so they win ties. */
  readonly source: 'rule' | 'chrono';
}

/** What a rule sees: the passage and how to date things in it. */
interface Context {
  readonly text: string;
  readonly publication: Publication;
  /** Whether the sentence around a position speaks of the future: a later date may stand. */
  readonly futureAt: (index: number) => boolean;
  /**
   * Whether the clause around a position does: only then does an open reference ("on Monday",
   * "in December") point forward. In "On Monday, the minister said debt would be cut" the
   * future belongs to another clause and Monday is the day he spoke.
   */
  readonly futureClauseAt: (index: number) => boolean;
}

const PRECISION_RANK: Readonly<Record<DatePrecision, number>> = { day: 4, month: 3, season: 2, year: 1 };

// ---------------------------------------------------------------------------------------------
// Extraction

/** Every dated time expression of a document, in reading order. */
export function extractEvents(document: Document): TimelineEvent[] {
  const publication = publicationOf(document);
  return document.passages.flatMap((passage) => extractFromPassage(document, passage, publication));
}

/** Every document's events, document after document, each in reading order. */
export function extractEventsFromCorpus(documents: readonly Document[]): TimelineEvent[] {
  return documents.flatMap((document) => extractEvents(document));
}

function extractFromPassage(document: Document, passage: Passage, publication: Publication): TimelineEvent[] {
  const context: Context = {
    text: passage.text,
    publication,
    futureAt: (index) => {
      const sentence = sentenceAround(passage, index);
      return speaksOfFuture(passage.text.slice(sentence.start, sentence.end));
    },
    futureClauseAt: (index) => {
      const sentence = sentenceAround(passage, index);
      const clauseStart = sentence.start + passage.text.slice(sentence.start, index).search(/[^,;:—–()"“”]*$/);
      const breakAfter = passage.text.slice(index, sentence.end).search(CLAUSE_BREAK);
      const clauseEnd = breakAfter < 0 ? sentence.end : index + breakAfter;
      return speaksOfFuture(passage.text.slice(clauseStart, clauseEnd));
    },
  };
  const chosen = pickCandidates([...ruleCandidates(context), ...chronoCandidates(context)])
    // An article may only report what happened by its date, or announce what will. Filtered
    // after choosing, so that a dropped "Dec. 5, 2022" does not leave its "2022" behind.
    .filter((candidate) => candidate.resolved.start <= publication.iso || context.futureAt(candidate.start));
  return chosen.map((candidate) => {
    const span = { start: candidate.start, end: candidate.end };
    const { resolved } = candidate;
    return {
      date: resolved.date,
      precision: resolved.precision,
      ...(resolved.season ? { season: resolved.season } : {}),
      phrase: passage.text.slice(span.start, span.end),
      text: cutAround(passage.text, sentenceAround(passage, span.start), [span], MAX_EXCERPT_LENGTH).text,
      passage: passage.id,
      citation: passage.citation,
      document: document.id,
      start: resolved.start,
      end: resolved.end,
      span,
    };
  });
}

/**
 * One event per time expression: where readings overlap, the most precise wins ("Oct. 31, 2022"
 * over the bare year 2022 inside it), then the longer phrase (chrono's "March to May 2021" over
 * the rule's "March"), then a rule over chrono.
 */
function pickCandidates(candidates: readonly Candidate[]): Candidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      PRECISION_RANK[b.resolved.precision] - PRECISION_RANK[a.resolved.precision] ||
      b.end - b.start - (a.end - a.start) ||
      (a.source === b.source ? 0 : a.source === 'rule' ? -1 : 1) ||
      a.start - b.start,
  );
  const kept: Candidate[] = [];
  for (const candidate of ranked) {
    if (!kept.some((other) => candidate.start < other.end && other.start < candidate.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function sentenceAround(passage: Passage, index: number): Span {
  const sentence = passage.sentences.find((s) => index >= s.start && index < s.end);
  return sentence ? { start: sentence.start, end: sentence.end } : { start: 0, end: passage.text.length };
}

/**
 * Future-tense cues. "would" counts: reported speech ("said the trio would discuss") is the
 * future seen from the past, still after the article's date.
 */
const FUTURE_CUES =
  /\b(?:will|won['’]t|shall|would|next(?!\s+to\b)|upcoming|(?:plans?|planning|intends?|expects?|aims?|hopes?)\s+to|planned\s+for|(?:is|are|was|were)\s+(?:expected|scheduled|set|due|slated)\s+(?:to|for)|to\s+be\s+held)\b|\w['’]ll\b/i;

const CLAUSE_BREAK = /[,;:—–()"“”]/;

function speaksOfFuture(sentence: string): boolean {
  return FUTURE_CUES.test(sentence);
}

// ---------------------------------------------------------------------------------------------
// Rules for what chrono does not parse, or parses wrongly

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20,
};
const NUMBER = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})`;

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;
const SEASON_WORD = '(spring|summer|fall|autumn|winter)';
const MIN_YEAR = 1800;
const MAX_YEAR = 2100;

/** Prepositions that belong to the time expression they govern: "since 1991", "on Oct. 3". */
const GOVERNING_PREPOSITION = /(?:^|[^\p{L}\p{N}])((?:in|on|since|until|till|by|during|through|throughout|from|before|after)\s+)$/iu;

/**
 * Extends a phrase back over the preposition governing it, so the phrase reads as written. A
 * possessive is governed by nothing: in "in Sunday's final" the "in" belongs to "final".
 */
function withPreposition(text: string, start: number, end: number): number {
  if (/^['’]s\b/.test(text.slice(end))) return start;
  const match = GOVERNING_PREPOSITION.exec(text.slice(0, start));
  return match?.[1] ? start - match[1].length : start;
}

function ruleCandidates(context: Context): Candidate[] {
  return [
    ...seasonCandidates(context),
    ...relativeUnitCandidates(context),
    ...agoCandidates(context),
    ...monthNameCandidates(context),
    ...bareYearCandidates(context),
  ];
}

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let match = global.exec(text); match; match = global.exec(text)) yield match;
}

function toModifier(word: string | undefined): Modifier | undefined {
  const lower = word?.toLowerCase();
  if (lower === 'this' || lower === 'next') return lower;
  if (lower === 'last' || lower === 'past') return 'last';
  return undefined;
}

const toSeason = (word: string): Season => {
  const lower = word.toLowerCase();
  return lower === 'fall' ? 'autumn' : (lower as Season);
};

const isYear = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

const SEASON_WITH_YEAR = new RegExp(`\\b(?:the\\s+)?(?:(?:early|late|mid)[\\s-]+)?${SEASON_WORD}(?:\\s+of)?\\s+(\\d{4})\\b`, 'gi');
const SEASON_WITH_MODIFIER = new RegExp(`\\b(this|last|next|past)\\s+${SEASON_WORD}\\b`, 'gi');
/** "in the spring"; never "the fall of Kabul", hence the look-ahead. */
const SEASON_WITH_ARTICLE = new RegExp(
  `\\b(?:in|during|over|through|throughout|by|until|since)\\s+the\\s+(?:(?:early|late)\\s+)?${SEASON_WORD}\\b(?!\\s+of\\b)`,
  'gi',
);

/** "In the fall of 2020", "autumn 2020", "this summer", "in the spring". Meteorological seasons. */
function seasonCandidates(context: Context): Candidate[] {
  const { text, publication } = context;
  const out: Candidate[] = [];
  for (const match of matchesOf(SEASON_WITH_YEAR, text)) {
    const year = Number(match[2]);
    if (!isYear(year)) continue;
    out.push(ruleCandidate(text, match, resolveSeason(seasonKey(year, toSeason(match[1] ?? '')))));
  }
  const relative = (match: RegExpExecArray, modifier: Modifier | undefined, word: string) => {
    const season = toSeason(word);
    const residue = SEASONS.indexOf(season);
    // "this winter" in October is the coming one; in January it is the one under way.
    const thisKey = publication.seasonKey % 4 === residue ? publication.seasonKey : seasonKey(publication.day.year, season);
    const key = pickOccurrence(modifier, publication.seasonKey, residue, 4, thisKey, context.futureClauseAt(match.index));
    return ruleCandidate(text, match, resolveSeason(key));
  };
  for (const match of matchesOf(SEASON_WITH_MODIFIER, text)) out.push(relative(match, toModifier(match[1]), match[2] ?? ''));
  for (const match of matchesOf(SEASON_WITH_ARTICLE, text)) out.push(relative(match, undefined, match[1] ?? ''));
  return out;
}

const RELATIVE_UNIT = /\b(this|last|next)\s+(month|year)\b/gi;

/**
 * "this month", "last month", "next year". Month arithmetic on month numbers: from Oct. 31 or
 * March 31, "last month" is September or February, never a day that rolls over.
 */
function relativeUnitCandidates({ text, publication }: Context): Candidate[] {
  return [...matchesOf(RELATIVE_UNIT, text)].map((match) => {
    const shift = { this: 0, last: -1, next: 1 }[toModifier(match[1]) ?? 'this'];
    const resolved =
      match[2]?.toLowerCase() === 'month'
        ? resolveMonth(publication.monthKey + shift)
        : resolveYear(publication.day.year + shift);
    return ruleCandidate(text, match, resolved);
  });
}

const AGO = new RegExp(`\\b${NUMBER}\\s+(day|week|month|year|decade)s?\\s+ago\\b`, 'gi');
/** "more than two years ago" is a bound, not a date. */
const BOUND_BEFORE = /\b(?:more|less|fewer)\s+than\s+$|\b(?:over|under|at\s+least|at\s+most)\s+$/i;

/**
 * "two years ago", "a month ago", "three days ago", each at the precision of its unit. Weeks
 * and decades are dropped: a day or a year would claim an exactness the text does not have.
 */
function agoCandidates({ text, publication }: Context): Candidate[] {
  const out: Candidate[] = [];
  for (const match of matchesOf(AGO, text)) {
    if (BOUND_BEFORE.test(text.slice(0, match.index))) continue;
    const word = (match[1] ?? '').toLowerCase();
    const count = NUMBER_WORDS[word] ?? Number(word);
    const unit = match[2]?.toLowerCase();
    if (unit === 'year') out.push(ruleCandidate(text, match, resolveYear(publication.day.year - count)));
    else if (unit === 'month') out.push(ruleCandidate(text, match, resolveMonth(publication.monthKey - count)));
    else if (unit === 'day') {
      const { year, month, day } = fromDayNumber(publication.dayNumber - count);
      out.push(ruleCandidate(text, match, resolveDay(year, month, day)));
    }
  }
  return out;
}

/** A month name with no day or year after it; chrono reads "Oct. 3", "5 October", "March 2021". */
const MONTH_NAME = new RegExp(
  `\\b(?:(early|mid|late)[\\s-]+)?(?:(this|last|next|past)\\s+)?(${MONTH_NAMES.join('|')})\\b(?!\\.?\\s*\\d)`,
  'gi',
);
/** Also words: "may" the verb, "march" the noun. Dates only with a cue before them. */
const AMBIGUOUS_MONTHS: ReadonlySet<string> = new Set(['May', 'March']);

/**
 * "in August", "This September", "its February offensive". A month of no stated year is the
 * most recent such month up to the article's (this one included), unless the sentence speaks of
 * the future: then the next one from it.
 */
function monthNameCandidates(context: Context): Candidate[] {
  const { text, publication } = context;
  const out: Candidate[] = [];
  for (const match of matchesOf(MONTH_NAME, text)) {
    const name = match[3] ?? '';
    // Month names are proper nouns; "august" in lower case is the adjective.
    if (!/^\p{Lu}/u.test(name)) continue;
    if (/\d\s*$/.test(text.slice(0, match.index))) continue;
    const start = withPreposition(text, match.index, match.index + match[0].length);
    const cued = start < match.index || match[1] !== undefined || match[2] !== undefined;
    const canonical = MONTH_NAMES.find((month) => month.toLowerCase() === name.toLowerCase()) ?? name;
    if (AMBIGUOUS_MONTHS.has(canonical) && !cued) continue;
    const residue = MONTH_NAMES.indexOf(canonical as (typeof MONTH_NAMES)[number]);
    const thisKey = monthKey(publication.day.year, residue + 1);
    const key = pickOccurrence(toModifier(match[2]), publication.monthKey, residue, 12, thisKey, context.futureClauseAt(match.index));
    out.push({ start, end: match.index + match[0].length, resolved: resolveMonth(key), source: 'rule' });
  }
  return out;
}

/**
 * A four-digit year standing alone: "since 1991", "in 2020", "the 2020 cease-fire agreement".
 * Not part of a larger number ("2,000", "12020", "3.2020"), a decade ("the 1990s"), a range's
 * second half ("2020-2021") or a percentage.
 */
const BARE_YEAR = /(?<![\p{L}\p{N}.,$€£/])(?<!\d-)(\d{4})(?![\p{L}\p{N}]|[.,/-]\d|\s*%)/gu;
/** A count, not a year: "about 2000 people", "a force of 2000 peacekeepers". */
const QUANTIFIER_BEFORE =
  /\b(?:about|around|nearly|almost|some|approximately|roughly|over|under|than|least|most|only|just|another|total\s+of|force\s+of|estimated|up\s+to)\s+$/i;
const COUNT_NOUNS: ReadonlySet<string> = new Set([
  'people', 'persons', 'men', 'women', 'children', 'troops', 'soldiers', 'peacekeepers', 'servicemen', 'civilians',
  'refugees', 'residents', 'prisoners', 'pows', 'casualties', 'deaths', 'lives', 'dead', 'wounded', 'victims',
  'km', 'kilometers', 'kilometres', 'miles', 'meters', 'metres', 'feet', 'hectares', 'acres', 'square',
  'tons', 'tonnes', 'barrels', 'dollars', 'euros', 'rubles', 'roubles', 'manat', 'drams', 'percent', 'per',
  'homes', 'houses', 'buildings', 'vehicles', 'tanks', 'units', 'votes', 'cases', 'times', 'members', 'jobs',
]);

function bareYearCandidates({ text }: Context): Candidate[] {
  const out: Candidate[] = [];
  for (const match of matchesOf(BARE_YEAR, text)) {
    const year = Number(match[1]);
    if (!isYear(year)) continue;
    const end = match.index + match[0].length;
    if (QUANTIFIER_BEFORE.test(text.slice(0, match.index))) continue;
    const nextWord = /^\s+(\p{L}+)/u.exec(text.slice(end))?.[1]?.toLowerCase();
    if (nextWord !== undefined && COUNT_NOUNS.has(nextWord)) continue;
    const qualified = match.index - (/(?:^|[^\p{L}])((?:early|mid|late)[\s-]+)$/iu.exec(text.slice(0, match.index))?.[1]?.length ?? 0);
    out.push({ start: withPreposition(text, qualified, end), end, resolved: resolveYear(year), source: 'rule' });
  }
  return out;
}

function ruleCandidate(text: string, match: RegExpExecArray, resolved: ResolvedDate): Candidate {
  const end = match.index + match[0].length;
  return { start: withPreposition(text, match.index, end), end, resolved, source: 'rule' };
}

/** Which occurrence of a recurring period (month of the year, season) a phrase names. */
function pickOccurrence(
  modifier: Modifier | undefined,
  current: number,
  residue: number,
  period: number,
  thisKey: number,
  future: boolean,
): number {
  const mod = (a: number) => ((a % period) + period) % period;
  switch (modifier) {
    case 'last':
      return current - 1 - mod(current - 1 - residue);
    case 'next':
      return current + 1 + mod(residue - current - 1);
    case 'this':
      return thisKey;
    default:
      return future ? current + mod(residue - current) : current - mod(current - residue);
  }
}

// ---------------------------------------------------------------------------------------------
// chrono-node, post-processed

const WEEKDAY_NAME = /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b/;

let chronoEnglish: typeof ChronoEnglish | undefined;

/**
 * chrono-node's English locale, loaded on first use (its CommonJS build, so synchronously):
 * loading it costs a process about 50 ms, and the bot answers questions from its start, long
 * before anyone asks for a timeline or a summary. The English locale alone: the full package
 * loads every language and takes a second to import.
 */
function chrono(): typeof ChronoEnglish {
  chronoEnglish ??= createRequire(import.meta.url)('chrono-node/en') as typeof ChronoEnglish;
  return chronoEnglish;
}

function chronoCandidates(context: Context): Candidate[] {
  const { text, publication } = context;
  const reference = { instant: new Date(`${publication.iso}T12:00:00Z`), timezone: 0 };
  const out: Candidate[] = [];
  for (const result of chrono().casual.parse(text, reference, { forwardDate: false })) {
    // chrono's unit arithmetic ("last month", "in 44 days", "a month after") rolls days over and
    // reads durations and intervals from other events as dates; the rules above cover the
    // relative forms that are dates.
    if (result.tags().has('result/relativeDate')) continue;
    const phrase = result.text.replace(/[\s,;:]+$/, '');
    // "now" in news prose is the present tense, not an event.
    if (/^now$/i.test(phrase)) continue;
    const resolved = resolveChronoResult(result, phrase, context.futureClauseAt(result.index), publication);
    if (!resolved) continue;
    const end = result.index + phrase.length;
    out.push({
      start: withPreposition(text, result.index, end),
      end,
      resolved,
      source: 'chrono',
    });
  }
  return out;
}

interface CertainFields {
  year?: number;
  month?: number;
  day?: number;
  weekday?: number;
}

/** Only what the text states: chrono fills the other components from the reference date. */
function certainFields(components: ParsedComponents): CertainFields {
  const fields: CertainFields = {};
  for (const name of ['year', 'month', 'day', 'weekday'] as const) {
    const value = components.get(name);
    if (components.isCertain(name) && value !== null) fields[name] = value;
  }
  return fields;
}

function resolveChronoResult(
  result: ParsedResult,
  phrase: string,
  future: boolean,
  publication: Publication,
): ResolvedDate | undefined {
  const start = certainFields(result.start);
  const end = result.end ? certainFields(result.end) : undefined;
  // "March to May 2021": the year stated once covers both ends.
  if (end?.year !== undefined && start.year === undefined && start.month !== undefined) {
    start.year = end.month !== undefined && start.month > end.month ? end.year - 1 : end.year;
  }
  // Bare numerals ("10/3", "3-1") are scores, ratios and fractions far more often than dates.
  if (!/\p{L}/u.test(phrase) && start.year === undefined) return undefined;
  const resolved = resolveFields(start, phrase, future, publication);
  if (!resolved || !end) return resolved;
  if (end.year === undefined && start.year !== undefined && end.month !== undefined) end.year = start.year;
  const last = resolveFields(end, phrase, future, publication);
  return last && last.end > resolved.end ? { ...resolved, end: last.end } : resolved;
}

function resolveFields(fields: CertainFields, phrase: string, future: boolean, publication: Publication): ResolvedDate | undefined {
  const { year, month, day, weekday } = fields;
  if (month !== undefined && day !== undefined) {
    const resolvedYear = year ?? yearOfDay(month, day, future, publication);
    return resolvedYear === undefined ? undefined : resolveDay(resolvedYear, month, day);
  }
  // A day of no month ("the 5th") is too loose; a month alone is the month-name rule's job.
  if (day !== undefined || (month !== undefined && year === undefined)) return undefined;
  if (month !== undefined && year !== undefined) return resolveMonth(monthKey(year, month));
  if (year !== undefined) return resolveYear(year);
  if (weekday !== undefined && WEEKDAY_NAME.test(phrase)) return resolveWeekday(weekday, phrase, future, publication);
  // Only a time of day: "at noon", "in the evening".
  return undefined;
}

/**
 * A yearless day ("Oct. 3") is the latest such day up to publication; in a sentence about the
 * future, the first one from it. chrono may pick the nearest in either direction.
 */
function yearOfDay(month: number, day: number, future: boolean, publication: Publication): number | undefined {
  // February 29 may be up to eight years away (1900 and 2100 are not leap years).
  for (let offset = 0; offset <= 8; offset++) {
    const year = publication.day.year + (future ? offset : -offset);
    if (!isValidDay(year, month, day)) continue;
    const iso = isoDay(year, month, day);
    if (future ? iso >= publication.iso : iso <= publication.iso) return year;
  }
  return undefined;
}

/**
 * A weekday in a news article is the most recent such day on or before publication ("on Monday"
 * in a Monday paper is that day), or the first on or after it when the sentence speaks of the
 * future; "last" and "next" exclude the publication day itself.
 */
function resolveWeekday(weekday: number, phrase: string, future: boolean, publication: Publication): ResolvedDate {
  const today = weekdayOf(publication.dayNumber);
  const back = (today - weekday + 7) % 7;
  const ahead = (weekday - today + 7) % 7;
  let offset: number;
  if (/\blast\b/i.test(phrase)) offset = -(back || 7);
  else if (/\bnext\b/i.test(phrase)) offset = ahead || 7;
  else offset = future ? ahead : -back;
  const { year, month, day } = fromDayNumber(publication.dayNumber + offset);
  return resolveDay(year, month, day);
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic, on plain numbers in UTC days: timeline dates are calendar days, never
// instants, so nothing goes through the local time zone.

const MS_PER_DAY = 86_400_000;
const SEASONS: readonly Season[] = ['spring', 'summer', 'autumn', 'winter'];
const SEASON_FIRST_MONTH: Readonly<Record<Season, number>> = { spring: 3, summer: 6, autumn: 9, winter: 12 };

function publicationOf(document: Document): Publication {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(document.published);
  const day = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
  if (!day || !isValidDay(day.year, day.month, day.day)) {
    throw new Error(`${document.file}: published date "${document.published}" is not a real YYYY-MM-DD date`);
  }
  return {
    day,
    iso: document.published,
    dayNumber: dayNumberOf(day),
    monthKey: monthKey(day.year, day.month),
    seasonKey: seasonKeyOf(day),
  };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isValidDay(year: number, month: number, day: number): boolean {
  return Number.isInteger(day) && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const isoYear = (year: number) => pad(year, 4);
const isoMonth = (year: number, month: number) => `${isoYear(year)}-${pad(month, 2)}`;
const isoDay = (year: number, month: number, day: number) => `${isoMonth(year, month)}-${pad(day, 2)}`;

function dayNumberOf({ year, month, day }: CalendarDay): number {
  // setUTCFullYear, because Date.UTC maps years 0–99 onto 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / MS_PER_DAY);
}

function fromDayNumber(days: number): CalendarDay {
  const date = new Date(days * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 = Sunday, as chrono counts; 1970-01-01 was a Thursday. */
const weekdayOf = (days: number) => (((days + 4) % 7) + 7) % 7;

/** Months counted from year 0, so month arithmetic is integer arithmetic with no day to roll over. */
const monthKey = (year: number, month: number) => year * 12 + (month - 1);

/** Seasons counted from year 0; winter of year Y (Dec Y – Feb Y+1) comes right after autumn of Y. */
const seasonKey = (year: number, season: Season) => year * 4 + SEASONS.indexOf(season);

function seasonKeyOf({ year, month }: CalendarDay): number {
  // January and February belong to the winter that began the December before.
  if (month <= 2) return seasonKey(year - 1, 'winter');
  return year * 4 + Math.floor((month - 3) / 3);
}

function resolveDay(year: number, month: number, day: number): ResolvedDate {
  const date = isoDay(year, month, day);
  return { date, precision: 'day', start: date, end: date };
}

function resolveMonth(key: number): ResolvedDate {
  const year = Math.floor(key / 12);
  const month = key - year * 12 + 1;
  return {
    date: isoMonth(year, month),
    precision: 'month',
    start: isoDay(year, month, 1),
    end: isoDay(year, month, daysInMonth(year, month)),
  };
}

function resolveYear(year: number): ResolvedDate {
  return { date: isoYear(year), precision: 'year', start: isoDay(year, 1, 1), end: isoDay(year, 12, 31) };
}

/** A season is dated by the year it starts in: winter 2020 runs from December 2020 to February 2021. */
function resolveSeason(key: number): ResolvedDate {
  const year = Math.floor(key / 4);
  const season = SEASONS[key - year * 4] ?? 'spring';
  const last = resolveMonth(monthKey(year, SEASON_FIRST_MONTH[season]) + 2);
  return { date: isoYear(year), precision: 'season', season, start: isoDay(year, SEASON_FIRST_MONTH[season], 1), end: last.end };
}
