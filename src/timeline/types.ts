import type { Span } from '../corpus/types.ts';

/** How exact an event's date is; `date` is an ISO prefix at this precision. */
export type DatePrecision = 'day' | 'month' | 'season' | 'year';

/** A dated event found in a document, resolved against the document's `published` date. */
export interface TimelineEvent {
  /**
   * ISO prefix at its precision: "2022-10-31" (day), "2022-09" (month), "2020" (year).
   * A season is dated by its year and named in `season`: "2020" with season "autumn".
   */
  readonly date: string;
  readonly precision: DatePrecision;
  /** Set when precision is `season`. Northern-hemisphere meteorological seasons. */
  readonly season?: 'spring' | 'summer' | 'autumn' | 'winter';
  /** The time expression as written: "In the fall of 2020". */
  readonly phrase: string;
  /** The sentence the expression belongs to, as an excerpt (at most 400 characters). */
  readonly text: string;
  readonly passage: string;
  readonly citation: string;
  readonly document: string;
  /** First and last day the date covers, ISO YYYY-MM-DD; used for sorting and filtering. */
  readonly start: string;
  readonly end: string;
  /**
   * Where `phrase` stands in the passage's text, for highlighting and for ordering events of one
   * passage. Optional so that hand-built events (fixtures) need not invent one.
   */
  readonly span?: Span;
}
