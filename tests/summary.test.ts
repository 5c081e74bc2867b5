import { beforeAll, describe, expect, it } from 'vitest';
import { emptyGlossary } from '../src/corpus/glossary.ts';
import { parseArticle } from '../src/corpus/parseArticle.ts';
import type { Document } from '../src/corpus/types.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import {
  MAX_POINT_LENGTH,
  MAX_POINTS,
  MAX_SUMMARY_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOPIC_LENGTH,
  MIN_POINTS,
  summarize,
  type Summary,
} from '../src/summary/summarize.ts';

const ARTICLE_ID = 'sochi-summit-2022-10-31';

let kb: KnowledgeBase;
let sochi: Document;
let story: Summary;

const summaryOf = (topic?: string) => summarize(kb.index, { english: kb.english, ...(topic === undefined ? {} : { topic }) });

/** The paragraph numbers a summary cites, in its order. */
const cited = (summary: Summary) => summary.points.map((p) => Number(p.citation.slice(1)));

/**
 * Share of the smaller point's content words (four letters or more) that the other point also
 * uses: 1 for a point repeated, near 0 for two points on different things.
 */
function tokenOverlap(a: string, b: string): number {
  const words = (text: string) => new Set(text.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
  const [x, y] = [words(a), words(b)];
  let shared = 0;
  for (const word of x) if (y.has(word)) shared++;
  return shared / Math.max(1, Math.min(x.size, y.size));
}

/** The summary as an embed shows it: one bullet per point, its citation after it. */
const rendered = (summary: Summary) => summary.points.map((p) => `• ${p.text} (${p.citation})`).join('\n');

/** Every point must be a faithful, cited slice of its passage: the contract the moderators pin. */
function expectFaithful(summary: Summary, document: Document = sochi) {
  for (const point of summary.points) {
    const passage = document.passages.find((p) => p.id === point.passage);
    expect(passage, point.passage).toBeDefined();
    expect(point.citation).toBe(passage?.citation);
    expect(point.document).toBe(document.id);
    expect(point.text.length).toBeLessThanOrEqual(MAX_POINT_LENGTH);
    for (const piece of point.text.split('…').filter((s) => s.trim() !== '')) expect(passage?.text).toContain(piece);
  }
  expect(summary.title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
  expect(summary.title.length + rendered(summary).length).toBeLessThan(MAX_SUMMARY_LENGTH);
}

beforeAll(async () => {
  kb = await KnowledgeBase.open('corpus');
  const found = kb.documents.find((d) => d.id === ARTICLE_ID);
  if (!found) throw new Error(`the corpus has no ${ARTICLE_ID}`);
  sochi = found;
  story = summaryOf();
});

describe('summarize: the whole story', () => {
  it('tells it in three to six cited points under the article title', () => {
    expect(story.title).toBe(sochi.title);
    expect(story.topic).toBeUndefined();
    expect(story.covered).toBe(true);
    expect(story.note).toBeUndefined();
    expect(story.points.length).toBeGreaterThanOrEqual(MIN_POINTS);
    expect(story.points.length).toBeLessThanOrEqual(MAX_POINTS);
  });

  it('quotes every point exactly from the passage it cites', () => {
    expectFaithful(story);
  });

  it('opens on the lead: who met where, and what they agreed', () => {
    const [lead] = story.points;
    expect(lead?.citation).toBe('¶2');
    expect(lead?.text).toMatch(/Sochi/);
    expect(lead?.text).toMatch(/normalization/);
  });

  it('covers what they could not agree on, the recent clashes and the wider mediation', () => {
    const text = story.points.map((p) => p.text).join('\n');
    expect(text).toMatch(/could not agree/);
    expect(text).toMatch(/clashes/);
    expect(text).toMatch(/mediat/);
  });

  it('reads in the article’s order, one point per passage', () => {
    const numbers = cited(story);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('never says the same thing twice', () => {
    const texts = story.points.map((p) => p.text);
    for (const [i, a] of texts.entries()) for (const b of texts.slice(i + 1)) expect(tokenOverlap(a, b), `${a}\n${b}`).toBeLessThan(0.5);
    // The article repeats Putin's "very useful meeting" (¶3, ¶13) and the September clashes
    // (¶8, ¶19); a summary gives each once. The measure itself must see the quote as a repeat.
    const numbers = cited(story);
    expect(numbers.includes(3) && numbers.includes(13)).toBe(false);
    expect(numbers.includes(8) && numbers.includes(19)).toBe(false);
    const text = (n: number) => sochi.passages[n - 1]?.text ?? '';
    expect(tokenOverlap(text(3), text(13))).toBeGreaterThan(0.5);
  });

  it('tells the story from the body, not the photo caption', () => {
    const captions = sochi.passages.filter((p) => p.kind === 'caption').map((p) => p.id);
    for (const point of story.points) expect(captions).not.toContain(point.passage);
  });

  it('keeps a quotation whole when it runs over several sentences', () => {
    // ¶3's quote is two sentences; half of it would misquote Putin.
    const quote = story.points.find((p) => p.citation === '¶3');
    if (quote) expect(quote.text).toBe(sochi.passages[2]?.text);
  });

  it('fits a Discord embed with room to spare', () => {
    expect(story.title.length + rendered(story).length).toBeLessThan(MAX_SUMMARY_LENGTH / 2);
  });

  it('is the same summary every time', () => {
    expect(summaryOf()).toEqual(story);
  });
});

describe('summarize: on a topic', () => {
  it('"peacekeepers": the passages on the Russian peacekeepers, and only what concerns them', () => {
    const summary = summaryOf('peacekeepers');
    expect(summary.title).toBe(`${sochi.title} — on "peacekeepers"`);
    expect(summary.topic).toBe('peacekeepers');
    expect(summary.covered).toBe(true);
    expectFaithful(summary);
    const numbers = cited(summary);
    expect(numbers.filter((n) => n >= 27 && n <= 29).length).toBeGreaterThanOrEqual(2);
    for (const point of summary.points) {
      // ¶28 speaks of "their presence": it is on the topic through the sentence before it.
      const passage = sochi.passages.find((p) => p.id === point.passage);
      expect(/peacekeep/i.test(point.text) || passage?.section === 'Russian peacekeepers', point.text).toBe(true);
    }
    // Never the Armenian "military" of 1991: a synonym does not beat the word itself.
    expect(numbers).not.toContain(9);
  });

  it('"EU": what the European Union did and said', () => {
    const summary = summaryOf('EU');
    expect(summary.covered).toBe(true);
    expectFaithful(summary);
    expect(summary.points.length).toBeGreaterThanOrEqual(MIN_POINTS);
    for (const point of summary.points) expect(point.text).toMatch(/\bEU\b|European Union/);
    expect(cited(summary)).toEqual(expect.arrayContaining([21, 30]));
  });

  it('"Karabakh": three to six points that all concern it, in reading order', () => {
    const summary = summaryOf('Karabakh');
    expect(summary.covered).toBe(true);
    expectFaithful(summary);
    expect(summary.points.length).toBeGreaterThanOrEqual(MIN_POINTS);
    expect(summary.points.length).toBeLessThanOrEqual(MAX_POINTS);
    for (const point of summary.points) expect(point.text).toMatch(/Karabakh/);
    const numbers = cited(summary);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers).toContain(4);
  });

  it('"clashes": tells the September clashes once, however differently the article words them twice', () => {
    const summary = summaryOf('clashes');
    expectFaithful(summary);
    const numbers = cited(summary);
    expect(numbers.some((n) => n === 8 || n === 19)).toBe(true);
    expect(numbers.includes(8) && numbers.includes(19)).toBe(false);
  });

  it('"cricket": says honestly that the article says little about it', () => {
    const summary = summaryOf('cricket');
    expect(summary.covered).toBe(false);
    expect(summary.points).toEqual([]);
    expect(summary.note).toBe('The article says little about "cricket".');
  });

  it('a subject named once: the one point there is, and the note', () => {
    const summary = summaryOf('Erdogan');
    expect(summary.covered).toBe(false);
    expect(summary.note).toMatch(/says little about "Erdogan"/);
    expect(cited(summary)).toEqual([32]);
  });

  it('a typo still finds its subject', () => {
    expect(cited(summaryOf('peacekeeprs'))).toEqual(cited(summaryOf('peacekeepers')));
  });

  it('an empty or blank topic is the whole story', () => {
    expect(summaryOf('')).toEqual(story);
    expect(summaryOf('  \n\t ')).toEqual(story);
  });

  it('never throws on whatever a user types', () => {
    const weird = [
      '🙂',
      '🙂'.repeat(300),
      'the of and',
      'x'.repeat(10_000),
      'peacekeepers '.repeat(1_000),
      '@everyone',
      '"; DROP TABLE articles; --',
      '\u0000\u0007\u001b[31m',
      '\uD800 lone surrogate',
      '¶28',
      'sochi-summit-2022-10-31#28',
      '*** __ ~~ ||',
      'Карабах',
      'نگورنو قره باغ',
    ];
    for (const topic of weird) {
      const summary = summaryOf(topic);
      expectFaithful(summary);
      expect(summary.points.length).toBeLessThanOrEqual(MAX_POINTS);
      expect([...(summary.topic ?? '')].length).toBeLessThanOrEqual(MAX_TOPIC_LENGTH);
      if (!summary.covered) expect(summary.note).toBeTruthy();
    }
  });

  it('a topic with nothing to search for says so rather than pretending', () => {
    const summary = summaryOf('🙂');
    expect(summary.covered).toBe(false);
    expect(summary.points).toEqual([]);
    expect(summary.note).toMatch(/no words to look for/);
  });
});

describe('summarize: any article', () => {
  /** A wire story in one paragraph, as the BBC News set has them, with no glossary. */
  const wire = parseArticle(
    [
      '---',
      'id: wire',
      'title: Port strike halts shipping',
      'published: 2005-03-02',
      '---',
      '',
      'Dock workers at the country\'s largest port walked out on Tuesday, halting shipping in a dispute over pay. ' +
        'The strike left forty container ships waiting offshore, the port authority said. ' +
        '"We will stay out until the offer is improved. Our members have waited three years," said union leader Anna Berg. ' +
        'Exporters warned that perishable cargo was already spoiling on the quays. ' +
        'The government urged both sides to return to talks. ' +
        'A similar strike in 2001 lasted eleven days and cost exporters millions.',
      '',
    ].join('\n'),
    'wire.md',
  );

  it('summarizes a one-paragraph article in several distinct sentences of it', () => {
    const wireKb = new KnowledgeBase({ dir: 'synthetic', documents: [wire], glossary: emptyGlossary() }, kb.english);
    const summary = summarize(wireKb.index, { english: wireKb.english });
    expect(summary.title).toBe('Port strike halts shipping');
    expect(summary.covered).toBe(true);
    expectFaithful(summary, wire);
    expect(summary.points.length).toBeGreaterThanOrEqual(MIN_POINTS);
    expect(new Set(summary.points.map((p) => p.text)).size).toBe(summary.points.length);
    expect(summary.points[0]?.text).toMatch(/^Dock workers/);
    // The union's two-sentence quote is one point or none, never half of it.
    for (const point of summary.points) expect((point.text.match(/"/g) ?? []).length % 2).toBe(0);
  });

  it('summarizes any document of the corpus by id, and refuses an unknown one', () => {
    expect(summarize(kb.index, { document: ARTICLE_ID, english: kb.english })).toEqual(story);
    expect(() => summarize(kb.index, { document: 'no-such-article' })).toThrow(RangeError);
  });
});
