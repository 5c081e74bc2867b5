/**
 * The large corpus of the benchmarks: the summit article (corpus/) beside the 2,225 articles of
 * the BBC News 2004–2005 set, read from `$LARGE_CORPUS_DIR` (default: ../shared/data/bbc-news-2005
 * beside the project) through the same document API as corpus/. The data is never copied into
 * the project.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Corpus } from '../src/corpus/loadCorpus.ts';
import type { Document } from '../src/corpus/types.ts';
import { corpusFolder, type CorpusSource } from '../src/knowledgeBase.ts';
import { PROJECT_ROOT } from '../src/projectRoot.ts';

export const ARTICLE_DIR = path.join(PROJECT_ROOT, 'corpus');

/** Where the BBC CSV files are: `$LARGE_CORPUS_DIR`, or the shared data folder beside the project. */
export function largeCorpusDir(): string {
  const configured = process.env['LARGE_CORPUS_DIR']?.trim();
  return path.resolve(PROJECT_ROOT, configured || '../shared/data/bbc-news-2005');
}

/** The BBC articles as documents: ids `bbc-<split>-<row>`, dated 2005-01-01 (the rows carry no date). */
export async function loadBbcDocuments(dir = largeCorpusDir(), limit?: number): Promise<Document[]> {
  // Loaders are imported when used: a process that starts from the saved index never parses.
  const { loadCsvFolder } = await import('../src/corpus/csvCorpus.ts');
  return loadCsvFolder(dir, { idPrefix: 'bbc', published: '2005-01-01', source: 'BBC News', ...(limit === undefined ? {} : { limit }) });
}

/**
 * The summit article and its glossary, followed by the first `documents - 1` BBC articles (all of
 * them by default): a corpus source the knowledge base can fingerprint, save and load.
 */
export function largeCorpusSource(options: { readonly documents?: number; readonly bbcDir?: string } = {}): CorpusSource {
  const bbcDir = options.bbcDir ?? largeCorpusDir();
  const article = corpusFolder(ARTICLE_DIR);
  const size = options.documents;
  return {
    root: PROJECT_ROOT,
    name: `large-${size ?? 'all'}`,
    async files() {
      const csv = (await readdir(bbcDir)).filter((name) => name.endsWith('.csv')).map((name) => path.join(bbcDir, name));
      return [...(await article.files()), ...csv];
    },
    async load(): Promise<Corpus> {
      const summit = await article.load();
      const bbc = await loadBbcDocuments(bbcDir);
      const extra = size === undefined ? bbc : bbc.slice(0, Math.max(0, size - summit.documents.length));
      return { ...summit, documents: [...summit.documents, ...extra] };
    },
  };
}

/** A document as a corpus file: front matter, then its passages as paragraphs. */
function markdown(d: Document): string {
  return `---\nid: ${d.id}\ntitle: ${JSON.stringify(d.title)}\npublished: ${d.published}\n---\n\n${d.passages.map((p) => p.text).join('\n\n')}\n`;
}

/**
 * The large corpus written as a corpus folder (`dir`, created): the summit article and its
 * glossary, and the first `documents - 1` BBC articles as Markdown files, as an operator would
 * load an archive. Returns how many documents it holds.
 */
export async function writeLargeCorpusFolder(dir: string, documents = Infinity): Promise<number> {
  await mkdir(dir, { recursive: true });
  for (const name of ['sochi-summit-2022-10-31.md', 'glossary.yaml']) await copyFile(path.join(ARTICLE_DIR, name), path.join(dir, name));
  const bbc = (await loadBbcDocuments()).slice(0, Math.max(0, documents - 1));
  for (const d of bbc) await writeFile(path.join(dir, `${d.id}.md`), markdown(d));
  return bbc.length + 1;
}
