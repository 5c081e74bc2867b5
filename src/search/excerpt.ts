import type { Passage, Span } from '../corpus/types.ts';
import type { Term } from './analyzer.ts';

/** An excerpt is at most this long (the contract of `ask`), ellipses included. */
export const MAX_EXCERPT_LENGTH = 400;
const ELLIPSIS = '…';

export interface ExcerptText {
  readonly text: string;
  /** Words that matched the question, relative to `text`, for bold rendering. */
  readonly highlights: readonly Span[];
}

/**
 * The best sentence or sentences of a passage for a question. Sentences are scored by the
 * question's concepts they contain; the best one is widened with a neighbour when that adds a
 * concept and still fits. Text is always an exact slice of the passage, cut at word boundaries
 * with an ellipsis where cut.
 */
export function buildExcerpt(
  passage: Passage,
  sentenceTerms: readonly (readonly Term[])[],
  termScore: (term: string) => number,
  maxLength = MAX_EXCERPT_LENGTH,
): ExcerptText {
  const sentences = passage.sentences;
  if (sentences.length === 0) return { text: '', highlights: [] };
  const scoreOf = (terms: readonly (readonly Term[])[]) => {
    const seen = new Map<string, number>();
    for (const t of terms.flat()) seen.set(t.term, termScore(t.term));
    let sum = 0;
    for (const value of seen.values()) sum += value;
    return sum;
  };

  let best = 0;
  let bestScore = -1;
  sentences.forEach((_, i) => {
    const score = scoreOf([sentenceTerms[i] ?? []]);
    if (score > bestScore) [best, bestScore] = [i, score];
  });

  let first = best;
  let last = best;
  const spanLength = (a: number, b: number) => (sentences[b]?.end ?? 0) - (sentences[a]?.start ?? 0);
  for (;;) {
    const current = scoreOf(sentenceTerms.slice(first, last + 1));
    const options = [
      first > 0 ? { first: first - 1, last } : undefined,
      last < sentences.length - 1 ? { first, last: last + 1 } : undefined,
    ].filter((o): o is { first: number; last: number } => o !== undefined && spanLength(o.first, o.last) <= maxLength);
    const gains = options.map((o) => ({ ...o, gain: scoreOf(sentenceTerms.slice(o.first, o.last + 1)) - current }));
    const widen = gains.filter((g) => g.gain > 0).sort((a, b) => b.gain - a.gain)[0];
    if (!widen) break;
    ({ first, last } = widen);
  }

  const start = sentences[first]?.start ?? 0;
  const end = sentences[last]?.end ?? passage.text.length;
  const matched = sentenceTerms
    .slice(first, last + 1)
    .flat()
    .filter((t) => termScore(t.term) > 0);
  return cutAround(passage.text, { start, end }, matched, maxLength);
}

/**
 * Cuts `range` of `text` to `maxLength`, keeping as many highlighted words as fit, at word
 * boundaries, with an ellipsis on each cut side.
 */
export function cutAround(text: string, range: Span, highlights: readonly Span[], maxLength: number): ExcerptText {
  let { start, end } = range;
  if (end - start > maxLength) {
    const focus = highlights.find((h) => h.start >= start && h.end <= end)?.start ?? start;
    // Start a little before the first match so it reads in context, then fill the window.
    const budget = maxLength - 2 * ELLIPSIS.length;
    let windowStart = Math.max(start, Math.min(focus - Math.floor(budget / 4), end - budget));
    if (windowStart > start) windowStart = nextWordStart(text, windowStart, end);
    let windowEnd = Math.min(end, windowStart + budget);
    if (windowEnd < end) windowEnd = previousWordEnd(text, windowStart, windowEnd);
    start = windowStart;
    end = Math.max(windowEnd, windowStart);
  }
  const prefix = start > range.start ? ELLIPSIS : '';
  const suffix = end < range.end ? ELLIPSIS : '';
  const body = text.slice(start, end);
  const shift = prefix.length - start;
  const spans = highlights
    .filter((h) => h.start >= start && h.end <= end)
    .map((h) => ({ start: h.start + shift, end: h.end + shift }));
  return { text: `${prefix}${body}${suffix}`, highlights: mergeSpans(spans) };
}

function nextWordStart(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit && !/\s/.test(text[i - 1] ?? ' ')) i++;
  while (i < limit && /\s/.test(text[i] ?? '')) i++;
  return i;
}

function previousWordEnd(text: string, from: number, to: number): number {
  let i = to;
  while (i > from && !/\s/.test(text[i] ?? ' ')) i--;
  while (i > from && /[\s,;:—–-]/.test(text[i - 1] ?? '')) i--;
  return i > from ? i : to;
}

function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else out.push(span);
  }
  return out;
}
