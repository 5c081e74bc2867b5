import { splitSentences } from '../text/sentences.ts';
import { CorpusError, CorpusErrors } from './errors.ts';
import { parseYaml, splitFrontMatter, zodIssuesToCorpusErrors } from './frontMatter.ts';
import { makePassage } from './passage.ts';
import { frontMatterSchema, type FrontMatter } from './schema.ts';
import type { Document, Passage, PassageKind } from './types.ts';

/** A paragraph starting with this marker is a photo caption, kept apart from body text. */
export const CAPTION_MARKER = 'Caption:';
const SECTION_HEADING = /^##\s+(.*\S)\s*$/;
/** Control characters other than tab and line ends: a sign of a binary or mangled file. */
const CONTROL_CHARACTERS = /[^\P{Cc}\t\r\n]/u;

export interface RawParagraph {
  readonly kind: PassageKind;
  readonly text: string;
  readonly section?: string;
  readonly line: number;
}

/** Parses one article file (front matter + Markdown body) into a validated document. */
export function parseArticle(text: string, file: string): Document {
  return parseArticleWithLines(text, file).document;
}

/** As parseArticle, also telling on which line the `id` stands (for duplicate-id errors). */
export function parseArticleWithLines(text: string, file: string): { document: Document; idLine: number } {
  const split = splitFrontMatter(text, file);
  const { value, lineOf } = parseYaml(split.yaml, file, split.yamlLine);
  const parsed = frontMatterSchema.safeParse(value);
  if (!parsed.success) {
    throw new CorpusErrors(zodIssuesToCorpusErrors(parsed.error, file, value, lineOf, split.yamlLine));
  }
  const paragraphs = parseBody(split.bodyLines, split.bodyLine, file);
  return { document: buildDocument(parsed.data, paragraphs, file), idLine: lineOf(['id']) };
}

/**
 * Paragraphs are separated by blank lines; lines inside one are joined by a space, as Markdown
 * renders them. `## ` lines are section headings.
 */
export function parseBody(lines: readonly string[], firstLine: number, file: string): RawParagraph[] {
  const paragraphs: RawParagraph[] = [];
  let section: string | undefined;
  let current: string[] = [];
  let currentLine = 0;

  const flush = () => {
    if (current.length === 0) return;
    const joined = current.join(' ').replace(/\s+/g, ' ').trim();
    const isCaption = joined.startsWith(CAPTION_MARKER);
    const body = isCaption ? joined.slice(CAPTION_MARKER.length).trim() : joined;
    if (body === '') throw new CorpusError(file, currentLine, 'the caption is empty');
    paragraphs.push({ kind: isCaption ? 'caption' : 'body', text: body, line: currentLine, ...(section ? { section } : {}) });
    current = [];
  };

  lines.forEach((raw, i) => {
    const line = raw.trim();
    const lineNumber = firstLine + i;
    if (CONTROL_CHARACTERS.test(raw)) {
      throw new CorpusError(file, lineNumber, 'the line contains control characters');
    }
    if (line === '') return flush();
    const heading = SECTION_HEADING.exec(line);
    if (heading) {
      flush();
      section = heading[1];
      return;
    }
    if (line.startsWith('#')) {
      throw new CorpusError(file, lineNumber, 'only "## " section headings are allowed in the body (the title is in the front matter)');
    }
    if (current.length === 0) currentLine = lineNumber;
    current.push(line);
  });
  flush();

  if (!paragraphs.some((p) => p.kind === 'body')) {
    throw new CorpusError(file, firstLine, 'the body is empty: an article needs at least one paragraph');
  }
  return paragraphs;
}

/** Numbers paragraphs in reading order and splits their sentences: the unit of citation. */
export function buildDocument(frontMatter: FrontMatter, paragraphs: readonly RawParagraph[], file: string): Document {
  const passages: Passage[] = paragraphs.map((paragraph, i) =>
    makePassage(frontMatter.id, i + 1, {
      kind: paragraph.kind,
      ...(paragraph.section ? { section: paragraph.section } : {}),
      text: paragraph.text,
      sentences: splitSentences(paragraph.text),
      line: paragraph.line,
    }),
  );
  return { ...frontMatter, file, passages };
}
