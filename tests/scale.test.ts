import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeCorpusDir } from '../bench/largeCorpus.ts';
import { loadCsvArticles, parseCsv, SENTENCES_PER_PASSAGE } from '../src/corpus/csvCorpus.ts';
import { CorpusErrors } from '../src/corpus/errors.ts';
import { loadCorpus } from '../src/corpus/loadCorpus.ts';
import type { Document } from '../src/corpus/types.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { evaluate, loadEvalQuestions, SUMMIT_DOCUMENT } from './eval/evaluate.ts';

/**
 * The large corpus of the benchmarks (BBC News 2004–2005, read from $LARGE_CORPUS_DIR or the
 * shared data folder beside the project) goes through the same document API as corpus/. These
 * tests use a slice of it; the full-size measurements are the benchmark's (npm run bench).
 */
const BBC = largeCorpusDir();
const VAL = path.join(BBC, 'val.csv');
const SLICE = 50;
const hasData = existsSync(VAL);

describe('CSV articles', () => {
  it('reads RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks, CRLF', () => {
    const rows = parseCsv('text,category\r\n"He said ""no"", then left",politics\n"two\nlines",tech\nplain,sport', 'x.csv');
    expect(rows.map((r) => r.cells)).toEqual([
      ['text', 'category'],
      ['He said "no", then left', 'politics'],
      ['two\nlines', 'tech'],
      ['plain', 'sport'],
    ]);
    // A row is found by the line it starts on, even after a field spanning lines.
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 5]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('text\n"ok"\n"never closed', 'x.csv')).toThrow(/x\.csv:3: a quoted field is not closed/);
  });

  describe('a file with problems', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'summit-csv-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('reports every bad row with its line, and the front matter through the corpus schema', async () => {
      const file = path.join(dir, 'bad.csv');
      await writeFile(file, 'text,category\n"Fine article. It has two sentences.",tech\n"",tech\n"Bell\u0007 rings.",tech\n');
      const error = await loadCsvArticles(file, { split: 'bad', idPrefix: 'bbc', published: '2005-01-01' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CorpusErrors);
      expect((error as CorpusErrors).errors.map((e) => e.message)).toEqual([
        `${file}:3: the text is empty`,
        `${file}:4: the text contains control characters`,
      ]);
      // The same zod schema as an article's front matter: ids must be slugs, dates real.
      const schema = await loadCsvArticles(file, { split: 'bad', idPrefix: 'BBC News', published: '2005-02-30', limit: 1 }).catch((e: unknown) => e);
      expect((schema as CorpusErrors).errors.map((e) => e.reason)).toEqual([
        'field "id": must be a lowercase slug: a-z, 0-9 and single hyphens',
        'field "published": must be a real date written YYYY-MM-DD',
      ]);
    });
  });
});

describe.skipIf(!hasData)(`the BBC News set, first ${SLICE} articles of val.csv`, () => {
  let bbc: Document[];
  let kb: KnowledgeBase;

  beforeAll(async () => {
    bbc = await loadCsvArticles(VAL, { split: 'val', idPrefix: 'bbc', published: '2005-01-01', source: 'BBC News', limit: SLICE });
    const summit = await loadCorpus('corpus');
    kb = new KnowledgeBase({ ...summit, documents: [...summit.documents, ...bbc] });
  });

  it('becomes documents with ids by split and row, a title from the first words and the stated date', () => {
    expect(bbc).toHaveLength(SLICE);
    expect(bbc.map((d) => d.id)).toEqual(Array.from({ length: SLICE }, (_, i) => `bbc-val-${i + 1}`));
    const [first] = bbc;
    expect(first?.title).toMatch(/^Laura Ashley chief stepping down Laura Ashley is…$/);
    expect(first?.published).toBe('2005-01-01');
    expect(first?.source).toBe('BBC News');
    expect(first?.file).toBe(VAL);
  });

  it('cuts each article into passages of consecutive sentences, cited like paragraphs', () => {
    for (const document of bbc) {
      expect(document.passages.length).toBeGreaterThan(0);
      document.passages.forEach((passage, i) => {
        expect(passage.id).toBe(`${document.id}#${i + 1}`);
        expect(passage.citation).toBe(`¶${i + 1}`);
        expect(passage.kind).toBe('body');
        expect(passage.sentences.length).toBeGreaterThan(0);
        expect(passage.sentences.length).toBeLessThanOrEqual(SENTENCES_PER_PASSAGE);
      });
      // Together the passages are the article's sentences, in order, each exactly as written.
      const text = document.passages.map((p) => p.text).join(' ');
      expect(splitSentences(text).map((s) => s.text)).toEqual(document.passages.flatMap((p) => p.sentences.map((s) => s.text)));
    }
  });

  it('repairs the pound sign the data set mis-decodes', () => {
    const text = bbc.flatMap((d) => d.passages.map((p) => p.text)).join('\n');
    expect(text).toContain('£');
    expect(text).not.toContain('Â£');
  });

  it('still finds the summit passage for questions about the summit', () => {
    const answer = kb.ask('How many peacekeepers did Russia deploy?');
    expect(answer.excerpts[0]?.passage).toBe(`${SUMMIT_DOCUMENT}#27`);
    const report = evaluate(loadEvalQuestions(), (q) => kb.ask(q));
    expect(report.hit1).toBeGreaterThanOrEqual(0.9);
  });

  it('answers from a BBC article when the question is about it', () => {
    const answer = kb.ask('Who is replacing the chief executive of Laura Ashley?');
    expect(answer.answered).toBe(true);
    expect(answer.excerpts[0]?.document).toBe('bbc-val-1');
    expect(answer.excerpts[0]?.text).toContain('Lillian Tan');
  });
});
