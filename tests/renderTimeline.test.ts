import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  formatEventDate,
  layoutTimeline,
  measureText,
  renderTimelinePng,
  renderTimelineSvg,
  shortLabel,
  type TimelineLabelBox,
  type TimelineLayout,
} from '../src/timeline/renderTimeline.ts';
import type { TimelineEvent } from '../src/timeline/types.ts';

const DOC = 'sochi-summit-2022-10-31';
const DOC_TITLE = 'Azerbaijan, Armenia, Russia ink document to commit to normalization';

function event(number: number, fields: Omit<TimelineEvent, 'passage' | 'citation' | 'document'>): TimelineEvent {
  return { ...fields, passage: `${DOC}#${number}`, citation: `¶${number}`, document: DOC };
}

/** The dated events of corpus/sochi-summit-2022-10-31.md, paragraphs numbered as in the article. */
const EVENTS: readonly TimelineEvent[] = [
  event(9, {
    date: '1991', precision: 'year', phrase: 'since 1991', start: '1991-01-01', end: '1991-12-31',
    text: 'Relations between the two former Soviet republics have been tense since 1991, when the Armenian military occupied Nagorno-Karabakh, a territory internationally recognized as part of Azerbaijan.',
  }),
  event(10, {
    date: '2020', precision: 'season', season: 'autumn', phrase: 'In the fall of 2020', start: '2020-09-01', end: '2020-11-30',
    text: 'In the fall of 2020, in 44 days of clashes, Baku liberated several cities, villages, and settlements from Armenian occupation, ending in a Moscow-brokered truce.',
  }),
  event(12, {
    date: '2020', precision: 'year', phrase: 'in 2020', start: '2020-01-01', end: '2020-12-31',
    text: 'The initiative comes a month after the worst clashes between Armenia and Azerbaijan since their war in 2020.',
  }),
  event(27, {
    date: '2020', precision: 'year', phrase: '2020', start: '2020-01-01', end: '2020-12-31',
    text: 'The 2020 cease-fire agreement saw Russia deploy a force of 2,000 peacekeepers to the region to oversee a fragile truce.',
  }),
  event(21, {
    date: '2022-02', precision: 'month', phrase: 'February', start: '2022-02-01', end: '2022-02-28',
    text: 'With Moscow increasingly isolated on the world stage following its February offensive on Ukraine, the U.S. and the EU have taken a leading role in mediating the Armenia-Azerbaijan peace talks.',
  }),
  event(22, {
    date: '2022-08', precision: 'month', phrase: 'in August', start: '2022-08-01', end: '2022-08-31',
    text: 'EU chief Charles Michel and French President Emmanuel Macron hosted talks between Pashinian and Aliyev in Brussels in August.',
  }),
  event(8, {
    date: '2022-09', precision: 'month', phrase: 'This September', start: '2022-09-01', end: '2022-09-30',
    text: 'This September, deadly clashes on the Azerbaijan-Armenia border near Karabakh claimed nearly 300 lives.',
  }),
  event(19, {
    date: '2022-09', precision: 'month', phrase: 'Last month', start: '2022-09-01', end: '2022-09-30',
    text: 'Last month, 286 people from both sides were killed in clashes that have jeopardized a slow and halting peace process.',
  }),
  event(23, {
    date: '2022-10-03', precision: 'day', phrase: 'on Oct. 3', start: '2022-10-03', end: '2022-10-03',
    text: 'Following a slew of diplomatic efforts from Brussels and Washington, Armenian and Azerbaijani foreign ministers met on Oct. 3 in Geneva to begin drafting the text of a future peace treaty.',
  }),
  event(2, {
    date: '2022-10-31', precision: 'day', phrase: 'on Monday', start: '2022-10-31', end: '2022-10-31',
    text: 'Azerbaijani, Armenian and Russian leaders agreed on a joint statement to continue to work on the normalization of ties between Baku and Yerevan, following a trilateral summit in the Russian resort town of Sochi on Monday.',
  }),
  event(1, {
    date: '2022-10-31', precision: 'day', phrase: 'Oct. 31, 2022', start: '2022-10-31', end: '2022-10-31',
    text: 'Caption: (L-R) Azerbaijani President Ilham Aliyev, Russian President Vladimir Putin and Armenian Prime Minister Nikol Pashinian attend trilateral talks in the Black sea resort of Sochi, Russia, Oct. 31, 2022.',
  }),
];

const byCitation = (citation: string): TimelineEvent => {
  const found = EVENTS.find((e) => e.citation === citation);
  if (!found) throw new Error(`no fixture ${citation}`);
  return found;
};

/** Reads width and height out of a PNG's IHDR chunk, checking the signature on the way. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.readUInt32BE(8)).toBe(13);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const overlaps = (a: TimelineLabelBox, b: TimelineLabelBox): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The invariants every layout must keep, whatever the input. */
function expectSoundLayout(layout: TimelineLayout, eventCount: number): void {
  // Every event gets exactly one card.
  expect(layout.labels.map((l) => l.eventIndex).sort((a, b) => a - b)).toEqual(Array.from({ length: eventCount }, (_, i) => i));

  for (const [i, a] of layout.labels.entries()) {
    // Inside the picture.
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
    expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
    // Text stays inside its card.
    for (const line of a.lines) expect(measureText(line, 26)).toBeLessThanOrEqual(a.width - 24);
    expect(measureText(a.date, 26, true)).toBeLessThanOrEqual(a.width - 24);
    // No two cards overlap.
    for (const b of layout.labels.slice(i + 1)) {
      expect(overlaps(a, b), `${a.citation} ${a.date} overlaps ${b.citation} ${b.date}`).toBe(false);
    }
  }

  for (const strip of layout.strips) {
    const cards = layout.labels.filter((l) => l.strip === strip.index);
    const markerTop = Math.min(strip.bandTop, ...strip.markers.map((m) => m.y - 12));
    const markerBottom = Math.max(strip.bandBottom, ...strip.markers.map((m) => m.y + 12));
    for (const side of ['above', 'below'] as const) {
      const row = cards.filter((c) => c.side === side).sort((a, b) => a.x - b.x);
      // Cards stay clear of the axis and the markers.
      for (const card of row) {
        if (side === 'above') expect(card.y + card.height).toBeLessThan(markerTop);
        else expect(card.y).toBeGreaterThan(markerBottom);
      }
      // Cards and markers are in the same order, so leader lines do not cross.
      const markerXs = row.map((c) => c.marker.x);
      expect(markerXs).toEqual([...markerXs].sort((a, b) => a - b));
    }
  }
}

describe('formatEventDate', () => {
  it('writes each precision for people', () => {
    expect(formatEventDate(byCitation('¶2'))).toBe('31 Oct 2022');
    expect(formatEventDate(byCitation('¶23'))).toBe('3 Oct 2022');
    expect(formatEventDate(byCitation('¶8'))).toBe('Sep 2022');
    expect(formatEventDate(byCitation('¶10'))).toBe('Autumn 2020');
    expect(formatEventDate(byCitation('¶9'))).toBe('1991');
    const winter = { ...byCitation('¶10'), season: 'winter' as const, start: '2020-12-01', end: '2021-02-28' };
    expect(formatEventDate(winter)).toBe('Winter 2020/21');
  });
});

describe('shortLabel', () => {
  it('takes a few words around the phrase, leaving the date out', () => {
    expect(shortLabel(byCitation('¶9'))).toBe('Armenian military occupied Nagorno-Karabakh');
    expect(shortLabel(byCitation('¶21'))).toBe('…following its offensive on Ukraine');
    expect(shortLabel(byCitation('¶22'))).toContain('Aliyev in Brussels');
    expect(shortLabel(byCitation('¶23'))).toContain('met in Geneva');
    expect(shortLabel(byCitation('¶8'))).toMatch(/^Deadly clashes/);
  });

  it('stays short and cuts at word boundaries with an ellipsis', () => {
    for (const e of EVENTS) {
      const label = shortLabel(e);
      expect(label.length, label).toBeLessThanOrEqual(44);
      expect(label.length, label).toBeGreaterThan(10);
      const words = e.text.split(/\s+/).map((w) => w.replace(/[.,;:]+$/, ''));
      // Every word of the label is a whole word of the sentence.
      for (const word of label.replace(/…/g, ' ').split(' ').filter(Boolean)) {
        expect(words.some((w) => w.toLowerCase() === word.replace(/[.,;:]+$/, '').toLowerCase()), `${word} in ${label}`).toBe(true);
      }
    }
  });

  it('falls back to the start of the sentence when the phrase is not in it', () => {
    expect(shortLabel({ text: 'Talks resumed in Prague after a long pause between the two sides.', phrase: 'next week' })).toBe(
      'Talks resumed in Prague after a long pause…',
    );
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    expect(escapeXml(`<script>&"'`)).toBe('&lt;script&gt;&amp;&quot;&apos;');
  });
  it('drops control characters', () => {
    expect(escapeXml('a\u0000b\u0007c\u001bd')).toBe('abcd');
  });
});

describe('layoutTimeline', () => {
  it('places the article’s events on one strip without overlaps', () => {
    const layout = layoutTimeline(EVENTS, { title: 'Sochi summit', documentTitle: DOC_TITLE });
    expect(layout.width).toBe(1600);
    expect(layout.strips).toHaveLength(1);
    expectSoundLayout(layout, EVENTS.length);
    // 1991, 2020 and 2022 are far apart: the axis is cut twice.
    expect(layout.strips[0]?.segments).toHaveLength(3);
    expect(layout.strips[0]?.breaks).toHaveLength(2);
    // The cards alternate above and below the axis.
    const sides = layout.labels.map((l) => l.side);
    expect(sides.filter((s) => s === 'above')).toHaveLength(6);
    expect(sides.filter((s) => s === 'below')).toHaveLength(5);
  });

  it('handles one event', () => {
    const layout = layoutTimeline([byCitation('¶2')]);
    expectSoundLayout(layout, 1);
    expect(layout.title).toBe('Timeline');
  });

  it('handles two events on the same day', () => {
    const layout = layoutTimeline([byCitation('¶1'), byCitation('¶2')]);
    expectSoundLayout(layout, 2);
    const [a, b] = layout.labels;
    expect(a?.marker.x).toBeCloseTo(b?.marker.x ?? NaN);
    expect(a?.side).not.toBe(b?.side);
  });

  it('splits many events into strips and keeps every card clear of the others', () => {
    const many = Array.from({ length: 60 }, (_, i): TimelineEvent => {
      const base = EVENTS[i % EVENTS.length] as TimelineEvent;
      return { ...base, citation: `¶${i + 1}` };
    });
    const layout = layoutTimeline(many);
    expect(layout.strips.length).toBeGreaterThan(1);
    expectSoundLayout(layout, many.length);
  });

  it('throws a clear error on an empty list', () => {
    expect(() => layoutTimeline([])).toThrow(/without events/);
    expect(() => renderTimelineSvg([])).toThrow(/without events/);
    expect(() => renderTimelinePng([])).toThrow(/without events/);
  });
});

describe('renderTimelineSvg', () => {
  const svg = renderTimelineSvg(EVENTS, { title: 'Armenia & Azerbaijan', documentTitle: DOC_TITLE });

  it('shows every citation, date and label, escaped', () => {
    for (const e of EVENTS) expect(svg).toContain(`>${e.citation}<`);
    for (const date of ['31 Oct 2022', '3 Oct 2022', 'Sep 2022', 'Aug 2022', 'Feb 2022', 'Autumn 2020', '1991']) {
      expect(svg).toContain(`>${date}<`);
    }
    for (const label of layoutTimeline(EVENTS).labels) {
      for (const line of label.lines) expect(svg).toContain(`>${escapeXml(line)}</text>`);
    }
    expect(svg).toContain('Armenia &amp; Azerbaijan');
    expect(svg).toContain(`Source: ${DOC_TITLE}`);
    expect(svg).toContain('≈');
  });

  it('escapes markup and strips control characters from every text it draws', () => {
    const nasty = `<script>&"'`;
    const hostile: TimelineEvent = {
      ...byCitation('¶23'),
      text: `Ministers met on Oct. 3 in ${nasty} Geneva\u0007 to draft\u0000 a treaty.`,
      citation: '¶23',
    };
    const out = renderTimelineSvg([hostile], { title: `Title ${nasty}`, documentTitle: `Doc ${nasty}` });
    expect(out).not.toContain('<script');
    expect([...out].filter((c) => c < ' ' && c !== '\n')).toEqual([]);
    expect(out).toContain('Title &lt;script&gt;&amp;&quot;&apos;');
    expect(out).toContain('Doc &lt;script&gt;&amp;&quot;&apos;');
    expect(out).toContain('&lt;script&gt;&amp;&quot;&apos;');
    // Well-formed enough for resvg to draw.
    expect(pngSize(renderTimelinePng([hostile], { title: `Title ${nasty}` })).width).toBe(1600);
  });

  it('asks for the bundled font only', () => {
    expect(svg).toContain('font-family="DejaVu Sans"');
  });
});

describe('renderTimelinePng', () => {
  it('draws a PNG 1600 px wide, as tall as the layout', () => {
    const png = renderTimelinePng(EVENTS, { title: 'Sochi summit', documentTitle: DOC_TITLE });
    const { width, height } = pngSize(png);
    expect(width).toBe(1600);
    expect(height).toBe(layoutTimeline(EVENTS, { title: 'Sochi summit', documentTitle: DOC_TITLE }).height);
    expect(height).toBeGreaterThan(600);
    expect(height).toBeLessThan(1400);
  });

  it('draws one event and sixty events', () => {
    expect(pngSize(renderTimelinePng([byCitation('¶2')])).width).toBe(1600);
    const many = Array.from({ length: 60 }, (_, i): TimelineEvent => ({ ...(EVENTS[i % EVENTS.length] as TimelineEvent), citation: `¶${i + 1}` }));
    expect(pngSize(renderTimelinePng(many)).width).toBe(1600);
  });
});
