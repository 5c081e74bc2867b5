/**
 * Timeline lookups: events in date order, narrowed by partial dates and by a caller's predicate.
 * Word matching is the caller's, through `matches`, so this module stays free of the search
 * analyzer and every command filters words the way `ask` does.
 */
import { daysInMonth } from './extractEvents.ts';
import type { TimelineEvent } from './types.ts';

/** How a date filter must be written; every DateFilterError names it. */
export const DATE_FILTER_FORMAT = 'YYYY, YYYY-MM or YYYY-MM-DD';

/** A bad `from`/`to` value: a usage error, worded for the person who typed it. */
export class DateFilterError extends Error {
  override readonly name = 'DateFilterError';

  constructor(
    message: string,
    /** The value as given. */
    readonly value: string,
  ) {
    super(message);
  }
}

export type DateFilterPrecision = 'year' | 'month' | 'day';

/** A partial date as the days it covers, first and last, YYYY-MM-DD. */
export interface DateFilter {
  readonly start: string;
  readonly end: string;
  readonly precision: DateFilterPrecision;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/**
 * Reads "2022", "2022-10" or "2022-10-31" as the days it covers. Anything else, a month 13 or a
 * day the month does not have included, throws a DateFilterError naming the expected form.
 * `label` says which value was wrong ("from", "to") in the message.
 */
export function parseDateFilter(value: string, label = 'date'): DateFilter {
  const fail = (reason?: string): never => {
    throw new DateFilterError(
      `${label} "${value}" is not a date${reason ? ` (${reason})` : ''}: expected ${DATE_FILTER_FORMAT}`,
      value,
    );
  };
  const match = PARTIAL_DATE.exec(value.trim());
  if (!match?.[1]) return fail();
  const [yearText, monthText, dayText] = [match[1], match[2], match[3]];
  const year = Number(yearText);
  if (monthText === undefined) return { start: `${yearText}-01-01`, end: `${yearText}-12-31`, precision: 'year' };
  const month = Number(monthText);
  if (month < 1 || month > 12) return fail(`there is no month ${monthText}`);
  const lastDay = daysInMonth(year, month);
  if (dayText === undefined) {
    return { start: `${yearText}-${monthText}-01`, end: `${yearText}-${monthText}-${String(lastDay)}`, precision: 'month' };
  }
  const day = Number(dayText);
  if (day < 1 || day > lastDay) return fail(`${yearText}-${monthText} has ${String(lastDay)} days`);
  const iso = `${yearText}-${monthText}-${dayText}`;
  return { start: iso, end: iso, precision: 'day' };
}

export interface TimelineFilter {
  /** Earliest date shown, as YYYY, YYYY-MM or YYYY-MM-DD: its first day. */
  readonly from?: string | undefined;
  /** Latest date shown, same forms: its last day. */
  readonly to?: string | undefined;
  /** Keeps only the events it accepts (the word filter). */
  readonly matches?: ((event: TimelineEvent) => boolean) | undefined;
}

/**
 * The events whose days overlap [from, to], in date order. An event is kept when any day it
 * covers is in range, so a month filter shows the days in that month and the seasons and years
 * that include it. Throws a DateFilterError for a malformed date or `from` after `to`.
 */
export function filterTimeline(events: readonly TimelineEvent[], filter: TimelineFilter = {}): TimelineEvent[] {
  const from = filter.from === undefined ? undefined : parseDateFilter(filter.from, 'from');
  const to = filter.to === undefined ? undefined : parseDateFilter(filter.to, 'to');
  if (from && to && from.start > to.end) {
    throw new DateFilterError(`from "${filter.from ?? ''}" is after to "${filter.to ?? ''}"`, filter.from ?? '');
  }
  const kept = events.filter(
    (event) =>
      (!from || event.end >= from.start) && (!to || event.start <= to.end) && (!filter.matches || filter.matches(event)),
  );
  return sortTimeline(kept, events);
}

/**
 * Date order (first day covered), then reading order: document, passage, position in the
 * passage. Documents keep the order they first appear in `corpusOrder` (the corpus order, when
 * events come from extractEventsFromCorpus), since events do not carry their document's rank.
 */
export function sortTimeline(events: readonly TimelineEvent[], corpusOrder: readonly TimelineEvent[] = events): TimelineEvent[] {
  const documentRank = new Map<string, number>();
  for (const event of corpusOrder) if (!documentRank.has(event.document)) documentRank.set(event.document, documentRank.size);
  const rankOf = (event: TimelineEvent) => documentRank.get(event.document) ?? documentRank.size;
  return [...events].sort(
    (a, b) =>
      compareText(a.start, b.start) ||
      rankOf(a) - rankOf(b) ||
      passageNumber(a) - passageNumber(b) ||
      (a.span?.start ?? 0) - (b.span?.start ?? 0),
  );
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Passage ids are "<document-id>#<paragraph>" by contract. */
function passageNumber(event: TimelineEvent): number {
  const number = Number(event.passage.slice(event.passage.lastIndexOf('#') + 1));
  return Number.isFinite(number) ? number : 0;
}
