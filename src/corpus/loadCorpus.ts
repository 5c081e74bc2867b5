import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CorpusError, CorpusErrors } from './errors.ts';
import { emptyGlossary, parseGlossary, type Glossary } from './glossary.ts';
import { parseArticleWithLines } from './parseArticle.ts';
import { readUtf8File } from './readText.ts';
import type { Document } from './types.ts';

export const GLOSSARY_FILES = ['glossary.yaml', 'glossary.yml', 'glossary.json'] as const;
const ARTICLE_EXTENSION = '.md';

export interface Corpus {
  readonly dir: string;
  readonly documents: readonly Document[];
  readonly glossary: Glossary;
}

/**
 * Loads and validates every article in `dir` (`*.md`) and its glossary. All problems are
 * collected and thrown together as CorpusErrors: a bad corpus is never served half-loaded.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const entries = await listCorpusDir(dir);
  const articleFiles = entries.filter((name) => name.endsWith(ARTICLE_EXTENSION) && !name.startsWith('.')).sort();
  const glossaryFile = GLOSSARY_FILES.find((name) => entries.includes(name));
  if (articleFiles.length === 0) {
    throw new CorpusErrors([new CorpusError(dir, undefined, `the corpus folder has no articles (*${ARTICLE_EXTENSION} files)`)]);
  }

  const errors: CorpusError[] = [];
  const collect = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof CorpusErrors) errors.push(...error.errors);
      else if (error instanceof CorpusError) errors.push(error);
      else throw error;
      return undefined;
    }
  };

  const parsed: { document: Document; idLine: number }[] = [];
  for (const name of articleFiles) {
    const file = path.join(dir, name);
    const article = await collect(async () => parseArticleWithLines(await readUtf8File(file), file));
    if (article) parsed.push(article);
  }
  const glossary = glossaryFile
    ? await collect(async () => {
        const file = path.join(dir, glossaryFile);
        return parseGlossary(await readUtf8File(file), file);
      })
    : emptyGlossary();

  errors.push(...findDuplicateIds(parsed));
  if (errors.length > 0 || !glossary) throw new CorpusErrors(errors);
  return { dir, documents: parsed.map((article) => article.document), glossary };
}

async function listCorpusDir(dir: string): Promise<string[]> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CorpusErrors([new CorpusError(dir, undefined, 'the corpus path is not a folder')]);
    return await readdir(dir);
  } catch (error) {
    if (error instanceof CorpusErrors) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'the corpus folder does not exist' : `cannot read the corpus folder (${code ?? String(error)})`;
    throw new CorpusErrors([new CorpusError(dir, undefined, reason)]);
  }
}

export function findDuplicateIds(articles: readonly { document: Document; idLine?: number }[]): CorpusError[] {
  const firstFileById = new Map<string, string>();
  const errors: CorpusError[] = [];
  for (const { document, idLine } of articles) {
    const first = firstFileById.get(document.id);
    if (first === undefined) firstFileById.set(document.id, document.file);
    else errors.push(new CorpusError(document.file, idLine, `duplicate id "${document.id}": ${first} already uses it`));
  }
  return errors;
}
