import { chmod, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorpusErrors } from '../src/corpus/errors.ts';
import { loadCorpus } from '../src/corpus/loadCorpus.ts';
import { parseArticle } from '../src/corpus/parseArticle.ts';

const ARTICLE = 'corpus/sochi-summit-2022-10-31.md';

describe('the summit article as a corpus', () => {
  it('is one document of 33 passages in reading order, with its caption and section kept', async () => {
    const { documents, glossary } = await loadCorpus('corpus');
    expect(documents).toHaveLength(1);
    const [summit] = documents;
    expect(summit).toMatchObject({
      id: 'sochi-summit-2022-10-31',
      title: 'Azerbaijan, Armenia, Russia ink document to commit to normalization',
      published: '2022-10-31',
      credit: 'EPA via Sputnik/Kremlin Pool Photo',
    });
    // Only what the text states: no invented URL or publisher.
    expect(summit?.url).toBeUndefined();
    expect(summit?.source).toBeUndefined();
    const passages = summit?.passages ?? [];
    expect(passages).toHaveLength(33);
    expect(passages.map((p) => p.number)).toEqual(Array.from({ length: 33 }, (_, i) => i + 1));
    expect(passages[0]).toMatchObject({ id: 'sochi-summit-2022-10-31#1', citation: '¶1', kind: 'caption' });
    expect(passages[0]?.text).toMatch(/^\(L-R\) Azerbaijani President Ilham Aliyev/);
    expect(passages.filter((p) => p.kind === 'caption')).toHaveLength(1);
    expect(passages[26]).toMatchObject({ citation: '¶27', section: 'Russian peacekeepers' });
    expect(passages[25]?.section).toBeUndefined();
    expect(passages.filter((p) => p.section === 'Russian peacekeepers').map((p) => p.number)).toEqual([27, 28, 29, 30, 31, 32, 33]);
    expect(glossary.aliases.length).toBeGreaterThan(5);
  });

  it('keeps every paragraph of the published text, word for word', async () => {
    const published = await readFile('../shared/article/sochi-summit-2022-10-31.txt', 'utf8').catch(() => undefined);
    if (published === undefined) return; // the shared folder sits beside the project on these machines
    const { documents } = await loadCorpus('corpus');
    const paragraphs = published.split(/\n\s*\n|\n(?=\(L-R\))/).map((p) => p.trim()).filter(Boolean);
    const body = documents[0]?.passages.filter((p) => p.kind === 'body').map((p) => p.text) ?? [];
    for (const text of body) expect(published).toContain(text);
    expect(body.length).toBe(paragraphs.length - 3); // title, caption line, section heading
  });
});

describe('a bad corpus is refused with file, line and reason', () => {
  let dir: string;
  let article: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'summit-corpus-'));
    article = await readFile(ARTICLE, 'utf8');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function problems(): Promise<string[]> {
    try {
      await loadCorpus(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(CorpusErrors);
      return (error as CorpusErrors).errors.map((e) => e.message.replace(`${dir}${path.sep}`, ''));
    }
    throw new Error('the corpus loaded');
  }

  it('names a missing field', async () => {
    await writeFile(path.join(dir, 'a.md'), article.replace(/^published:.*\n/m, ''));
    expect(await problems()).toEqual(['a.md:2: missing field "published"']);
  });

  it('names a malformed field on its own line, and every problem at once', async () => {
    const broken = article.replace('published: 2022-10-31', 'published: 2022-02-30').replace('id: sochi-summit-2022-10-31', 'id: Sochi Summit').replace('language: en', 'langauge: en');
    await writeFile(path.join(dir, 'a.md'), broken);
    expect(await problems()).toEqual([
      'a.md:2: field "id": must be a lowercase slug: a-z, 0-9 and single hyphens',
      'a.md:4: field "published": must be a real date written YYYY-MM-DD',
      'a.md:6: unknown field "langauge"',
    ]);
  });

  it('refuses a duplicate id, naming both files', async () => {
    await writeFile(path.join(dir, 'a.md'), article);
    await writeFile(path.join(dir, 'b.md'), article);
    expect(await problems()).toEqual([`b.md:2: duplicate id "sochi-summit-2022-10-31": ${path.join(dir, 'a.md')} already uses it`]);
  });

  it('refuses an empty body, missing front matter and invalid YAML', async () => {
    await writeFile(path.join(dir, 'empty.md'), '---\nid: empty\ntitle: Empty\npublished: 2022-01-01\n---\n\n## Only a heading\n');
    await writeFile(path.join(dir, 'plain.md'), 'Just text, no front matter.\n');
    await writeFile(path.join(dir, 'yaml.md'), '---\nid: yaml\ntitle: [unclosed\npublished: 2022-01-01\n---\nBody.\n');
    const found = await problems();
    expect(found[0]).toBe('empty.md:6: the body is empty: an article needs at least one paragraph');
    expect(found[1]).toBe('plain.md:1: the file must start with front matter: a line "---", the YAML fields, then "---"');
    expect(found[2]).toMatch(/^yaml\.md:\d+: invalid YAML: /);
  });

  it('refuses text that is not UTF-8, naming the line', async () => {
    const bytes = Buffer.concat([Buffer.from(article.split('\n').slice(0, 10).join('\n') + '\n'), Buffer.from([0x41, 0xff, 0xfe, 0x42, 0x0a])]);
    await writeFile(path.join(dir, 'latin.md'), bytes);
    expect(await problems()).toEqual(['latin.md:11: the file is not valid UTF-8 text']);
  });

  it('refuses control characters in the body', async () => {
    await writeFile(path.join(dir, 'a.md'), article.replace('He later said', 'He later\u0007 said'));
    expect((await problems())[0]).toMatch(/^a\.md:\d+: the line contains control characters$/);
  });

  it('refuses an empty folder, a missing folder and an unreadable file', async () => {
    expect(await problems()).toEqual([`${dir}: the corpus folder has no articles (*.md files)`]);
    await expect(loadCorpus(path.join(dir, 'nope'))).rejects.toThrow(/the corpus folder does not exist/);
    if (process.getuid?.() !== 0) {
      await writeFile(path.join(dir, 'locked.md'), article);
      await chmod(path.join(dir, 'locked.md'), 0o000);
      expect((await problems())[0]).toMatch(/^locked\.md: cannot read the file \(EACCES\)$/);
    } else {
      await mkdir(path.join(dir, 'folder.md'));
      expect((await problems())[0]).toMatch(/^folder\.md: cannot read the file \(EISDIR\)$/);
    }
  });

  it('validates the glossary like the articles', async () => {
    await writeFile(path.join(dir, 'a.md'), article);
    await writeFile(path.join(dir, 'glossary.yaml'), 'aliases:\n  - [Pashinian, Pashinyan]\n  - [lonely]\nsynonym: []\n');
    expect(await problems()).toEqual(['glossary.yaml:3: field "aliases.1": a group needs at least two forms', 'glossary.yaml:4: unknown field "synonym"']);
  });
});

describe('paragraphs', () => {
  it('joins soft line breaks, numbers paragraphs in reading order and splits sentences', () => {
    const document = parseArticle('---\nid: t\ntitle: T\npublished: 2022-01-01\n---\nFirst line\ncontinues here. Second sentence.\n\n## Part\n\nCaption: A photo.\n\nLast.\n', 't.md');
    expect(document.passages.map((p) => [p.citation, p.kind, p.section ?? '', p.text, p.line])).toEqual([
      ['¶1', 'body', '', 'First line continues here. Second sentence.', 6],
      ['¶2', 'caption', 'Part', 'A photo.', 11],
      ['¶3', 'body', 'Part', 'Last.', 13],
    ]);
    expect(document.passages[0]?.sentences.map((s) => s.text)).toEqual(['First line continues here.', 'Second sentence.']);
  });
});
