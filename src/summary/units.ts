import type { Passage } from '../corpus/types.ts';
import type { Term } from '../search/analyzer.ts';

/**
 * The smallest citable piece of a passage a summary point can be: one sentence, or several when a
 * quotation runs across sentence ends. The sentence splitter breaks inside quotations ("…meeting.
 * In my opinion…"), and a point that opens a quote it never closes misquotes its speaker.
 */
export interface Unit {
  readonly passage: Passage;
  /** Index of the unit in its document, in reading order. */
  readonly order: number;
  /** [start, end) in the passage's text. */
  readonly start: number;
  readonly end: number;
  readonly terms: readonly Term[];
}

/**
 * Splits a passage into units; `order` counts on from `firstOrder`. A quotation longer than
 * `maxLength` is left in sentences: it could not be shown whole anyway, and a quote mark left open
 * by a typo (or by the news habit of not closing a quote that runs into the next paragraph) must
 * not swallow the rest of the passage.
 */
export function splitUnits(
  passage: Passage,
  sentenceTerms: readonly (readonly Term[])[],
  firstOrder: number,
  maxLength: number,
): Unit[] {
  const units: Unit[] = [];
  const sentences = passage.sentences;
  const push = (first: number, last: number) =>
    units.push({
      passage,
      order: firstOrder + units.length,
      start: sentences[first]?.start ?? 0,
      end: sentences[last]?.end ?? passage.text.length,
      terms: sentenceTerms.slice(first, last + 1).flat(),
    });

  let first = 0;
  let inQuote = false;
  sentences.forEach((sentence, i) => {
    inQuote = quoteStateAfter(sentence.text, inQuote);
    if (inQuote && i < sentences.length - 1) return;
    const length = sentence.end - (sentences[first]?.start ?? 0);
    if (first === i || length <= maxLength) push(first, i);
    else for (let j = first; j <= i; j++) push(j, j);
    first = i + 1;
    inQuote = false;
  });
  return units;
}

/**
 * Whether a quotation is still open after `text`. Curly quotes say which way they face; a straight
 * quote is read by what stands around it (an opening one follows a space, a closing one precedes
 * one), so a quote that runs on into the next paragraph without closing, as news style has it,
 * is not mistaken for the end of the one before. An apostrophe is never read as a quote: single
 * quotes in news are far more often apostrophes (Pashinian's) than quotation marks.
 */
function quoteStateAfter(text: string, open: boolean): boolean {
  let state = open;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '“' || char === '«') state = true;
    else if (char === '”' || char === '»') state = false;
    else if (char === '"') {
      const opens = i === 0 || OPENING_CONTEXT.test(text[i - 1] ?? '');
      const closes = i === text.length - 1 || CLOSING_CONTEXT.test(text[i + 1] ?? '');
      state = opens === closes ? !state : opens;
    }
  }
  return state;
}

const OPENING_CONTEXT = /[\s([{—–-]/u;
const CLOSING_CONTEXT = /[\s.,;:!?)\]}—–-]/u;
