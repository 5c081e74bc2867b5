import type { Document, Passage, Span } from '../corpus/types.ts';
import type { Answer, Excerpt } from '../search/ask.ts';
import type { Summary } from '../summary/summarize.ts';
import type { TimelineEvent } from '../timeline/types.ts';
import type { TextStyle } from './terminal.ts';

/** Quoted text is set off from the citation line above it. */
const INDENT = '  ';
/** Marks a summary point; as wide as INDENT, so wrapped lines align under the text. */
const BULLET = '• ';
/** What an excerpt shows where it was cut (src/search/excerpt.ts). */
const ELLIPSIS = '…';

/** What the formatters need from the knowledge base to name an excerpt's source. */
export interface PassageLookup {
  passage(id: string): Passage | undefined;
  documentOf(passage: Passage): Document;
}

/**
 * An answer for a person at a terminal: each excerpt under its citation, matched words in bold;
 * when the article does not answer, the reason and then the closest passages, labelled as leads
 * so nobody mistakes them for an answer.
 */
export function formatAnswer(answer: Answer, lookup: PassageLookup, style: TextStyle): string {
  if (answer.answered) return answer.excerpts.map((excerpt) => formatExcerpt(excerpt, lookup, style)).join('\n');
  const lines = wrap(answer.explanation ?? 'The article does not answer that.', style.width, '', [], style);
  const suggestions = answer.suggestions ?? [];
  if (suggestions.length === 0) return `${lines.join('\n')}\n`;
  return [
    `${lines.join('\n')}\n`,
    'Closest passages (they do not answer the question):\n',
    ...suggestions.map((excerpt) => formatExcerpt(excerpt, lookup, style)),
  ].join('\n');
}

export function formatExcerpt(excerpt: Excerpt, lookup: PassageLookup, style: TextStyle): string {
  const passage = lookup.passage(excerpt.passage);
  const heading = passage ? `${excerpt.citation} — ${describeDocument(lookup.documentOf(passage))}` : excerpt.citation;
  return [heading, ...wrap(excerpt.text, style.width, INDENT, excerpt.highlights, style)].join('\n') + '\n';
}

/** A whole passage under its citation, its role (caption, section) and, if asked, its article. */
export function formatPassage(passage: Passage, document: Document | undefined, style: TextStyle): string {
  const marker = passageMarker(passage);
  const heading = [passage.citation + (marker ? ` (${marker})` : ''), document ? describeDocument(document) : undefined]
    .filter((part) => part !== undefined)
    .join(' — ');
  return [heading, ...wrap(passage.text, style.width, INDENT, [], style)].join('\n') + '\n';
}

/** Every passage of every document, each document introduced once by its title. */
export function formatPassages(documents: readonly Document[], style: TextStyle): string {
  return documents
    .map((document) => {
      const count = document.passages.length;
      const heading = `${describeDocument(document)} [${document.id}, ${count} passage${count === 1 ? '' : 's'}]\n`;
      return [heading, ...document.passages.map((passage) => formatPassage(passage, undefined, style))].join('\n');
    })
    .join('\n');
}

/**
 * A timeline for a terminal: per event a line with its date (at its precision) and citation,
 * then its sentence, wrapped and indented, with the time expression in bold. The article is
 * named only when the events come from more than one. `formatDate` is the picture's own date
 * wording (renderTimeline's formatEventDate), passed in so that this module, which every command
 * loads, does not load the picture renderer's native code.
 */
export function formatTimeline(
  events: readonly TimelineEvent[],
  lookup: PassageLookup,
  style: TextStyle,
  formatDate: (event: TimelineEvent) => string,
): string {
  const dates = events.map(formatDate);
  const dateWidth = Math.max(0, ...dates.map(characterCount));
  const citationWidth = Math.max(0, ...events.map((event) => characterCount(event.citation)));
  const severalDocuments = new Set(events.map((event) => event.document)).size > 1;
  const lines = events.flatMap((event, i) => {
    const passage = lookup.passage(event.passage);
    const date = padEnd(dates[i] ?? event.date, dateWidth);
    const source = severalDocuments && passage ? ` — ${describeDocument(lookup.documentOf(passage))}` : '';
    const heading = `${date}  ${severalDocuments ? event.citation : padEnd(event.citation, citationWidth)}${source}`.trimEnd();
    return [heading, ...wrap(event.text, style.width, INDENT, phraseSpans(event, passage?.text), style)];
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Where the event's time expression stands in its excerpt. The excerpt is a slice of the passage
 * (with an ellipsis where cut), so the phrase's passage offset pins down which occurrence it is;
 * without the passage, the first occurrence is the best guess.
 */
export function phraseSpans(event: Pick<TimelineEvent, 'text' | 'phrase' | 'span'>, passageText?: string): Span[] {
  const { text, phrase } = event;
  if (phrase === '') return [];
  if (event.span && passageText !== undefined) {
    const prefix = text.startsWith(ELLIPSIS) ? ELLIPSIS.length : 0;
    const suffix = text.endsWith(ELLIPSIS) && text.length > prefix ? ELLIPSIS.length : 0;
    const bodyStart = passageText.indexOf(text.slice(prefix, text.length - suffix));
    const start = event.span.start - bodyStart + prefix;
    if (bodyStart >= 0 && text.startsWith(phrase, start)) return [{ start, end: start + phrase.length }];
  }
  const at = text.indexOf(phrase);
  return at >= 0 ? [{ start: at, end: at + phrase.length }] : [];
}

/**
 * A summary for a terminal: the title in bold, the reason first when the article says too little,
 * then a bullet per point with its citation, wrapped under the bullet.
 */
export function formatSummary(summary: Summary, style: TextStyle): string {
  const blocks = [wrap(summary.title, style.width, '', [{ start: 0, end: summary.title.length }], style)];
  if (!summary.covered && summary.note !== undefined) blocks.push(wrap(summary.note, style.width, '', [], style));
  if (summary.points.length > 0) {
    blocks.push(
      summary.points.flatMap((point) => {
        const [first = '', ...rest] = wrap(`${point.text} (${point.citation})`, style.width, INDENT, [], style);
        return [`${BULLET}${first.slice(INDENT.length)}`, ...rest];
      }),
    );
  }
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** "photo caption", a section heading, or both; nothing for plain body text. */
export function passageMarker(passage: Passage): string {
  return [passage.kind === 'caption' ? 'photo caption' : undefined, passage.section].filter((part) => part !== undefined).join(', ');
}

export function describeDocument(document: Document): string {
  return `"${document.title}", ${document.published}`;
}

/**
 * Greedy word wrap that keeps highlighted spans (offsets into `text`) bold across line breaks.
 * Runs of whitespace become one space; a word longer than the line gets a line of its own.
 */
export function wrap(text: string, width: number, indent: string, highlights: readonly Span[], style: TextStyle): string[] {
  const words = [...text.matchAll(/\S+/g)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
  const spans = [...highlights].sort((a, b) => a.start - b.start);
  const lines: string[] = [];
  let line = '';
  let lineLength = 0;
  for (const word of words) {
    const length = characterCount(text.slice(word.start, word.end));
    if (lineLength > 0 && indent.length + lineLength + 1 + length > width) {
      lines.push(indent + line);
      line = '';
      lineLength = 0;
    }
    const rendered = renderHighlighted(text, word.start, word.end, spans, style);
    line = lineLength === 0 ? rendered : `${line} ${rendered}`;
    lineLength += (lineLength === 0 ? 0 : 1) + length;
  }
  if (lineLength > 0) lines.push(indent + line);
  return lines;
}

function renderHighlighted(text: string, start: number, end: number, spans: readonly Span[], style: TextStyle): string {
  let out = '';
  let at = start;
  for (const span of spans) {
    const from = Math.max(span.start, at);
    const to = Math.min(span.end, end);
    if (from >= to) continue;
    out += text.slice(at, from) + style.bold(text.slice(from, to));
    at = to;
  }
  return out + text.slice(at, end);
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - characterCount(text)));
}

/** Terminal columns are closer to code points than to UTF-16 units (an emoji is one, not two). */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
