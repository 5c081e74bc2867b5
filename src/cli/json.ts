import type { Passage } from '../corpus/types.ts';
import type { Answer, Excerpt } from '../search/ask.ts';
import type { Summary } from '../summary/summarize.ts';
import type { TimelineEvent } from '../timeline/types.ts';

/**
 * The JSON shapes promised in the design notes ("Contracts that other tools rely on"). Built field by field
 * rather than by serialising internal objects, so that a new internal field never changes the
 * contract by accident. Fields may be added here; none may be renamed.
 */
export interface ExcerptJson {
  readonly passage: string;
  readonly citation: string;
  readonly text: string;
  readonly score: number;
  readonly document: string;
  readonly highlights: readonly { readonly start: number; readonly end: number }[];
}

export interface AnswerJson {
  readonly question: string;
  readonly answered: boolean;
  readonly excerpts: readonly ExcerptJson[];
  readonly explanation?: string;
  readonly suggestions?: readonly ExcerptJson[];
}

/** A batch line that could not be asked: still an ask object, with the reason in `error`. */
export interface AskErrorJson extends AnswerJson {
  readonly error: string;
}

export interface PassageJson {
  readonly passage: string;
  readonly citation: string;
  readonly text: string;
  readonly document: string;
  readonly kind: Passage['kind'];
  readonly section?: string;
}

export function answerJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answered: answer.answered,
    excerpts: answer.excerpts.map(excerptJson),
    ...(answer.explanation === undefined ? {} : { explanation: answer.explanation }),
    ...(answer.suggestions === undefined ? {} : { suggestions: answer.suggestions.map(excerptJson) }),
  };
}

export function askErrorJson(question: string, error: string): AskErrorJson {
  return { question, answered: false, excerpts: [], error };
}

function excerptJson(excerpt: Excerpt): ExcerptJson {
  return {
    passage: excerpt.passage,
    citation: excerpt.citation,
    text: excerpt.text,
    score: excerpt.score,
    document: excerpt.document,
    highlights: excerpt.highlights.map(({ start, end }) => ({ start, end })),
  };
}

export function passageJson(passage: Passage): PassageJson {
  return {
    passage: passage.id,
    citation: passage.citation,
    text: passage.text,
    document: passage.documentId,
    kind: passage.kind,
    ...(passage.section === undefined ? {} : { section: passage.section }),
  };
}

export interface TimelineEventJson {
  readonly date: string;
  readonly precision: TimelineEvent['precision'];
  readonly phrase: string;
  readonly text: string;
  readonly passage: string;
  readonly citation: string;
  readonly document: string;
  readonly season?: NonNullable<TimelineEvent['season']>;
  /** First and last day the date covers, YYYY-MM-DD. */
  readonly start: string;
  readonly end: string;
}

export interface TimelineJson {
  readonly events: readonly TimelineEventJson[];
}

export interface SummaryPointJson {
  readonly text: string;
  readonly passage: string;
  readonly citation: string;
  readonly document: string;
}

export interface SummaryJson {
  readonly title: string;
  readonly points: readonly SummaryPointJson[];
  readonly covered: boolean;
  readonly note?: string;
  readonly topic?: string;
  /** The document summarized. */
  readonly document?: string;
}

export function timelineJson(events: readonly TimelineEvent[]): TimelineJson {
  return { events: events.map(timelineEventJson) };
}

function timelineEventJson(event: TimelineEvent): TimelineEventJson {
  return {
    date: event.date,
    precision: event.precision,
    phrase: event.phrase,
    text: event.text,
    passage: event.passage,
    citation: event.citation,
    document: event.document,
    ...(event.season === undefined ? {} : { season: event.season }),
    start: event.start,
    end: event.end,
  };
}

export function summaryJson(summary: Summary, document: string | undefined): SummaryJson {
  return {
    title: summary.title,
    points: summary.points.map(({ text, passage, citation, document }) => ({ text, passage, citation, document })),
    covered: summary.covered,
    ...(summary.note === undefined ? {} : { note: summary.note }),
    ...(summary.topic === undefined ? {} : { topic: summary.topic }),
    ...(document === undefined ? {} : { document }),
  };
}

/** `--json` output: indented for the person who runs it, still one JSON value for `jq`. */
export function toJsonOutput(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One record per line (JSON Lines), for batch mode. */
export function toJsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
