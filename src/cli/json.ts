import type { Passage } from '../corpus/types.ts';
import type { Answer, Excerpt } from '../search/ask.ts';
import type { Summary, SummaryPoint } from '../summary/summarize.ts';
import type { TimelineEvent } from '../timeline/types.ts';

/**
 * The JSON shapes promised in the design notes ("Contracts that other tools rely on"). Built field by field
 * rather than by serialising internal objects, so that a new internal field never changes the
 * contract by accident. Fields may be added here; none may be renamed.
 *
 * Where a contract object carries the domain object's own fields under their own names (an
 * excerpt of `ask`, a timeline event, a summary point, a highlight), the contract is the list of
 * those fields in the order they are printed, and `pick` is its one serializer.
 */

/**
 * The named fields of `source`, in the order named, leaving out those that are undefined (as
 * `JSON.stringify` would): nothing the list does not name reaches the JSON.
 */
function pick<T extends object, K extends keyof T>(source: T, fields: readonly K[]): Pick<T, K> {
  const picked: Partial<Pick<T, K>> = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked as Pick<T, K>;
}

const HIGHLIGHT_FIELDS = ['start', 'end'] as const satisfies readonly (keyof Excerpt['highlights'][number])[];
/** Printed in this order, then `highlights`. */
const EXCERPT_FIELDS = ['passage', 'citation', 'text', 'score', 'document'] as const satisfies readonly (keyof Excerpt)[];
/** `season` only for a season; `start` and `end` are the first and last day the date covers, YYYY-MM-DD. */
const TIMELINE_EVENT_FIELDS = [
  'date',
  'precision',
  'phrase',
  'text',
  'passage',
  'citation',
  'document',
  'season',
  'start',
  'end',
] as const satisfies readonly (keyof TimelineEvent)[];
const SUMMARY_POINT_FIELDS = ['text', 'passage', 'citation', 'document'] as const satisfies readonly (keyof SummaryPoint)[];

export type HighlightJson = Pick<Excerpt['highlights'][number], (typeof HIGHLIGHT_FIELDS)[number]>;

export type ExcerptJson = Pick<Excerpt, (typeof EXCERPT_FIELDS)[number]> & {
  readonly highlights: readonly HighlightJson[];
};

export type AnswerJson = Pick<Answer, 'question' | 'answered' | 'explanation'> & {
  readonly excerpts: readonly ExcerptJson[];
  readonly suggestions?: readonly ExcerptJson[];
};

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

export type TimelineEventJson = Pick<TimelineEvent, (typeof TIMELINE_EVENT_FIELDS)[number]>;

export interface TimelineJson {
  readonly events: readonly TimelineEventJson[];
}

export type SummaryPointJson = Pick<SummaryPoint, (typeof SUMMARY_POINT_FIELDS)[number]>;

export type SummaryJson = Pick<Summary, 'title' | 'covered' | 'note' | 'topic'> & {
  readonly points: readonly SummaryPointJson[];
  /** The document summarized. */
  readonly document?: string;
};

export function answerJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    answered: answer.answered,
    excerpts: answer.excerpts.map(excerptJson),
    ...pick(answer, ['explanation']),
    ...(answer.suggestions === undefined ? {} : { suggestions: answer.suggestions.map(excerptJson) }),
  };
}

export function askErrorJson(question: string, error: string): AskErrorJson {
  return { question, answered: false, excerpts: [], error };
}

function excerptJson(excerpt: Excerpt): ExcerptJson {
  return {
    ...pick(excerpt, EXCERPT_FIELDS),
    highlights: excerpt.highlights.map((span) => pick(span, HIGHLIGHT_FIELDS)),
  };
}

export function passageJson(passage: Passage): PassageJson {
  return {
    passage: passage.id,
    citation: passage.citation,
    text: passage.text,
    document: passage.documentId,
    kind: passage.kind,
    ...pick(passage, ['section']),
  };
}

export function timelineJson(events: readonly TimelineEvent[]): TimelineJson {
  return { events: events.map((event) => pick(event, TIMELINE_EVENT_FIELDS)) };
}

export function summaryJson(summary: Summary, document: string | undefined): SummaryJson {
  return {
    title: summary.title,
    points: summary.points.map((point) => pick(point, SUMMARY_POINT_FIELDS)),
    ...pick(summary, ['covered', 'note', 'topic']),
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
