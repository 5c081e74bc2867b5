import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';
import type { ZodError } from 'zod';
import { CorpusError } from './errors.ts';

export interface SplitMarkdown {
  /** The YAML between the `---` lines. */
  readonly yaml: string;
  /** 1-based line of the first YAML line. */
  readonly yamlLine: number;
  readonly bodyLines: readonly string[];
  /** 1-based line of the first body line. */
  readonly bodyLine: number;
}

/** Splits `---` front matter from the Markdown body. */
export function splitFrontMatter(text: string, file: string): SplitMarkdown {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new CorpusError(file, 1, 'the file must start with front matter: a line "---", the YAML fields, then "---"');
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (close === -1) throw new CorpusError(file, 1, 'the front matter is not closed by a line "---"');
  return {
    yaml: lines.slice(1, close).join('\n'),
    yamlLine: 2,
    bodyLines: lines.slice(close + 1),
    bodyLine: close + 2,
  };
}

/**
 * Parses YAML and keeps the document so a validation error can point at the line of the value it
 * concerns (or, for a missing value, its parent).
 */
export function parseYaml(
  yaml: string,
  file: string,
  firstLine: number,
): { value: unknown; lineOf: (path: readonly PropertyKey[]) => number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
    throw new CorpusError(file, firstLine + line - 1, `invalid YAML: ${error.message.split('\n')[0]}`);
  }
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let depth = path.length; depth > 0; depth--) {
      const node: unknown = doc.getIn(path.slice(0, depth).map((k) => (typeof k === 'symbol' ? String(k) : k)), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return firstLine + lineCounter.linePos(range[0]).line - 1;
      // A scalar's key carries the position when the value is null or empty.
      if (depth === 1 && isMap(doc.contents)) {
        const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === path[0]);
        const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
        if (keyRange) return firstLine + lineCounter.linePos(keyRange[0]).line - 1;
      }
    }
    return firstLine;
  };
  return { value: doc.toJS() ?? {}, lineOf };
}

/** One CorpusError per zod issue, each on the line of the key it concerns. */
export function zodIssuesToCorpusErrors(
  error: ZodError,
  file: string,
  input: unknown,
  lineOf: (path: readonly PropertyKey[]) => number,
  firstLine: number,
): CorpusError[] {
  const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return error.issues.map((issue) => {
    const [key] = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const unknown = issue.keys;
      return new CorpusError(file, lineOf([...issue.path, unknown[0] ?? '']), `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`);
    }
    if (key === undefined) return new CorpusError(file, firstLine, issue.message);
    const where = issue.path.map(String).join('.');
    if (issue.path.length === 1 && given[String(key)] === undefined) {
      return new CorpusError(file, firstLine, `missing field "${where}"`);
    }
    const message = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
    return new CorpusError(file, lineOf(issue.path), `field "${where}": ${message}`);
  });
}
