/**
 * Draws a document's dated events as a picture for Discord: a horizontal, piecewise time axis
 * (long empty gaps are cut out and marked "≈"), a marker per event (a dot for a day, a bar for a
 * month, season or year) and a card per event with its date, a short label and its citation.
 *
 * Cards sit in two rows, alternating above and below the axis in date order, and are pulled as
 * close to their markers as the row allows; curved leader lines join each card to its marker and
 * never cross because both ends keep the same order. Many events are split into stacked strips,
 * each with its own axis. Text is measured with the bundled DejaVu Sans metrics, the same font
 * resvg draws with, so a label never spills out of its card.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import { projectPath } from '../projectRoot.ts';
import type { TimelineEvent } from './types.ts';

export interface TimelineRenderOptions {
  /** Heading at the top of the picture. Default "Timeline". */
  readonly title?: string;
  /** Title of the source document, shown in the footer when given. */
  readonly documentTitle?: string;
}

export type LabelSide = 'above' | 'below';

/** One event's card, in picture pixels. */
export interface TimelineLabelBox {
  /** Index of the event in the array passed in. */
  readonly eventIndex: number;
  readonly strip: number;
  readonly side: LabelSide;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** "31 Oct 2022", "Sep 2022", "Autumn 2020", "1991". */
  readonly date: string;
  /** The short label, before wrapping. */
  readonly label: string;
  /** The label wrapped to the card. */
  readonly lines: readonly string[];
  readonly citation: string;
  /** Where the citation pill sits: on the date line, after the last label line, or on a line of its own. */
  readonly citationPlacement: 'header' | 'inline' | 'own-line';
  /** Centre of the event's marker on the axis; the leader line runs from here to the card. */
  readonly marker: { readonly x: number; readonly y: number };
  /** Point on the card's edge where the leader line ends. */
  readonly anchor: { readonly x: number; readonly y: number };
}

export interface TimelineMarker {
  readonly eventIndex: number;
  readonly kind: 'dot' | 'span';
  /** Span bars: left and right edge; dots: both the centre. */
  readonly x1: number;
  readonly x2: number;
  /** Centre line of the marker's lane. */
  readonly y: number;
}

export interface TimelineTick {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly bold: boolean;
}

export interface TimelineSegment {
  /** Days since 1970-01-01 (UTC), end exclusive. */
  readonly startDay: number;
  readonly endDay: number;
  readonly x: number;
  readonly width: number;
  readonly mode: 'day' | 'month' | 'year';
  readonly ticks: readonly TimelineTick[];
  /** x of the white separators drawn across the band, with their extent. */
  readonly separators: readonly { readonly x: number; readonly y1: number; readonly y2: number }[];
}

export interface TimelineStrip {
  readonly index: number;
  /** "Part 1 of 3 · 1991 – Sep 2022" when there are several strips. */
  readonly heading?: { readonly text: string; readonly y: number };
  readonly top: number;
  readonly bottom: number;
  readonly bandTop: number;
  readonly bandBottom: number;
  readonly segments: readonly TimelineSegment[];
  /** x centres of the "≈" break marks between segments. */
  readonly breaks: readonly number[];
  readonly markers: readonly TimelineMarker[];
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly subtitle: string;
  readonly footer?: string;
  readonly strips: readonly TimelineStrip[];
  readonly labels: readonly TimelineLabelBox[];
}

// ---------------------------------------------------------------------------------------------
// Look

const CANVAS_WIDTH = 1600;
const MARGIN_X = 48;
const USABLE = CANVAS_WIDTH - 2 * MARGIN_X;
const FONT_FAMILY = 'DejaVu Sans';

const COLOR = {
  background: '#ffffff',
  title: '#0f172a',
  text: '#0f172a',
  body: '#1e293b',
  muted: '#475569',
  band: '#e8edf4',
  separator: '#ffffff',
  card: '#f6f8fb',
  cardStroke: '#d3dbe6',
  leader: '#94a3b8',
  rule: '#e2e8f0',
  accent: '#2563eb',
  onAccent: '#ffffff',
} as const;

const SIZE = {
  title: 48,
  subtitle: 26,
  stripHeading: 24,
  date: 26,
  label: 26,
  citation: 22,
  tick: 24,
  breakMark: 44,
  footer: 24,
  legend: 24,
} as const;

const TITLE_BASELINE = 90;
const SUBTITLE_BASELINE = 132;
/** Where the first strip starts, below the title and subtitle. */
const CONTENT_TOP = 166;
const STRIP_GAP = 48;
const STRIP_HEADING_HEIGHT = 44;
const FOOTER_HEIGHT = 84;

const CARD_PAD_X = 16;
const CARD_PAD_Y = 14;
const CARD_GAP = 20;
const CARD_MIN_WIDTH = 200;
const CARD_MAX_WIDTH = 520;
const DATE_LINE = 34;
const LABEL_GAP = 4;
const LABEL_LINE = 33;
const PILL_HEIGHT = 30;
const PILL_PAD_X = 10;
const PILL_LINE = 38;

const BAND_HEIGHT = 78;
const BREAK_WIDTH = 60;
const SEGMENT_MIN_WIDTH = 150;
const SEGMENT_INSET = 14;
const LANE_PITCH = 24;
const LANE_OFFSET = 8;
const SPAN_HEIGHT = 12;
const DOT_RADIUS = 9;
const LEADER_ZONE = 60;

/** Gaps longer than this between events are cut out of the axis. */
const GAP_BREAK_DAYS = 365;
const MAX_EVENTS_PER_STRIP = 12;
const LABEL_MAX_CHARS = 44;
const LABEL_MAX_CHARS_DENSE = 34;

// ---------------------------------------------------------------------------------------------
// Text hygiene

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/gu;

/** Drops control characters (and unpaired surrogates) and folds runs of whitespace into one space. */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARS, '').replace(/\s+/g, ' ').trim();
}

/** Escapes the five XML special characters; also drops characters XML cannot carry at all. */
export function escapeXml(text: string): string {
  return text.replace(CONTROL_CHARS, '').replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Fonts and text measurement

const FONT_REGULAR = projectPath('assets', 'fonts', 'DejaVuSans.ttf');
const FONT_BOLD = projectPath('assets', 'fonts', 'DejaVuSans-Bold.ttf');

/** The font files the picture is drawn with; nothing else is loaded. */
export const TIMELINE_FONT_FILES: readonly string[] = [FONT_REGULAR, FONT_BOLD];

interface FontMetrics {
  /** Advance width of a code point, in em. */
  advance(codePoint: number): number;
}

function loadFontMetrics(file: string): FontMetrics {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new Error(`Timeline font is missing: ${file}`, { cause: err });
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    tables.set(buf.toString('latin1', record, record + 4), view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`Timeline font ${file} has no '${tag}' table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table('head') + 18);
  const numberOfHMetrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphAdvance = (glyph: number): number => view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));

  // Character to glyph: prefer a full-Unicode format 12 subtable, else the BMP format 4 one.
  const cmap = table('cmap');
  let format4 = -1;
  let format12 = -1;
  const subtables = view.getUint16(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const record = cmap + 4 + 8 * i;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const offset = cmap + view.getUint32(record + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && format12 < 0) format12 = offset;
    if (format === 4 && format4 < 0) format4 = offset;
  }

  const glyphOf = (cp: number): number => {
    if (format12 >= 0) {
      const groups = view.getUint32(format12 + 12);
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const group = format12 + 16 + 12 * mid;
        const start = view.getUint32(group);
        const end = view.getUint32(group + 4);
        if (cp < start) hi = mid - 1;
        else if (cp > end) lo = mid + 1;
        else return view.getUint32(group + 8) + (cp - start);
      }
      return 0;
    }
    if (format4 >= 0 && cp <= 0xffff) {
      const segCount = view.getUint16(format4 + 6) / 2;
      const endCodes = format4 + 14;
      const startCodes = endCodes + 2 * segCount + 2;
      const idDeltas = startCodes + 2 * segCount;
      const idRangeOffsets = idDeltas + 2 * segCount;
      for (let i = 0; i < segCount; i++) {
        if (cp > view.getUint16(endCodes + 2 * i)) continue;
        const start = view.getUint16(startCodes + 2 * i);
        if (cp < start) return 0;
        const delta = view.getUint16(idDeltas + 2 * i);
        const rangeOffset = view.getUint16(idRangeOffsets + 2 * i);
        if (rangeOffset === 0) return (cp + delta) & 0xffff;
        const glyph = view.getUint16(idRangeOffsets + 2 * i + rangeOffset + 2 * (cp - start));
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
    }
    return 0;
  };

  const cache = new Map<number, number>();
  return {
    advance(cp: number): number {
      let width = cache.get(cp);
      if (width === undefined) {
        width = glyphAdvance(glyphOf(cp)) / unitsPerEm;
        cache.set(cp, width);
      }
      return width;
    },
  };
}

let metrics: { regular: FontMetrics; bold: FontMetrics } | undefined;

function fontMetrics(): { regular: FontMetrics; bold: FontMetrics } {
  metrics ??= { regular: loadFontMetrics(FONT_REGULAR), bold: loadFontMetrics(FONT_BOLD) };
  return metrics;
}

/** Width in pixels of `text` set in DejaVu Sans at `size` px (kerning ignored, so never too small). */
export function measureText(text: string, size: number, bold = false): number {
  const font = bold ? fontMetrics().bold : fontMetrics().regular;
  let em = 0;
  for (const ch of text) em += font.advance(ch.codePointAt(0) ?? 0);
  return em * size;
}

/** Cuts `text` at a word boundary (or, for one long word, a character) so it fits `maxWidth`, adding "…". */
function truncateToWidth(text: string, maxWidth: number, size: number, bold = false): string {
  if (measureText(text, size, bold) <= maxWidth) return text;
  const words = text.split(' ');
  while (words.length > 1) {
    words.pop();
    const candidate = `${trimDangling(words.join(' '))}…`;
    if (measureText(candidate, size, bold) <= maxWidth) return candidate;
  }
  const chars = [...text];
  while (chars.length > 1) {
    chars.pop();
    const candidate = `${chars.join('').trimEnd()}…`;
    if (measureText(candidate, size, bold) <= maxWidth) return candidate;
  }
  return '…';
}

interface Token {
  readonly text: string;
  /** Whether a space separates it from the previous token. */
  readonly space: boolean;
}

/** Splits text into breakable pieces: words, word parts after hyphens, and characters of words too wide for a line. */
function tokenize(text: string, maxWidth: number, size: number, bold: boolean): Token[] {
  const tokens: Token[] = [];
  for (const word of text.split(' ')) {
    if (word === '') continue;
    let first = true;
    for (const part of word.split(/(?<=[-–—/])/)) {
      let rest = part;
      while (rest !== '') {
        let piece = rest;
        if (measureText(piece, size, bold) > maxWidth) {
          const chars = [...rest];
          let n = chars.length;
          while (n > 1 && measureText(chars.slice(0, n).join(''), size, bold) > maxWidth) n--;
          piece = chars.slice(0, n).join('');
        }
        tokens.push({ text: piece, space: first && tokens.length > 0 });
        first = false;
        rest = rest.slice(piece.length);
      }
    }
  }
  return tokens;
}

/** Greedy line breaking by measured width. */
export function wrapText(text: string, maxWidth: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of tokenize(text, maxWidth, size, bold)) {
    if (line === '') {
      line = token.text;
      continue;
    }
    const candidate = `${line}${token.space ? ' ' : ''}${token.text}`;
    if (measureText(candidate, size, bold) <= maxWidth) {
      line = candidate;
    } else {
      lines.push(line);
      line = token.text;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month);
}

/** Days since 1970-01-01 of a UTC calendar date. */
function toDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / DAY_MS);
}

function fromDay(day: number): { year: number; month: number; day: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function parseIsoDay(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const result = toDay(year, month, day);
  const back = fromDay(result);
  return back.month === month && back.day === day ? result : undefined;
}

interface DateParts {
  readonly year: number;
  readonly month?: number;
  readonly day?: number;
}

function parseDatePrefix(date: string): DateParts | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date.trim());
  if (!m) return undefined;
  const month = m[2] === undefined ? undefined : Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  if (month !== undefined && (month < 1 || month > 12)) return { year: Number(m[1]) };
  return { year: Number(m[1]), month, day };
}

const SEASON_MONTHS = { spring: 3, summer: 6, autumn: 9, winter: 12 } as const;

/** First day and the day after the last day the event covers (end exclusive). */
function eventRange(event: TimelineEvent): { start: number; end: number } {
  const start = parseIsoDay(event.start);
  const end = parseIsoDay(event.end);
  if (start !== undefined && end !== undefined) {
    return start <= end ? { start, end: end + 1 } : { start: end, end: start + 1 };
  }
  // Fall back on the date itself.
  const parts = parseDatePrefix(event.date);
  if (!parts) {
    throw new Error(`Timeline event ${event.citation} has no usable date (date "${event.date}", start "${event.start}")`);
  }
  const { year, month, day } = parts;
  if (event.precision === 'day' && month !== undefined && day !== undefined) {
    const d = toDay(year, month, day);
    return { start: d, end: d + 1 };
  }
  if ((event.precision === 'day' || event.precision === 'month') && month !== undefined) {
    return { start: toDay(year, month, 1), end: toDay(year, month + 1, 1) };
  }
  if (event.precision === 'season' && event.season) {
    const first = SEASON_MONTHS[event.season];
    return { start: toDay(year, first, 1), end: toDay(year, first + 3, 1) };
  }
  return { start: toDay(year, 1, 1), end: toDay(year + 1, 1, 1) };
}

/** The date at its precision, for people: "31 Oct 2022", "Sep 2022", "Autumn 2020", "Winter 2020/21", "1991". */
export function formatEventDate(event: TimelineEvent): string {
  const parts = parseDatePrefix(event.date);
  if (!parts) {
    const start = parseIsoDay(event.start);
    if (start === undefined) return cleanText(event.date);
    const d = fromDay(start);
    return `${d.day} ${monthName(d.month)} ${d.year}`;
  }
  const { year, month, day } = parts;
  switch (event.precision) {
    case 'day':
      if (month !== undefined && day !== undefined) return `${day} ${monthName(month)} ${year}`;
      return month !== undefined ? `${monthName(month)} ${year}` : String(year);
    case 'month':
      return month !== undefined ? `${monthName(month)} ${year}` : String(year);
    case 'season': {
      if (!event.season) return String(year);
      const name = event.season[0]?.toUpperCase() + event.season.slice(1);
      const endYear = parseIsoDay(event.end);
      if (endYear !== undefined && fromDay(endYear).year !== year) {
        return `${name} ${year}/${String(fromDay(endYear).year).slice(-2)}`;
      }
      return `${name} ${year}`;
    }
    case 'year':
      return String(year);
  }
}

// ---------------------------------------------------------------------------------------------
// Short labels

/** Words that only tie a clause to what went before; a label does not start with them. */
const CONNECTORS = new Set(['when', 'while', 'where', 'which', 'whereas', 'and', 'but', 'so', 'then', 'that', 'as']);
/** Words a label does not start or end with. */
const DANGLING = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'and', 'or', 'but', 'since', 'until',
  'till', 'during', 'this', 'that', 'last', 'next', 'early', 'late', 'mid', 'its', 'their', 'his', 'her', 'between',
  'before', 'after', 'around', 'about', 'as',
]);
/** Words left hanging before a date phrase once the phrase is cut out ("tense since [1991]", "met on [Oct. 3]"). */
const DATE_LEAD_INS = new Set([
  'in', 'on', 'at', 'by', 'of', 'from', 'since', 'until', 'till', 'during', 'this', 'last', 'next', 'early', 'late',
  'mid', 'around', 'about', 'the',
]);

const bare = (word: string): string => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
const endsClause = (word: string): boolean => /[,;:]$/.test(word) || /^[—–-]$/.test(word);

function trimDangling(text: string): string {
  const words = text.split(' ').filter((w) => w !== '');
  while (words.length > 1 && DANGLING.has(bare(words[words.length - 1] ?? ''))) words.pop();
  return words.join(' ').replace(/[\s,;:—–(-]+$/u, '');
}

/** Takes words from the front while they fit; prefers to stop at a clause boundary over cutting mid-clause. */
function fitForward(input: readonly string[], max: number, leadingEllipsis: boolean): string {
  const prefix = leadingEllipsis ? '…' : '';
  // Headline style: no leading article (when the label starts where the clause starts).
  const words = !leadingEllipsis && input.length > 1 && /^(the|a|an)$/i.test(input[0] ?? '') ? input.slice(1) : input;
  const budget = max - prefix.length;
  const all = words.join(' ').replace(/[.!?]+$/, '');
  if (all.length <= budget) return prefix + all;
  let taken = '';
  let cut = '';
  let clause = '';
  for (const word of words) {
    const next = taken === '' ? word : `${taken} ${word}`;
    if (endsClause(word) && next.replace(/[\s,;:—–-]+$/u, '').length <= budget) clause = next;
    if (next.length > budget) break;
    taken = next;
    if (next.length <= budget - 1) cut = next;
  }
  if (clause.length >= max * 0.6) return prefix + trimDangling(clause);
  if (cut === '') return `${prefix}${[...all].slice(0, budget - 1).join('')}…`;
  return `${prefix}${trimDangling(cut)}…`;
}

/** Takes words from the back while they fit, so the words next to the date phrase are kept. */
function fitBackward(words: readonly string[], max: number): string {
  const all = words.join(' ');
  if (all.length <= max) return all;
  const taken: string[] = [];
  let length = 1; // the ellipsis
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i] ?? '';
    const extra = word.length + (taken.length > 0 ? 1 : 0);
    if (length + extra > max) break;
    if (taken.length > 0 && endsClause(word) && length >= max * 0.45) break;
    taken.unshift(word);
    length += extra;
  }
  while (taken.length > 1 && DANGLING.has(bare(taken[0] ?? ''))) taken.shift();
  if (taken.length === 0) return `…${[...all].slice(-(max - 1)).join('')}`;
  return `…${taken.join(' ')}`;
}

function polish(label: string): string {
  let text = label.trim();
  // Headline style: no leading article, capital first letter.
  if (!text.startsWith('…')) {
    text = text.replace(/^(the|a|an)\s+(?=\S)/i, '');
    text = text.charAt(0).toUpperCase() + text.slice(1);
  }
  // A quotation cut in half reads oddly: drop unbalanced quote marks.
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) text = text.replace(/"/g, '');
  if ((text.match(/“/g)?.length ?? 0) !== (text.match(/”/g)?.length ?? 0)) text = text.replace(/[“”]/g, '');
  return text.replace(/[\s,;:]+(?=…$)/, '').replace(/[\s,;:]+$/, '');
}

/**
 * A few words of the event's sentence that say what happened, at most `max` characters, cut at
 * word boundaries with "…". The date phrase itself is left out (the card shows the date). When the
 * phrase opens the sentence the words after it are used; in mid-sentence, a couple of words before
 * it and the words after it; at the end of the sentence, the words just before it.
 */
export function shortLabel(event: Pick<TimelineEvent, 'text' | 'phrase'>, max = LABEL_MAX_CHARS): string {
  const text = cleanText(event.text)
    .replace(/^caption:\s*/i, '')
    .replace(/^\([LRC](?:\s*[-–]\s*[LRC])+\)\s*/i, '');
  const phrase = cleanText(event.phrase);
  const at = phrase === '' ? -1 : text.toLowerCase().indexOf(phrase.toLowerCase());
  if (at < 0) return polish(fitForward(text.split(' ').filter(Boolean), max, false));

  const leftText = text.slice(0, at);
  const leftWords = leftText.split(' ').filter(Boolean);
  while (leftWords.length > 0 && DATE_LEAD_INS.has(bare(leftWords[leftWords.length - 1] ?? ''))) leftWords.pop();
  const lastLeft = leftWords.pop();
  if (lastLeft !== undefined && lastLeft.replace(/[\s,;:—–(-]+$/u, '') !== '') leftWords.push(lastLeft.replace(/[\s,;:—–(-]+$/u, ''));
  const leftEndsClause = /[,;:—–(]\s*$/.test(leftText);
  let rightText = text.slice(at + phrase.length).replace(/^[\s,;:.!?)\]—–-]+/u, '');
  let newClause = leftEndsClause || /^\s*[,;:—–]/u.test(text.slice(at + phrase.length));
  const firstRight = bare(rightText.split(' ')[0] ?? '');
  if (CONNECTORS.has(firstRight)) {
    rightText = rightText.slice(rightText.indexOf(' ') + 1);
    newClause = true;
  }
  const rightWords = rightText.split(' ').filter(Boolean);
  if (/^[.!?]/.test(text.slice(at + phrase.length).trim())) rightWords.length = 0;

  let label: string;
  if (leftWords.length <= 2 && rightWords.length > 0) {
    label = fitForward([...leftWords, ...rightWords], max, false);
  } else if (rightWords.length >= 3 && newClause) {
    label = fitForward(rightWords, max, false);
  } else if (rightWords.length >= 3) {
    const before = leftWords.slice(-2);
    label = fitForward([...before, ...rightWords], max, before.length < leftWords.length);
  } else if (leftWords.length > 0) {
    label = fitBackward(leftWords, max);
  } else {
    label = fitForward(text.split(' ').filter(Boolean), max, false);
  }
  return polish(label);
}

// ---------------------------------------------------------------------------------------------
// Layout

interface Prepared {
  readonly index: number;
  readonly event: TimelineEvent;
  readonly start: number;
  readonly end: number;
  readonly centre: number;
  readonly span: boolean;
  readonly date: string;
  readonly label: string;
  readonly citation: string;
}

function citationNumber(citation: string): number {
  const m = /\d+/.exec(citation);
  return m ? Number(m[0]) : Number.MAX_SAFE_INTEGER;
}

function prepare(events: readonly TimelineEvent[], labelMax: number): Prepared[] {
  const prepared = events.map((event, index): Prepared => {
    const { start, end } = eventRange(event);
    return {
      index,
      event,
      start,
      end,
      centre: (start + end) / 2,
      span: end - start > 1,
      date: formatEventDate(event),
      label: shortLabel(event, labelMax),
      citation: cleanText(event.citation) || '¶?',
    };
  });
  // Ordered by where the marker sits, so cards and markers share one order and leaders never cross.
  return prepared.sort(
    (a, b) =>
      a.centre - b.centre ||
      a.start - b.start ||
      citationNumber(a.citation) - citationNumber(b.citation) ||
      a.index - b.index,
  );
}

interface Cluster {
  start: number;
  end: number;
  count: number;
}

function snapDomain(c: Cluster): { start: number; end: number } {
  const first = fromDay(c.start);
  const last = fromDay(c.end - 1);
  if (c.end - c.start >= 300) return { start: toDay(first.year, 1, 1), end: toDay(last.year + 1, 1, 1) };
  const pad = Math.max(10, Math.round((c.end - c.start) * 0.08));
  const a = fromDay(c.start - pad);
  const b = fromDay(c.end - 1 + pad);
  return { start: toDay(a.year, a.month, 1), end: toDay(b.year, b.month + 1, 1) };
}

/** Groups events into stretches of time with no long gap inside, each drawn as one axis segment. */
function clusterEvents(items: readonly Prepared[]): { start: number; end: number; count: number }[] {
  const sorted = [...items].sort((a, b) => a.start - b.start);
  let clusters: Cluster[] = [];
  for (const item of sorted) {
    const last = clusters[clusters.length - 1];
    if (last && item.start - last.end <= GAP_BREAK_DAYS) {
      last.end = Math.max(last.end, item.end);
      last.count++;
    } else {
      clusters.push({ start: item.start, end: item.end, count: 1 });
    }
  }
  const maxSegments = Math.max(1, Math.floor((USABLE + BREAK_WIDTH) / (SEGMENT_MIN_WIDTH + BREAK_WIDTH)));
  for (;;) {
    // Merge neighbours whose snapped domains touch, or the closest pair while there are too many.
    const domains = clusters.map(snapDomain);
    let merge = -1;
    for (let i = 0; i + 1 < clusters.length; i++) {
      if ((domains[i]?.end ?? 0) >= (domains[i + 1]?.start ?? 0)) {
        merge = i;
        break;
      }
    }
    if (merge < 0 && clusters.length > maxSegments) {
      let best = Infinity;
      for (let i = 0; i + 1 < clusters.length; i++) {
        const gap = (clusters[i + 1]?.start ?? 0) - (clusters[i]?.end ?? 0);
        if (gap < best) {
          best = gap;
          merge = i;
        }
      }
    }
    if (merge < 0) break;
    const a = clusters[merge];
    const b = clusters[merge + 1];
    if (!a || !b) break;
    clusters = [
      ...clusters.slice(0, merge),
      { start: a.start, end: Math.max(a.end, b.end), count: a.count + b.count },
      ...clusters.slice(merge + 2),
    ];
  }
  return clusters.map((c) => ({ ...snapDomain(c), count: c.count }));
}

/** Splits `total` pixels by weight, giving every part at least `min`. */
function distribute(weights: readonly number[], total: number, min: number): number[] {
  const widths = weights.map(() => 0);
  const fixed = new Set<number>();
  for (;;) {
    const free = total - fixed.size * min;
    const weightSum = weights.reduce((sum, w, i) => (fixed.has(i) ? sum : sum + w), 0);
    let changed = false;
    weights.forEach((w, i) => {
      if (fixed.has(i)) {
        widths[i] = min;
        return;
      }
      widths[i] = (free * w) / weightSum;
      if ((widths[i] ?? 0) < min) {
        fixed.add(i);
        changed = true;
      }
    });
    if (!changed || fixed.size === weights.length) break;
  }
  return widths;
}

interface Scale {
  readonly segments: TimelineSegment[];
  readonly breaks: number[];
  x(day: number): number;
}

function buildScale(items: readonly Prepared[], bandTop: number): Scale {
  const clusters = clusterEvents(items);
  const available = USABLE - BREAK_WIDTH * (clusters.length - 1);
  const widths = distribute(
    clusters.map((c) => c.count + 0.5),
    available,
    Math.min(SEGMENT_MIN_WIDTH, available / clusters.length),
  );
  const segments: TimelineSegment[] = [];
  const breaks: number[] = [];
  let x = MARGIN_X;
  clusters.forEach((c, i) => {
    const width = widths[i] ?? 0;
    segments.push(segmentTicks(c.start, c.end, x, width, bandTop));
    x += width;
    if (i + 1 < clusters.length) {
      breaks.push(x + BREAK_WIDTH / 2);
      x += BREAK_WIDTH;
    }
  });
  return {
    segments,
    breaks,
    x(day: number): number {
      for (const s of segments) {
        if (day <= s.endDay || s === segments[segments.length - 1]) {
          const inner = s.width - 2 * SEGMENT_INSET;
          const t = Math.min(1, Math.max(0, (day - s.startDay) / (s.endDay - s.startDay)));
          return s.x + SEGMENT_INSET + t * inner;
        }
      }
      return MARGIN_X;
    },
  };
}

function segmentTicks(startDay: number, endDay: number, x0: number, width: number, bandTop: number): TimelineSegment {
  const inner = width - 2 * SEGMENT_INSET;
  const days = endDay - startDay;
  const pxPerDay = inner / days;
  const xOf = (day: number): number => x0 + SEGMENT_INSET + ((day - startDay) / days) * inner;
  const topRow = bandTop + 31;
  const bottomRow = bandTop + 66;
  const middleRow = bandTop + 48;
  const ticks: TimelineTick[] = [];
  const separators: { x: number; y1: number; y2: number }[] = [];
  const left = x0 + 4;
  const right = x0 + width - 4;

  // Label centred on the visible part of [a, b), when it fits there.
  const cellLabel = (a: number, b: number, y: number, text: string, bold: boolean, fallback?: string): void => {
    const xa = Math.max(xOf(Math.max(a, startDay)), left);
    const xb = Math.min(xOf(Math.min(b, endDay)), right);
    for (const candidate of fallback === undefined ? [text] : [text, fallback]) {
      if (measureText(candidate, SIZE.tick, bold) + 8 <= xb - xa) {
        ticks.push({ x: (xa + xb) / 2, y, text: candidate, bold });
        return;
      }
    }
  };
  const first = fromDay(startDay);
  const last = fromDay(endDay - 1);

  const dayStep = [1, 7].find((step) => step * pxPerDay >= 60);
  const monthStep = [1, 2, 3].find((step) => step * pxPerDay * 30.44 >= 60);

  if (dayStep !== undefined) {
    let lastTickEnd = -Infinity;
    for (let y = first.year, m = first.month; toDay(y, m, 1) < endDay; m === 12 ? ((m = 1), y++) : m++) {
      const monthStart = toDay(y, m, 1);
      const monthEnd = toDay(y, m + 1, 1);
      if (monthStart > startDay) separators.push({ x: xOf(monthStart), y1: bandTop, y2: bandTop + BAND_HEIGHT });
      cellLabel(monthStart, monthEnd, bottomRow, `${monthName(m)} ${y}`, true, monthName(m));
      const lastDay = monthEnd - monthStart;
      for (let d = 1; d <= lastDay; d += dayStep) {
        if (dayStep >= 7 && d + 4 > lastDay) break;
        const day = monthStart + d - 1;
        if (day < startDay || day >= endDay) continue;
        const cx = xOf(day + 0.5);
        const half = measureText(String(d), SIZE.tick) / 2;
        if (cx - half < left || cx + half > right || cx - half < lastTickEnd + 12) continue;
        ticks.push({ x: cx, y: topRow, text: String(d), bold: false });
        lastTickEnd = cx + half;
      }
    }
    return { startDay, endDay, x: x0, width, mode: 'day', ticks, separators };
  }

  if (monthStep !== undefined && days <= 3 * 366) {
    for (let y = first.year, m = first.month; toDay(y, m, 1) < endDay; m === 12 ? ((m = 1), y++) : m++) {
      const monthStart = toDay(y, m, 1);
      if (monthStart > startDay && (m === 1 || (m - 1) % monthStep === 0)) {
        separators.push({ x: xOf(monthStart), y1: bandTop + (m === 1 ? 0 : 8), y2: bandTop + (m === 1 ? BAND_HEIGHT : 42) });
      }
      if ((m - 1) % monthStep === 0) {
        cellLabel(monthStart, toDay(y, m + monthStep, 1), topRow, monthName(m), false);
      }
    }
    for (let y = first.year; y <= last.year; y++) {
      cellLabel(toDay(y, 1, 1), toDay(y + 1, 1, 1), bottomRow, String(y), true, `'${String(y).slice(-2)}`);
    }
    return { startDay, endDay, x: x0, width, mode: 'month', ticks, separators };
  }

  const pxPerYear = pxPerDay * 365.25;
  const yearStep = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((step) => step * pxPerYear >= 80) ?? 1000;
  if (yearStep === 1) {
    for (let y = first.year; y <= last.year; y++) {
      const yearStart = toDay(y, 1, 1);
      if (yearStart > startDay) separators.push({ x: xOf(yearStart), y1: bandTop, y2: bandTop + BAND_HEIGHT });
      cellLabel(yearStart, toDay(y + 1, 1, 1), middleRow, String(y), true);
    }
  } else if (last.year - first.year < 3 * yearStep) {
    // Too narrow for its years: name the whole range.
    cellLabel(startDay, endDay, middleRow, `${first.year}–${String(last.year).slice(-2)}`, true, String(first.year));
  } else {
    // A ruler: a notch at the start of every labelled year, the year under it.
    for (let y = first.year; y <= last.year; y++) {
      if (y % yearStep !== 0) continue;
      const cx = xOf(toDay(y, 1, 1));
      const half = measureText(String(y), SIZE.tick, true) / 2 + 4;
      separators.push({ x: cx, y1: bandTop, y2: bandTop + 14 });
      if (cx - half >= left && cx + half <= right) ticks.push({ x: cx, y: middleRow + 6, text: String(y), bold: true });
    }
  }
  return { startDay, endDay, x: x0, width, mode: 'year', ticks, separators };
}

/** Least-squares placement of a row's card centres near their markers, keeping order and spacing. */
function placeRow(targets: readonly number[], cardWidth: number): number[] {
  const pitch = cardWidth + CARD_GAP;
  const k = targets.length;
  const blocks: { sum: number; count: number }[] = [];
  targets.forEach((t, j) => {
    blocks.push({ sum: t - j * pitch, count: 1 });
    for (;;) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (!a || !b || a.sum / a.count <= b.sum / b.count) break;
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, count: a.count + b.count });
    }
  });
  const lo = MARGIN_X + cardWidth / 2;
  const hi = Math.max(lo, MARGIN_X + USABLE - cardWidth / 2 - (k - 1) * pitch);
  const centres: number[] = [];
  for (const block of blocks) {
    const u = Math.min(hi, Math.max(lo, block.sum / block.count));
    for (let i = 0; i < block.count; i++) centres.push(u + centres.length * pitch);
  }
  return centres;
}

interface CardText {
  readonly lines: string[];
  readonly placement: TimelineLabelBox['citationPlacement'];
  readonly height: number;
}

function layoutCard(item: Prepared, width: number): CardText {
  const inner = width - 2 * CARD_PAD_X;
  const lines = item.label === '' ? [] : wrapText(item.label, inner, SIZE.label);
  const pill = pillWidth(item.citation);
  const dateWidth = measureText(item.date, SIZE.date, true);
  const lastLine = lines[lines.length - 1];
  let placement: CardText['placement'];
  if (dateWidth + 12 + pill <= inner) placement = 'header';
  else if (lastLine !== undefined && measureText(lastLine, SIZE.label) + 10 + pill <= inner) placement = 'inline';
  else placement = 'own-line';
  const height =
    2 * CARD_PAD_Y + DATE_LINE + (lines.length > 0 ? LABEL_GAP + lines.length * LABEL_LINE : 0) + (placement === 'own-line' ? PILL_LINE : 0);
  return { lines, placement, height };
}

function pillWidth(citation: string): number {
  return measureText(citation, SIZE.citation, true) + 2 * PILL_PAD_X;
}

function stripCapacity(items: readonly Prepared[]): number {
  const widest = Math.max(...items.map((i) => measureText(i.date, SIZE.date, true)));
  const minCard = Math.max(CARD_MIN_WIDTH, Math.ceil(widest) + 2 * CARD_PAD_X + 2);
  const perRow = Math.max(1, Math.floor((USABLE + CARD_GAP) / (minCard + CARD_GAP)));
  return Math.min(MAX_EVENTS_PER_STRIP, 2 * perRow);
}

function assignLanes(items: readonly { x1: number; x2: number }[]): number[] {
  const laneEnds: number[] = [];
  return items.map(({ x1, x2 }) => {
    let lane = laneEnds.findIndex((end) => end + 8 <= x1);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(x2);
    } else {
      laneEnds[lane] = x2;
    }
    return lane;
  });
}

function rangeText(items: readonly Prepared[]): string {
  const first = items[0];
  const last = items.reduce<Prepared | undefined>((a, b) => (a === undefined || b.end > a.end ? b : a), undefined);
  if (!first || !last) return '';
  return first.date === last.date ? first.date : `${first.date} – ${last.date}`;
}

/**
 * Places everything: the axis segments with their ticks, the markers, and the cards. Exposed so
 * tests (and callers that want an image map) can see where each label went.
 */
export function layoutTimeline(events: readonly TimelineEvent[], options: TimelineRenderOptions = {}): TimelineLayout {
  if (events.length === 0) {
    throw new Error('Cannot draw a timeline without events: there is nothing dated to show.');
  }
  let items = prepare(events, LABEL_MAX_CHARS);
  const capacity = stripCapacity(items);
  const stripCount = Math.ceil(items.length / capacity);
  if (stripCount > 1) items = prepare(events, LABEL_MAX_CHARS_DENSE);
  const perStrip = Math.ceil(items.length / stripCount);

  const title = truncateToWidth(cleanText(options.title ?? '') || 'Timeline', USABLE, SIZE.title, true);
  const count = `${items.length} ${items.length === 1 ? 'event' : 'events'}`;
  const subtitle = truncateToWidth(`${count} · ${rangeText(items)}`, USABLE - legendWidth() - 32, SIZE.subtitle);

  const strips: TimelineStrip[] = [];
  const labels: TimelineLabelBox[] = [];
  let top = CONTENT_TOP;

  for (let s = 0; s < stripCount; s++) {
    const chunk = items.slice(s * perStrip, (s + 1) * perStrip);
    if (chunk.length === 0) break;
    if (s > 0) top += STRIP_GAP;
    const stripTop = top;
    let y = top;
    let heading: TimelineStrip['heading'];
    if (stripCount > 1) {
      heading = { text: `Part ${s + 1} of ${stripCount} · ${rangeText(chunk)}`, y: y + 26 };
      y += STRIP_HEADING_HEIGHT;
    }

    const rows: Record<LabelSide, Prepared[]> = { above: [], below: [] };
    chunk.forEach((item, j) => rows[j % 2 === 0 ? 'above' : 'below'].push(item));
    const perRow = Math.max(rows.above.length, rows.below.length);
    const cardWidth = Math.floor(Math.min(CARD_MAX_WIDTH, (USABLE - (perRow - 1) * CARD_GAP) / perRow));

    const cards = new Map<Prepared, CardText>();
    for (const item of chunk) cards.set(item, layoutCard(item, cardWidth));
    const rowHeight = (row: readonly Prepared[]): number => Math.max(0, ...row.map((i) => cards.get(i)?.height ?? 0));

    // Horizontal scale first (it does not depend on y), then lanes for the markers on each side.
    const probe = buildScale(chunk, 0);
    const markerSpan = (item: Prepared): { x1: number; x2: number } => {
      if (!item.span) {
        const cx = probe.x(item.centre);
        return { x1: cx - DOT_RADIUS - 2, x2: cx + DOT_RADIUS + 2 };
      }
      const x1 = probe.x(item.start);
      const x2 = probe.x(item.end);
      const min = 2 * DOT_RADIUS;
      if (x2 - x1 >= min) return { x1, x2 };
      const c = (x1 + x2) / 2;
      return { x1: c - min / 2, x2: c + min / 2 };
    };
    const lanes = new Map<Prepared, number>();
    const laneCount: Record<LabelSide, number> = { above: 0, below: 0 };
    for (const side of ['above', 'below'] as const) {
      const row = [...rows[side]].sort((a, b) => markerSpan(a).x1 - markerSpan(b).x1);
      const assigned = assignLanes(row.map(markerSpan));
      row.forEach((item, i) => lanes.set(item, assigned[i] ?? 0));
      laneCount[side] = assigned.length === 0 ? 0 : Math.max(...assigned) + 1;
    }

    const aboveHeight = rowHeight(rows.above);
    const belowHeight = rowHeight(rows.below);
    const aboveBottom = y + aboveHeight;
    const bandTop = aboveBottom + LEADER_ZONE + laneCount.above * LANE_PITCH + LANE_OFFSET;
    const bandBottom = bandTop + BAND_HEIGHT;
    const belowTop = bandBottom + LANE_OFFSET + laneCount.below * LANE_PITCH + LEADER_ZONE;
    const stripBottom = rows.below.length > 0 ? belowTop + belowHeight : bandBottom + LANE_OFFSET + laneCount.below * LANE_PITCH;
    const scale = buildScale(chunk, bandTop);

    const markers: TimelineMarker[] = [];
    for (const side of ['above', 'below'] as const) {
      const row = rows[side];
      if (row.length === 0) continue;
      const centres = placeRow(
        row.map((i) => scale.x(i.centre)),
        cardWidth,
      );
      row.forEach((item, j) => {
        const lane = lanes.get(item) ?? 0;
        const laneY =
          side === 'above'
            ? bandTop - LANE_OFFSET - lane * LANE_PITCH - LANE_PITCH / 2
            : bandBottom + LANE_OFFSET + lane * LANE_PITCH + LANE_PITCH / 2;
        const span = markerSpan(item);
        const cx = scale.x(item.centre);
        markers.push({
          eventIndex: item.index,
          kind: item.span ? 'span' : 'dot',
          x1: item.span ? span.x1 : cx,
          x2: item.span ? span.x2 : cx,
          y: laneY,
        });
        const card = cards.get(item);
        const height = card?.height ?? 0;
        const centre = centres[j] ?? cx;
        const x = centre - cardWidth / 2;
        const cardY = side === 'above' ? aboveBottom - height : belowTop;
        labels.push({
          eventIndex: item.index,
          strip: s,
          side,
          x,
          y: cardY,
          width: cardWidth,
          height,
          date: item.date,
          label: item.label,
          lines: card?.lines ?? [],
          citation: item.citation,
          citationPlacement: card?.placement ?? 'own-line',
          marker: { x: cx, y: laneY },
          anchor: { x: centre, y: side === 'above' ? aboveBottom : belowTop },
        });
      });
    }
    strips.push({
      index: s,
      ...(heading ? { heading } : {}),
      top: stripTop,
      bottom: stripBottom,
      bandTop,
      bandBottom,
      segments: scale.segments,
      breaks: scale.breaks,
      markers,
    });
    top = stripBottom;
  }

  const documentTitle = cleanText(options.documentTitle ?? '');
  const footer = documentTitle === '' ? undefined : truncateToWidth(`Source: ${documentTitle}`, USABLE, SIZE.footer, false);
  const height = top + FOOTER_HEIGHT;
  return {
    width: CANVAS_WIDTH,
    height: Math.ceil(height),
    title,
    subtitle,
    ...(footer !== undefined ? { footer } : {}),
    strips,
    labels,
  };
}

// ---------------------------------------------------------------------------------------------
// SVG

const n = (value: number): string => String(Math.round(value * 10) / 10);

function svgText(
  x: number,
  y: number,
  text: string,
  style: { size: number; fill: string; bold?: boolean; anchor?: 'start' | 'middle' | 'end' },
): string {
  const weight = style.bold ? ' font-weight="bold"' : '';
  const anchor = style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : '';
  return `<text x="${n(x)}" y="${n(y)}" font-size="${style.size}"${weight}${anchor} fill="${style.fill}">${escapeXml(text)}</text>`;
}

function pill(x: number, centreY: number, citation: string): string {
  const width = pillWidth(citation);
  return (
    `<rect x="${n(x)}" y="${n(centreY - PILL_HEIGHT / 2)}" width="${n(width)}" height="${PILL_HEIGHT}" rx="${PILL_HEIGHT / 2}" fill="${COLOR.accent}"/>` +
    svgText(x + width / 2, centreY + 8, citation, { size: SIZE.citation, fill: COLOR.onAccent, bold: true, anchor: 'middle' })
  );
}

function renderCard(box: TimelineLabelBox): string {
  const out: string[] = [];
  out.push(
    `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="12" fill="${COLOR.card}" stroke="${COLOR.cardStroke}" stroke-width="1.5"/>`,
  );
  const left = box.x + CARD_PAD_X;
  const right = box.x + box.width - CARD_PAD_X;
  const dateTop = box.y + CARD_PAD_Y;
  out.push(svgText(left, dateTop + 26, box.date, { size: SIZE.date, fill: COLOR.text, bold: true }));
  if (box.citationPlacement === 'header') out.push(pill(right - pillWidth(box.citation), dateTop + DATE_LINE / 2, box.citation));
  let lineTop = dateTop + DATE_LINE + LABEL_GAP;
  box.lines.forEach((line, i) => {
    out.push(svgText(left, lineTop + 25, line, { size: SIZE.label, fill: COLOR.body }));
    if (box.citationPlacement === 'inline' && i === box.lines.length - 1) {
      out.push(pill(left + measureText(line, SIZE.label) + 10, lineTop + LABEL_LINE / 2, box.citation));
    }
    lineTop += LABEL_LINE;
  });
  if (box.citationPlacement === 'own-line') out.push(pill(left, lineTop + PILL_LINE / 2, box.citation));
  return out.join('');
}

function renderStrip(strip: TimelineStrip, labels: readonly TimelineLabelBox[]): string {
  const out: string[] = [];
  if (strip.heading) out.push(svgText(MARGIN_X, strip.heading.y, strip.heading.text, { size: SIZE.stripHeading, fill: COLOR.muted, bold: true }));

  // The band: one rounded ruler per segment, "≈" where time was cut out.
  for (const seg of strip.segments) {
    out.push(`<rect x="${n(seg.x)}" y="${n(strip.bandTop)}" width="${n(seg.width)}" height="${BAND_HEIGHT}" rx="12" fill="${COLOR.band}"/>`);
    for (const sep of seg.separators) {
      out.push(`<line x1="${n(sep.x)}" y1="${n(sep.y1)}" x2="${n(sep.x)}" y2="${n(sep.y2)}" stroke="${COLOR.separator}" stroke-width="2"/>`);
    }
    for (const tick of seg.ticks) {
      out.push(svgText(tick.x, tick.y, tick.text, { size: SIZE.tick, fill: tick.bold ? COLOR.body : COLOR.muted, bold: tick.bold, anchor: 'middle' }));
    }
  }
  for (const x of strip.breaks) {
    out.push(svgText(x, strip.bandTop + BAND_HEIGHT / 2 + 14, '≈', { size: SIZE.breakMark, fill: COLOR.muted, bold: true, anchor: 'middle' }));
  }

  // Leaders under the markers: vertical out of the marker, curving into the card's edge.
  for (const box of labels) {
    const { marker, anchor } = box;
    const bend = (anchor.y - marker.y) / 2;
    out.push(
      `<path d="M${n(marker.x)} ${n(marker.y)}C${n(marker.x)} ${n(marker.y + bend)} ${n(anchor.x)} ${n(anchor.y - bend)} ${n(anchor.x)} ${n(anchor.y)}" fill="none" stroke="${COLOR.leader}" stroke-width="2.5"/>`,
    );
  }
  for (const m of strip.markers) {
    if (m.kind === 'span') {
      out.push(
        `<rect x="${n(m.x1)}" y="${n(m.y - SPAN_HEIGHT / 2)}" width="${n(m.x2 - m.x1)}" height="${SPAN_HEIGHT}" rx="${SPAN_HEIGHT / 2}" fill="${COLOR.accent}"/>`,
      );
    } else {
      // A pin: a stem from the band to the dot, so the day can be read off the ruler.
      const edge = m.y < strip.bandTop ? strip.bandTop : strip.bandBottom;
      out.push(`<line x1="${n(m.x1)}" y1="${n(edge)}" x2="${n(m.x1)}" y2="${n(m.y)}" stroke="${COLOR.accent}" stroke-width="2.5"/>`);
      out.push(`<circle cx="${n(m.x1)}" cy="${n(m.y)}" r="${DOT_RADIUS}" fill="${COLOR.accent}" stroke="${COLOR.background}" stroke-width="3"/>`);
    }
  }
  for (const box of labels) out.push(renderCard(box));
  return out.join('\n');
}

const LEGEND_GAP = 28;

function legendParts(baseline: number): { draw: (x: number) => string; width: number }[] {
  const size = SIZE.legend;
  const parts: { draw: (x: number) => string; width: number }[] = [
    {
      width: 2 * DOT_RADIUS + 8 + measureText('day', size),
      draw: (x) =>
        `<circle cx="${n(x + DOT_RADIUS)}" cy="${n(baseline - 8)}" r="${DOT_RADIUS - 1}" fill="${COLOR.accent}"/>` +
        svgText(x + 2 * DOT_RADIUS + 8, baseline, 'day', { size, fill: COLOR.muted }),
    },
    {
      width: 34 + 8 + measureText('month, season, year', size),
      draw: (x) =>
        `<rect x="${n(x)}" y="${n(baseline - 8 - SPAN_HEIGHT / 2)}" width="34" height="${SPAN_HEIGHT}" rx="${SPAN_HEIGHT / 2}" fill="${COLOR.accent}"/>` +
        svgText(x + 42, baseline, 'month, season, year', { size, fill: COLOR.muted }),
    },
    {
      width: pillWidth('¶') + 8 + measureText('paragraph', size),
      draw: (x) =>
        pill(x, baseline - 8, '¶') + svgText(x + pillWidth('¶') + 8, baseline, 'paragraph', { size, fill: COLOR.muted }),
    },
  ];
  return parts;
}

/** Width of the key drawn at the right end of the subtitle line. */
function legendWidth(): number {
  const parts = legendParts(0);
  return parts.reduce((sum, p) => sum + p.width, 0) + LEGEND_GAP * (parts.length - 1);
}

function renderLegend(rightX: number, baseline: number): string {
  let x = rightX - legendWidth();
  return legendParts(baseline)
    .map((p) => {
      const svg = p.draw(x);
      x += p.width + LEGEND_GAP;
      return svg;
    })
    .join('');
}

/** The timeline as an SVG document, 1600 px wide, drawn in DejaVu Sans. Throws on an empty list. */
export function renderTimelineSvg(events: readonly TimelineEvent[], options: TimelineRenderOptions = {}): string {
  const layout = layoutTimeline(events, options);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${FONT_FAMILY}">`,
  );
  out.push(`<rect width="${layout.width}" height="${layout.height}" fill="${COLOR.background}"/>`);
  out.push(`<rect x="0" y="0" width="${layout.width}" height="8" fill="${COLOR.accent}"/>`);
  out.push(svgText(MARGIN_X, TITLE_BASELINE, layout.title, { size: SIZE.title, fill: COLOR.title, bold: true }));
  out.push(svgText(MARGIN_X, SUBTITLE_BASELINE, layout.subtitle, { size: SIZE.subtitle, fill: COLOR.muted }));
  out.push(renderLegend(MARGIN_X + USABLE, SUBTITLE_BASELINE));
  for (const strip of layout.strips) {
    if (strip.index > 0) {
      const y = strip.top - STRIP_GAP / 2;
      out.push(`<line x1="${MARGIN_X}" y1="${n(y)}" x2="${MARGIN_X + USABLE}" y2="${n(y)}" stroke="${COLOR.rule}" stroke-width="2"/>`);
    }
    out.push(renderStrip(strip, layout.labels.filter((l) => l.strip === strip.index)));
  }
  const footerTop = layout.height - FOOTER_HEIGHT + 24;
  const baseline = footerTop + 38;
  out.push(`<line x1="${MARGIN_X}" y1="${n(footerTop)}" x2="${MARGIN_X + USABLE}" y2="${n(footerTop)}" stroke="${COLOR.rule}" stroke-width="2"/>`);
  if (layout.footer !== undefined) {
    out.push(svgText(MARGIN_X, baseline, layout.footer, { size: SIZE.footer, fill: COLOR.muted }));
  }
  out.push('</svg>');
  return out.join('\n');
}

const RESVG_OPTIONS = {
  fitTo: { mode: 'original' },
  font: { fontFiles: [...TIMELINE_FONT_FILES], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
} as const satisfies ResvgRenderOptions;

let resvgModule: typeof ResvgModule | undefined;

/** The native renderer, loaded when a picture is first drawn rather than at every start. */
function resvg(): typeof ResvgModule {
  resvgModule ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof ResvgModule;
  return resvgModule;
}

/** The timeline as a PNG, 1600 px wide, height to fit. Throws on an empty list. */
export function renderTimelinePng(events: readonly TimelineEvent[], options: TimelineRenderOptions = {}): Buffer {
  return new (resvg().Resvg)(renderTimelineSvg(events, options), RESVG_OPTIONS).render().asPng();
}

/**
 * The same, with parsing and drawing on libuv's thread pool: a bot must not stall every other
 * interaction for the ~150 ms that takes.
 */
export async function renderTimelinePngAsync(events: readonly TimelineEvent[], options: TimelineRenderOptions = {}): Promise<Buffer> {
  const image = await resvg().renderAsync(renderTimelineSvg(events, options), RESVG_OPTIONS);
  return image.asPng();
}
