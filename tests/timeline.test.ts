import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/loadCorpus.ts';
import { parseArticle } from '../src/corpus/parseArticle.ts';
import type { Document } from '../src/corpus/types.ts';
import { extractEvents, extractEventsFromCorpus } from '../src/timeline/extractEvents.ts';
import { DateFilterError, filterTimeline, parseDateFilter } from '../src/timeline/timeline.ts';
import type { TimelineEvent } from '../src/timeline/types.ts';

const ARTICLE_ID = 'sochi-summit-2022-10-31';

/** A one-article document for the traps, parsed like a corpus file. */
function article(published: string, body: string, id = 'synthetic'): Document {
  return parseArticle(`---\nid: ${id}\ntitle: Synthetic\npublished: ${published}\n---\n\n${body}\n`, `${id}.md`);
}

/** What a reader checks of an event: its words, where they stand and the date they mean. */
const summary = (event: TimelineEvent) => ({
  citation: event.citation,
  phrase: event.phrase,
  date: event.date,
  precision: event.precision,
  ...(event.season ? { season: event.season } : {}),
  start: event.start,
  end: event.end,
});

const datesOf = (published: string, body: string) =>
  extractEvents(article(published, body)).map((e) => ({ phrase: e.phrase, date: e.date, precision: e.precision }));

let documents: readonly Document[];
let sochi: Document;
let events: TimelineEvent[];

beforeAll(async () => {
  ({ documents } = await loadCorpus('corpus'));
  const found = documents.find((d) => d.id === ARTICLE_ID);
  if (!found) throw new Error(`the corpus has no ${ARTICLE_ID}`);
  sochi = found;
  events = extractEvents(sochi);
});

describe('extractEvents on the Sochi article (published Monday 2022-10-31)', () => {
  it('finds every time expression, in reading order, dated against the publication day', () => {
    expect(events.map(summary)).toEqual([
      // The photo caption's own date.
      { citation: '¶1', phrase: 'Oct. 31, 2022', date: '2022-10-31', precision: 'day', start: '2022-10-31', end: '2022-10-31' },
      // A Monday paper's "on Monday" is the publication day itself, not a week before or after.
      { citation: '¶2', phrase: 'on Monday', date: '2022-10-31', precision: 'day', start: '2022-10-31', end: '2022-10-31' },
      // The border clashes, first telling.
      { citation: '¶8', phrase: 'This September', date: '2022-09', precision: 'month', start: '2022-09-01', end: '2022-09-30' },
      // The Armenian occupation of Nagorno-Karabakh.
      { citation: '¶9', phrase: 'since 1991', date: '1991', precision: 'year', start: '1991-01-01', end: '1991-12-31' },
      // The 44 days of clashes: a meteorological autumn, September to November.
      {
        citation: '¶10', phrase: 'In the fall of 2020', date: '2020', precision: 'season', season: 'autumn',
        start: '2020-09-01', end: '2020-11-30',
      },
      // "comes a month after the worst clashes" in ¶12 is not here: see the test below.
      { citation: '¶12', phrase: 'in 2020', date: '2020', precision: 'year', start: '2020-01-01', end: '2020-12-31' },
      // Aliyev: the conflict "was resolved two years ago", i.e. in 2020, not on 2020-10-31.
      { citation: '¶18', phrase: 'two years ago', date: '2020', precision: 'year', start: '2020-01-01', end: '2020-12-31' },
      // The border clashes, second telling: from Oct. 31, last month is September.
      { citation: '¶19', phrase: 'Last month', date: '2022-09', precision: 'month', start: '2022-09-01', end: '2022-09-30' },
      // "its February offensive": the February before the article, not the next one.
      { citation: '¶21', phrase: 'February', date: '2022-02', precision: 'month', start: '2022-02-01', end: '2022-02-28' },
      // The Brussels talks.
      { citation: '¶22', phrase: 'in August', date: '2022-08', precision: 'month', start: '2022-08-01', end: '2022-08-31' },
      // The Geneva meeting of foreign ministers.
      { citation: '¶23', phrase: 'on Oct. 3', date: '2022-10-03', precision: 'day', start: '2022-10-03', end: '2022-10-03' },
      // Moscow and Paris exchanging jabs.
      { citation: '¶24', phrase: 'this month', date: '2022-10', precision: 'month', start: '2022-10-01', end: '2022-10-31' },
      // "The 2020 cease-fire agreement": a year used as an adjective is still a date.
      { citation: '¶27', phrase: '2020', date: '2020', precision: 'year', start: '2020-01-01', end: '2020-12-31' },
    ]);
  });

  it('ties each event to its passage, document and sentence', () => {
    for (const event of events) {
      const passage = sochi.passages.find((p) => p.id === event.passage);
      expect(passage?.citation).toBe(event.citation);
      expect(event.document).toBe(ARTICLE_ID);
      expect(event.text.length).toBeLessThanOrEqual(400);
      expect(event.text).toContain(event.phrase);
      expect(event.span && passage?.text.slice(event.span.start, event.span.end)).toBe(event.phrase);
    }
    // The sentence, not the whole passage: ¶10's second sentence has no date in it.
    const autumn = events.find((e) => e.citation === '¶10');
    expect(autumn?.text).toBe(
      'In the fall of 2020, in 44 days of clashes, Baku liberated several cities, villages, and settlements from Armenian occupation, ending in a Moscow-brokered truce.',
    );
    expect(events.find((e) => e.citation === '¶22')?.text).toBe(
      'EU chief Charles Michel and French President Emmanuel Macron hosted talks between Pashinian and Aliyev in Brussels in August.',
    );
  });

  it('reads no duration as a date: "44 days", "two decades", "decades of domination"', () => {
    // chrono reads "in 44 days" as 44 days after publication; it is how long the 2020 war lasted.
    expect(events.filter((e) => /days|decade/.test(e.phrase))).toEqual([]);
    expect(events.filter((e) => ['¶11', '¶28'].includes(e.citation))).toEqual([]);
    // ¶10 holds one time expression, the season; its "2020" is part of it, not a second event.
    expect(events.filter((e) => e.citation === '¶10')).toHaveLength(1);
  });

  it('does not date "a month after the worst clashes" (¶12)', () => {
    // It measures from the clashes, not from the publication day: read against the article's
    // date (chrono's reading) it would be December 2022, a month after the summit. The interval
    // adds nothing datable either: the clashes are September (¶8, ¶19) and the initiative is
    // the summit itself (¶2). ¶12's only date is the 2020 war.
    expect(events.filter((e) => e.citation === '¶12').map((e) => e.phrase)).toEqual(['in 2020']);
  });

  it('reads no count as a year: "2,000 peacekeepers", "286 people", "nearly 300 lives"', () => {
    expect(events.filter((e) => ['2000', '0286', '0300'].includes(e.date))).toEqual([]);
    expect(events.filter((e) => e.citation === '¶27').map((e) => e.phrase)).toEqual(['2020']);
  });

  it('dates nothing after the article, which announces no dated future', () => {
    expect(events.every((e) => e.start <= sochi.published)).toBe(true);
  });

  it('extractEventsFromCorpus keeps corpus order and each document in reading order', () => {
    const other = article('2023-01-10', 'Leaders met on Jan. 5 in Brussels.', 'another-story');
    const all = extractEventsFromCorpus([...documents, other]);
    expect(all.slice(0, events.length)).toEqual(events);
    expect(all.slice(events.length).map(summary)).toEqual([
      { citation: '¶1', phrase: 'on Jan. 5', date: '2023-01-05', precision: 'day', start: '2023-01-05', end: '2023-01-05' },
    ]);
  });
});

describe('extractEvents: traps', () => {
  it('"last month" from a 31st is the previous month, with no day rollover', () => {
    // chrono computes March 31 minus one month as "March 3" (February 31 rolled over).
    expect(datesOf('2022-03-31', 'Last month, talks failed.')).toEqual([
      { phrase: 'Last month', date: '2022-02', precision: 'month' },
    ]);
    expect(extractEvents(article('2024-03-31', 'Talks failed last month.'))[0]?.end).toBe('2024-02-29');
    expect(datesOf('2022-01-15', 'Talks failed last month.')).toEqual([
      { phrase: 'last month', date: '2021-12', precision: 'month' },
    ]);
  });

  it('a bare month name is the latest such month up to publication, never a later one', () => {
    expect(datesOf('2022-10-31', 'Talks were held in December.')).toEqual([
      { phrase: 'in December', date: '2021-12', precision: 'month' },
    ]);
    // The publication month itself counts as "up to publication".
    expect(datesOf('2022-10-31', 'Talks were held in October.')).toEqual([
      { phrase: 'in October', date: '2022-10', precision: 'month' },
    ]);
  });

  it('a future-tense sentence may name a later date; a past-tense one may not', () => {
    expect(datesOf('2022-10-31', 'The leaders will meet again next month.')).toEqual([
      { phrase: 'next month', date: '2022-11', precision: 'month' },
    ]);
    expect(datesOf('2022-10-31', 'Talks will resume in December.')).toEqual([
      { phrase: 'in December', date: '2022-12', precision: 'month' },
    ]);
    expect(datesOf('2022-10-31', 'The ministers are expected to meet on Dec. 5, 2022.')).toEqual([
      { phrase: 'on Dec. 5, 2022', date: '2022-12-05', precision: 'day' },
    ]);
    // A past-tense report of a later date is a typo or a misreading: dropped, not shown.
    expect(datesOf('2022-10-31', 'The ministers met on Dec. 5, 2022.')).toEqual([]);
  });

  it('durations are not dates', () => {
    const body =
      'In 44 days of clashes, Baku took several cities. The truce held for three months. ' +
      'Russia lost influence after decades of domination. Peacekeepers may stay another two decades. ' +
      'After two years of war, talks began. The summit comes a month after the clashes.';
    expect(datesOf('2022-10-31', body)).toEqual([]);
  });

  it('"on Monday" in a Wednesday paper is two days before; in a future-tense sentence, five days after', () => {
    expect(datesOf('2022-11-02', 'The leaders met on Monday.')).toEqual([
      { phrase: 'on Monday', date: '2022-10-31', precision: 'day' },
    ]);
    expect(datesOf('2022-11-02', 'The leaders will meet on Monday.')).toEqual([
      { phrase: 'on Monday', date: '2022-11-07', precision: 'day' },
    ]);
    // The future tense of another clause does not move the day: Monday is when he spoke.
    expect(datesOf('2022-11-02', 'On Monday, the minister said debt relief would follow.')).toEqual([
      { phrase: 'On Monday', date: '2022-10-31', precision: 'day' },
    ]);
    // A possessive is not governed by the preposition before it.
    expect(datesOf('2022-11-02', "He scored in Monday's final.")).toEqual([
      { phrase: 'Monday', date: '2022-10-31', precision: 'day' },
    ]);
    // "last" never means the publication day itself.
    expect(datesOf('2022-11-02', 'They spoke last Wednesday.')).toEqual([
      { phrase: 'last Wednesday', date: '2022-10-26', precision: 'day' },
    ]);
  });

  it('"N years ago" is a year, not a day N years before publication', () => {
    expect(datesOf('2022-10-31', 'It was resolved two years ago. A year ago, talks stalled.')).toEqual([
      { phrase: 'two years ago', date: '2020', precision: 'year' },
      { phrase: 'A year ago', date: '2021', precision: 'year' },
    ]);
    // A bound is not a date.
    expect(datesOf('2022-10-31', 'It began more than two years ago.')).toEqual([]);
  });

  it('seasons are meteorological; winter runs from December into the next year', () => {
    const winter = extractEvents(article('2024-05-01', 'The winter of 2023 was mild.'));
    expect(winter.map(summary)).toEqual([
      {
        citation: '¶1', phrase: 'The winter of 2023', date: '2023', precision: 'season', season: 'winter',
        start: '2023-12-01', end: '2024-02-29',
      },
    ]);
    // Told in the past tense before it began: not a date the article can report.
    expect(extractEvents(article('2022-10-31', 'The winter of 2023 was mild.'))).toEqual([]);
    expect(datesOf('2022-10-31', 'This winter will be cold.')).toEqual([
      { phrase: 'This winter', date: '2022', precision: 'season' },
    ]);
    // In January, "this winter" is the one under way, which began the December before.
    expect(datesOf('2023-01-15', 'This winter is cold.')).toEqual([
      { phrase: 'This winter', date: '2022', precision: 'season' },
    ]);
    expect(datesOf('2022-10-31', 'This summer was hot. Autumn 2020 was bloody.')).toEqual([
      { phrase: 'This summer', date: '2022', precision: 'season' },
      { phrase: 'Autumn 2020', date: '2020', precision: 'season' },
    ]);
    // "the fall of" a city is not a season.
    expect(datesOf('2022-10-31', 'After the fall of Kabul, prices fall.')).toEqual([]);
  });

  it('a year is a year only when it is not a count or part of another number', () => {
    const body = 'A force of 2000 troops arrived. About 1990 people fled. Russia sent 2,000 peacekeepers. In the 1990s it was calm.';
    expect(datesOf('2022-10-31', body)).toEqual([]);
    expect(datesOf('2022-10-31', 'Tensions grew by mid-2021.')).toEqual([
      { phrase: 'by mid-2021', date: '2021', precision: 'year' },
    ]);
  });

  it('a time of day, a lone weekday abbreviation or a bare numeral is not a date', () => {
    expect(datesOf('2022-10-31', 'They met at noon. The Sun reported it. Armenia won 3-1. The vote was 10/3.')).toEqual([]);
  });
});

describe('parseDateFilter', () => {
  it('reads a year, a month or a day as the days it covers', () => {
    expect(parseDateFilter('2020')).toEqual({ start: '2020-01-01', end: '2020-12-31', precision: 'year' });
    expect(parseDateFilter('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29', precision: 'month' });
    expect(parseDateFilter('2022-10-31')).toEqual({ start: '2022-10-31', end: '2022-10-31', precision: 'day' });
  });

  it.each(['2022-13', '2022-02-30', 'yesterday', '', '2022-1', '22', '2022/10/31', '2022-10-31T00:00'])(
    'refuses %j, naming the expected form and the value',
    (value) => {
      expect(() => parseDateFilter(value)).toThrow(DateFilterError);
      expect(() => parseDateFilter(value)).toThrow('expected YYYY, YYYY-MM or YYYY-MM-DD');
      expect(() => parseDateFilter(value)).toThrow(`"${value}"`);
    },
  );
});

describe('filterTimeline on the Sochi article', () => {
  const view = (list: readonly TimelineEvent[]) => list.map((e) => `${e.citation} ${e.date}`);

  it('sorts by first day covered, then reading order', () => {
    expect(view(filterTimeline(events))).toEqual([
      '¶9 1991',
      // Three years of 2020 (from January 1) in reading order, then the autumn season.
      '¶12 2020', '¶18 2020', '¶27 2020', '¶10 2020',
      '¶21 2022-02', '¶22 2022-08', '¶8 2022-09', '¶19 2022-09',
      '¶24 2022-10', '¶23 2022-10-03', '¶1 2022-10-31', '¶2 2022-10-31',
    ]);
    // Whatever order they arrive in.
    expect(filterTimeline([...events].reverse())).toEqual(filterTimeline(events));
  });

  it('a year filter keeps every event in that year, seasons included', () => {
    expect(view(filterTimeline(events, { from: '2020', to: '2020' }))).toEqual(['¶12 2020', '¶18 2020', '¶27 2020', '¶10 2020']);
  });

  it('a month filter keeps the days in it and the months, seasons and years around it', () => {
    expect(view(filterTimeline(events, { from: '2022-10', to: '2022-10' }))).toEqual([
      '¶24 2022-10', '¶23 2022-10-03', '¶1 2022-10-31', '¶2 2022-10-31',
    ]);
    // October 2020 lies in the autumn of 2020 and in the year 2020.
    expect(view(filterTimeline(events, { from: '2020-10', to: '2020-10' }))).toEqual([
      '¶12 2020', '¶18 2020', '¶27 2020', '¶10 2020',
    ]);
    // December 2020 is past that autumn.
    expect(view(filterTimeline(events, { from: '2020-12', to: '2020-12' }))).toEqual(['¶12 2020', '¶18 2020', '¶27 2020']);
  });

  it('from and to each work alone and bound by whole periods', () => {
    expect(view(filterTimeline(events, { from: '2022-10-03' }))).toEqual([
      '¶24 2022-10', '¶23 2022-10-03', '¶1 2022-10-31', '¶2 2022-10-31',
    ]);
    expect(view(filterTimeline(events, { to: '2019' }))).toEqual(['¶9 1991']);
    expect(view(filterTimeline(events, { from: '2022-09', to: '2022-09-30' }))).toEqual(['¶8 2022-09', '¶19 2022-09']);
  });

  it('narrows by the caller\'s word predicate', () => {
    const geneva = filterTimeline(events, { matches: (e) => /Geneva/.test(e.text) });
    expect(view(geneva)).toEqual(['¶23 2022-10-03']);
  });

  it('refuses from after to, and malformed bounds, naming the value', () => {
    expect(() => filterTimeline(events, { from: '2023', to: '2022' })).toThrow(DateFilterError);
    expect(() => filterTimeline(events, { from: '2022-10-31', to: '2022-10-30' })).toThrow(/from "2022-10-31" is after to "2022-10-30"/);
    // A day inside the "to" month is not after it.
    expect(() => filterTimeline(events, { from: '2022-10-31', to: '2022-10' })).not.toThrow();
    expect(() => filterTimeline(events, { from: '2022-13' })).toThrow('from "2022-13" is not a date');
    expect(() => filterTimeline(events, { to: 'yesterday' })).toThrow(/to "yesterday" is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD/);
  });

  it('orders documents as they come, then passages and positions', () => {
    const first = article('2022-11-02', 'On Monday they met. Talks had stalled in October.', 'first-story');
    const second = article('2022-11-05', 'They met on Oct. 31.', 'second-story');
    const all = extractEventsFromCorpus([first, second]);
    expect(filterTimeline(all).map((e) => `${e.document} ${e.phrase} ${e.date}`)).toEqual([
      'first-story in October 2022-10',
      'first-story On Monday 2022-10-31',
      'second-story on Oct. 31 2022-10-31',
    ]);
  });
});
