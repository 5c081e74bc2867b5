/**
 * Sentence splitting for English news text.
 *
 * A rule-based splitter rather than a trained model: the corpus is a handful of wire-style
 * articles, every boundary decision has to be explainable in a citation, and the failure modes
 * of a few readable rules are easier to pin in tests than those of a statistical tokenizer.
 *
 * The output is a list of spans into the input. Whitespace between sentences belongs to no
 * sentence, so the sentences and the gaps between them rebuild the (trimmed) input exactly;
 * callers rely on that to map a cited sentence back to its passage.
 */
import type { Sentence } from '../corpus/types.ts';

/**
 * How a period after a known abbreviation is read when whitespace and a capital follow it.
 *
 * - `prefix`: comes before a name ("Gen. Smith"), so it never ends a sentence. A sentence
 *   really ending in "St." is rare enough in news to lose.
 * - `inline`: only ever used mid-sentence ("vs.", "e.g.").
 * - `number`: precedes a number ("No. 5"); ends a sentence when no digit follows ("voted No.").
 * - `ambiguous`: as likely to end a sentence as not ("in the U.S. The" vs "U.S. President",
 *   "King Jr. Day" vs "Jr. He"). Breaks only before a word that commonly opens a sentence and
 *   rarely follows the abbreviation mid-sentence; see SENTENCE_OPENERS.
 */
type AbbreviationKind = 'prefix' | 'inline' | 'number' | 'ambiguous';

/**
 * Abbreviations whose final period is not by itself a sentence end, keyed without that period.
 * Keys written in lowercase match any capitalisation of a longer word ("Etc.", "VS."); capitalised
 * keys match exactly, so the common noun "rep." or the month-like "mar." in ordinary prose stay plain words.
 *
 * Single capital letters (initials: "Vladimir V. Putin") and dotted initialisms with segments of
 * one or two letters ("U.S.", "p.m.", "Ph.D.") are not listed: they are recognised by shape and
 * read as `ambiguous`.
 */
const ABBREVIATIONS: ReadonlyMap<string, AbbreviationKind> = new Map<string, AbbreviationKind>([
  // Titles and ranks, always followed by a name.
  ...(['Mr', 'Mrs', 'Ms', 'Messrs', 'Dr', 'Prof', 'Gen', 'Sen', 'Rep', 'Gov', 'Pres', 'Amb', 'Rev', 'Hon', 'Atty', 'Supt',
    'Lt', 'Col', 'Sgt', 'Capt', 'Maj', 'Cmdr', 'Adm', 'Brig', 'Cpl', 'Pvt', 'Fr', 'St', 'Mt', 'Ft'] as const)
    .map((key) => [key, 'prefix'] as const),
  // Latin and comparison shorthands that only occur inside a sentence.
  ...(['vs', 'v', 'e.g', 'i.e', 'cf', 'viz', 'approx'] as const).map((key) => [key, 'inline'] as const),
  // Numbering words, read as abbreviations only when a digit follows.
  ...(['No', 'Nos', 'Fig', 'Figs', 'Vol', 'p', 'pp'] as const).map((key) => [key, 'number'] as const),
  // Months as AP style abbreviates them before a day ("Oct. 31"). A digit after one never
  // breaks, and a month ending a sentence ("until Dec. The") still can.
  ...(['Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec'] as const)
    .map((key) => [key, 'ambiguous'] as const),
  // Name and company suffixes and list enders, which end sentences as often as not.
  ...(['Jr', 'Sr', 'Esq', 'Inc', 'Ltd', 'Corp', 'Co', 'Bros', 'etc', 'al'] as const).map((key) => [key, 'ambiguous'] as const),
]);

/**
 * Capitalised words that open sentences far more often than they follow an ambiguous
 * abbreviation inside one. Deliberately function words only: a content word after "U.S."
 * ("U.S. President", "U.S. Treasury") is much more likely to continue the sentence.
 */
const SENTENCE_OPENERS: ReadonlySet<string> = new Set([
  'The', 'A', 'An', 'This', 'That', 'These', 'Those', 'There', 'Here', 'It', 'Its', 'He', 'His', 'She', 'Her',
  'They', 'Their', 'We', 'Our', 'I', 'My', 'You', 'Your', 'But', 'And', 'Or', 'So', 'Yet', 'If', 'When',
  'While', 'After', 'Before', 'As', 'In', 'On', 'At', 'By', 'For', 'From', 'With', 'Without', 'During',
  'Since', 'Although', 'Though', 'Because', 'However', 'Meanwhile', 'Still', 'Also', 'Then', 'Now', 'Later',
  'Earlier', 'Last', 'Next', 'Some', 'Many', 'Most', 'Several', 'Both', 'All', 'Each', 'No', 'Not', 'Such',
  'What', 'Why', 'How', 'Who', 'Where', 'Which',
]);

/**
 * Speech verbs that make a capitalised word after `?"` an attribution ("Why?" Putin asked). The
 * words must stand in the same paragraph: whitespace between them may not hold a blank line.
 */
const ATTRIBUTION =
  /(?:\p{Lu}[\p{L}\p{M}'’-]*\.?(?:[^\S\n\u2029]|\n(?![^\S\n]*\n))+){1,4}(?:said|says|asked|asks|added|adds|told|tells|replied|replies|wrote|writes|insisted|noted|shouted|exclaimed|wondered|recalled|continued)(?!\p{L})/uy;

const TERMINATORS: ReadonlySet<string> = new Set(['.', '!', '?', '…']);
/** Marks that close a quotation or parenthesis and stay with the sentence they end. */
const CLOSERS: ReadonlySet<string> = new Set(['"', "'", '”', '’', '»', '›', ')', ']', '}']);
/** Marks that may open a sentence; a straight quote or apostrophe counts when it follows whitespace. */
const OPENERS: ReadonlySet<string> = new Set(['"', "'", '“', '‘', '«', '‹', '„', '(', '[', '{', '¿', '¡']);

/** The same set of characters String.prototype.trim removes, so gaps and trims agree. */
const WHITESPACE = /\s/;
const CAPITAL_OR_DIGIT = /[\p{Lu}\p{Lt}\p{Nd}]/uy;
const DIGIT = /\p{Nd}/uy;
const LETTERS = /[\p{L}\p{M}]+/uy;
const SINGLE_CAPITAL = /^\p{Lu}$/u;
const DOTTED_INITIALISM = /^(?:\p{L}{1,2}\.)+\p{L}{1,2}$/u;
const LEADING_NON_WORD = /^[^\p{L}\p{N}]+/u;

function isSpace(ch: string): boolean {
  return ch !== '' && WHITESPACE.test(ch);
}

function matchesAt(pattern: RegExp, text: string, index: number): boolean {
  pattern.lastIndex = index;
  return pattern.test(text);
}

/**
 * Splits text into sentences, as spans into the input.
 *
 * A boundary falls after a run of `.`, `!`, `?` or `…` (with any closing quotes and brackets
 * right after it) when whitespace and a plausible sentence start follow: a capital, a digit, or
 * an opening quote or bracket. A period after an abbreviation, an ellipsis inside an open
 * quotation, and `?`/`!` closing a quote that an attribution follows do not end a sentence.
 * A blank line always does, since nothing in a paragraph spans one.
 *
 * Runs in time linear in the input: each character is visited a bounded number of times.
 */
export function splitSentences(text: string): Sentence[] {
  const n = text.length;
  const ends: number[] = [];
  const endAt = (index: number): void => {
    const last = ends[ends.length - 1];
    if (last === undefined || last < index) ends.push(index);
  };
  // Straight quotes carry no direction, so whether we are inside a quotation is inferred from
  // what precedes each one; only the ellipsis rule consults it, which bounds the harm of
  // guessing wrong on unbalanced quotes to one paragraph.
  let inQuote = false;

  let i = 0;
  while (i < n) {
    const ch = text.charAt(i);

    if (isSpace(ch)) {
      let j = i;
      let lineBreaks = 0;
      while (j < n && isSpace(text.charAt(j))) {
        const c = text.charAt(j);
        if (c === '\n' || c === '\u2028' || c === '\u2029' || (c === '\r' && text.charAt(j + 1) !== '\n')) lineBreaks++;
        j++;
      }
      if (lineBreaks >= 2) {
        endAt(i);
        inQuote = false;
      }
      i = j;
      continue;
    }

    if (TERMINATORS.has(ch)) {
      const runStart = i;
      let periods = 0;
      let ellipsis = false;
      let questionOrBang = false;
      let closed = false;
      let j = i;
      for (; j < n; j++) {
        const c = text.charAt(j);
        if (c === '.') periods++;
        else if (c === '…') ellipsis = true;
        else if (c === '?' || c === '!') questionOrBang = true;
        else if (CLOSERS.has(c)) {
          closed = true;
          if (c === '"' || c === '”' || c === '»') inQuote = false;
        } else break;
      }
      if (periods >= 2) ellipsis = true;

      if (j < n && isSpace(text.charAt(j))) {
        let k = j;
        while (k < n && isSpace(text.charAt(k))) k++;
        if (k < n && startsSentence(text, k)) {
          let breaks: boolean;
          if (questionOrBang || ellipsis) {
            // A quoted question or exclamation followed by "Putin asked" is one sentence, the
            // way `"...issues," Putin said` is; an ellipsis inside a quotation marks a pause.
            breaks = !(closed && matchesAt(ATTRIBUTION, text, k)) && (questionOrBang || !inQuote);
          } else if (closed) {
            // A period followed by a closing mark ends the quotation or aside, abbreviation or not.
            breaks = true;
          } else {
            breaks = periodBreaks(text, runStart, k);
          }
          if (breaks) endAt(j);
        }
      }
      i = j;
      continue;
    }

    if (ch === '“' || ch === '«' || ch === '„') inQuote = true;
    else if (ch === '”' || ch === '»') inQuote = false;
    else if (ch === '"') {
      const before = i === 0 ? '' : text.charAt(i - 1);
      inQuote = before === '' || isSpace(before) || OPENERS.has(before) || before === '—' || before === '–';
    }
    i++;
  }

  const sentences: Sentence[] = [];
  let start = 0;
  for (const end of [...ends, n]) {
    let s = start;
    let e = end;
    while (s < e && isSpace(text.charAt(s))) s++;
    while (e > s && isSpace(text.charAt(e - 1))) e--;
    if (s < e) sentences.push({ text: text.slice(s, e), start: s, end: e });
    start = end;
  }
  return sentences;
}

function startsSentence(text: string, k: number): boolean {
  return OPENERS.has(text.charAt(k)) || matchesAt(CAPITAL_OR_DIGIT, text, k);
}

/**
 * Whether a single period at `dot`, followed by whitespace and a plausible sentence start at
 * `next`, ends a sentence, judged by the word it closes.
 */
function periodBreaks(text: string, dot: number, next: number): boolean {
  let wordStart = dot;
  while (wordStart > 0 && !isSpace(text.charAt(wordStart - 1))) wordStart--;
  // Opening brackets and quotes are not part of the word: "(Gen." is still a title.
  const word = text.slice(wordStart, dot).replace(LEADING_NON_WORD, '');

  switch (classify(word)) {
    case undefined:
      return true;
    case 'prefix':
    case 'inline':
      return false;
    case 'number':
      return !matchesAt(DIGIT, text, next);
    case 'ambiguous':
      return opensWithCommonWord(text, next);
  }
}

function classify(word: string): AbbreviationKind | undefined {
  // A lone capital is an initial ("Vladimir V. Putin"), never the lowercase "v." of "Roe v. Wade".
  const listed = ABBREVIATIONS.get(word) ?? (word.length > 1 ? ABBREVIATIONS.get(word.toLowerCase()) : undefined);
  if (listed !== undefined) return listed;
  if (SINGLE_CAPITAL.test(word) || DOTTED_INITIALISM.test(word)) return 'ambiguous';
  return undefined;
}

function opensWithCommonWord(text: string, index: number): boolean {
  let p = index;
  while (p < text.length && OPENERS.has(text.charAt(p))) p++;
  LETTERS.lastIndex = p;
  const match = LETTERS.exec(text);
  if (match === null || match.index !== p) return false;
  const word = match[0];
  // "A. A. Milne": a letter followed by a period is another initial, not the article "A".
  if (text.charAt(p + word.length) === '.') return false;
  return SENTENCE_OPENERS.has(word);
}
