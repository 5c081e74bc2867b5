import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { splitSentences } from '../text/sentences.ts';
import { CorpusError, CorpusErrors } from './errors.ts';
import { zodIssuesToCorpusErrors } from './frontMatter.ts';
import { buildDocument, type RawParagraph } from './parseArticle.ts';
import { readUtf8File } from './readText.ts';
import { frontMatterSchema } from './schema.ts';
import type { Document } from './types.ts';

/**
 * Articles kept as rows of CSV files (`text,category`, one article per row, its headline run
 * into the first sentence and no paragraph breaks), as the BBC News 2004–2005 set ships. They go
 * through the same document API as `corpus/`: front matter checked by the same schema, then
 * `buildDocument`. With no paragraphs to cite, a passage is a group of consecutive sentences.
 */

/** Sentences per passage: about the length of a news paragraph. */
export const SENTENCES_PER_PASSAGE = 3;
/** Words of the text that make an article's title: the headline is not marked off from the body. */
const TITLE_WORDS = 8;
/** Control characters other than tab and line ends, as the Markdown loader refuses them. */
const CONTROL_CHARACTERS = /[^\P{Cc}\t\r\n]/u;

export interface CsvArticleOptions {
  /** The split's name: ids are `<prefix>-<split>-<row>` ("bbc-val-1"). */
  readonly split: string;
  readonly idPrefix: string;
  /** The date relative time expressions resolve against: the rows carry none. */
  readonly published: string;
  readonly source?: string;
  /** Only the first rows (for tests on a slice). */
  readonly limit?: number;
}

/**
 * One CSV file's articles. Rows are numbered from 1 (the header is not a row), so a document id
 * names the row it came from. Every problem of the file is reported at once.
 */
export async function loadCsvArticles(file: string, options: CsvArticleOptions): Promise<Document[]> {
  const rows = parseCsv(await readUtf8File(file), file);
  const [header, ...all] = rows;
  const records = options.limit === undefined ? all : all.slice(0, options.limit);
  const column = header?.cells.indexOf('text') ?? -1;
  if (!header || column < 0) throw new CorpusErrors([new CorpusError(file, 1, 'the CSV file has no "text" column')]);
  const documents: Document[] = [];
  const errors: CorpusError[] = [];
  records.forEach((record, i) => {
    try {
      documents.push(articleFromText(record.cells[column] ?? '', { ...options, row: i + 1, file, line: record.line }));
    } catch (error) {
      if (error instanceof CorpusErrors) errors.push(...error.errors);
      else if (error instanceof CorpusError) errors.push(error);
      else throw error;
    }
  });
  if (errors.length > 0) throw new CorpusErrors(errors);
  return documents;
}

/** Every `*.csv` of a folder, split by split (`test`, `train`, `val`: the file names), in name order. */
export async function loadCsvFolder(dir: string, options: Omit<CsvArticleOptions, 'split'>): Promise<Document[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.csv')).sort();
  if (files.length === 0) throw new CorpusErrors([new CorpusError(dir, undefined, 'the folder has no *.csv files')]);
  const documents: Document[] = [];
  for (const name of files) {
    documents.push(...(await loadCsvArticles(path.join(dir, name), { ...options, split: name.replace(/\.csv$/, '') })));
  }
  return documents;
}

/** One article's text as a validated document; `row` and `line` say where it came from. */
export function articleFromText(raw: string, options: CsvArticleOptions & { readonly row: number; readonly file: string; readonly line: number }): Document {
  const { file, line } = options;
  if (CONTROL_CHARACTERS.test(raw)) throw new CorpusError(file, line, 'the text contains control characters');
  const text = repairText(raw);
  if (text === '') throw new CorpusError(file, line, 'the text is empty');
  const candidate = {
    id: `${options.idPrefix}-${options.split}-${options.row}`.toLowerCase(),
    title: titleOf(text),
    published: options.published,
    ...(options.source ? { source: options.source } : {}),
  };
  const parsed = frontMatterSchema.safeParse(candidate);
  if (!parsed.success) throw new CorpusErrors(zodIssuesToCorpusErrors(parsed.error, file, candidate, () => line, line));
  return buildDocument(parsed.data, sentenceGroups(text, line), file);
}

/**
 * The pound sign arrives mis-decoded in this data set ("Â£" is "£" read as Latin-1); whitespace
 * is folded as Markdown paragraphs fold it.
 */
function repairText(raw: string): string {
  return raw.replace(/Â£/g, '£').replace(/\s+/g, ' ').trim();
}

function titleOf(text: string): string {
  const words = text.split(' ');
  const title = words.slice(0, TITLE_WORDS).join(' ');
  return words.length > TITLE_WORDS ? `${title}…` : title;
}

/** Consecutive sentences, SENTENCES_PER_PASSAGE at a time, each group an exact slice of the text. */
function sentenceGroups(text: string, line: number): RawParagraph[] {
  const sentences = splitSentences(text);
  const paragraphs: RawParagraph[] = [];
  for (let i = 0; i < sentences.length; i += SENTENCES_PER_PASSAGE) {
    const group = sentences.slice(i, i + SENTENCES_PER_PASSAGE);
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last) continue;
    paragraphs.push({ kind: 'body', text: text.slice(first.start, last.end), line });
  }
  return paragraphs;
}

export interface CsvRow {
  readonly cells: readonly string[];
  /** 1-based line the row starts on. */
  readonly line: number;
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes, a doubled quote inside quotes
 * is one quote, and quoted fields may span lines. Blank lines are skipped.
 */
export function parseCsv(text: string, file: string): CsvRow[] {
  const input = text.replace(/^\uFEFF/, '');
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let line = 1;
  let rowLine = 1;
  let at = 0;
  const linesIn = (from: number, to: number) => {
    let count = 0;
    for (let i = input.indexOf('\n', from); i >= 0 && i < to; i = input.indexOf('\n', i + 1)) count++;
    return count;
  };
  for (;;) {
    let cell: string;
    if (input[at] === '"') {
      // A quoted field runs to the next quote that is not doubled; it may span lines.
      const parts: string[] = [];
      let from = at + 1;
      for (;;) {
        const quote = input.indexOf('"', from);
        if (quote < 0) throw new CorpusError(file, line, 'a quoted field is not closed');
        parts.push(input.slice(from, quote));
        if (input[quote + 1] !== '"') {
          line += linesIn(at, quote);
          at = quote + 1;
          break;
        }
        parts.push('"');
        from = quote + 2;
      }
      cell = parts.join('');
    } else {
      let end = at;
      while (end < input.length && input[end] !== ',' && input[end] !== '\n' && input[end] !== '\r') end++;
      cell = input.slice(at, end);
      at = end;
    }
    cells.push(cell);
    const next = input[at];
    if (next === ',') {
      at++;
      continue;
    }
    // End of the row: a line end, the end of the input, or (malformed) text after a closing quote,
    // which is kept with the row rather than lost.
    if (cells.length > 1 || cells[0] !== '') rows.push({ cells, line: rowLine });
    cells = [];
    if (next === undefined) break;
    if (next === '\r' && input[at + 1] === '\n') at++;
    if (next === '\r' || next === '\n') {
      at++;
      line++;
    } else {
      throw new CorpusError(file, line, 'unexpected text after a closing quote');
    }
    rowLine = line;
    if (at >= input.length) break;
  }
  return rows;
}
