import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import v8 from 'node:v8';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run.ts';
import { textStyle } from '../src/cli/terminal.ts';
import { CorpusErrors } from '../src/corpus/errors.ts';
import { KnowledgeBase, type OpenOptions } from '../src/knowledgeBase.ts';
import { EnglishFrequency } from '../src/search/englishFrequency.ts';
import { INDEX_OPTIONS } from '../src/search/passageIndex.ts';
import { captureMiniSearch, miniSearchVersion, restoreMiniSearch, type MiniSearchSnapshot } from '../src/search/miniSearchSnapshot.ts';
import { INDEX_VERSION } from '../src/search/persistedIndex.ts';
import { loadEvalQuestions } from './eval/evaluate.ts';

/**
 * The index is saved after a build and read back while the corpus is unchanged. Whether a
 * knowledge base came from the saved file is told by `loadedFromCache` (its `origin`), never by
 * timing. The saved file is a cache: whatever is wrong with it, the corpus is indexed anyway.
 */
const ARTICLE = 'sochi-summit-2022-10-31.md';
const PEACEKEEPERS = 'How many peacekeepers did Russia deploy?';

let scratch: string;
let corpus: string;
let cache: string;
let problems: string[];

const options = (extra: OpenOptions = {}): OpenOptions => ({ cacheDir: cache, onCacheProblem: (m) => problems.push(m), ...extra });
const savedFiles = async () => (await readdir(cache)).filter((name) => name.endsWith('.index'));
const savedFile = async () => path.join(cache, (await savedFiles())[0] ?? 'none');

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'summit-index-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

beforeEach(async (context) => {
  const dir = path.join(scratch, context.task.id);
  corpus = path.join(dir, 'corpus');
  cache = path.join(dir, 'cache');
  await rm(dir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(corpus, { recursive: true }));
  await copyFile(path.join('corpus', ARTICLE), path.join(corpus, ARTICLE));
  await copyFile(path.join('corpus', 'glossary.yaml'), path.join(corpus, 'glossary.yaml'));
  problems = [];
});

describe('the saved index', () => {
  it('is written after the first build, with its version and the options it was built with', async () => {
    const kb = await KnowledgeBase.open(corpus, options());
    expect(kb.loadedFromCache).toBe(false);
    expect(kb.origin).toMatchObject({ status: 'built', reason: 'no saved index yet' });
    expect(await savedFiles()).toHaveLength(1);
    const [headerLine] = (await readFile(await savedFile(), 'utf8')).split('\n', 1);
    const header = JSON.parse(headerLine ?? '') as Record<string, unknown>;
    expect(header).toMatchObject({
      format: 'summit-bot/passage-index',
      version: INDEX_VERSION,
      options: JSON.parse(JSON.stringify(INDEX_OPTIONS)) as unknown,
      documents: 1,
      passages: kb.index.passageCount,
    });
    expect(header['fingerprint']).toMatch(/^[0-9a-f]{64}$/);
    expect(kb.origin?.file).toBe(await savedFile());
    expect(problems).toEqual([]);
  });

  it('is read back by the next start, which answers exactly as a fresh build does', async () => {
    const built = await KnowledgeBase.open(corpus, options());
    const loaded = await KnowledgeBase.open(corpus, options());
    expect(loaded.loadedFromCache).toBe(true);
    expect(loaded.origin?.status).toBe('loaded');
    expect(loaded.documents).toEqual(built.documents);
    expect(loaded.corpus.glossary).toEqual(built.corpus.glossary);
    for (const { question } of loadEvalQuestions()) expect(loaded.ask(question)).toEqual(built.ask(question));
    // Typo tolerance reads the saved vocabulary: "Pashinyan" is only a glossary spelling.
    expect(loaded.ask('what did pashinyn say he was ready to do?')).toEqual(built.ask('what did pashinyn say he was ready to do?'));
    expect(loaded.index.nearTerms('peacekeep', 1)).toEqual(built.index.nearTerms('peacekeep', 1));
    expect(problems).toEqual([]);
  });

  it('is the same for the same folder however it is named (relative or absolute path)', async () => {
    await KnowledgeBase.open(corpus, options());
    const relative = path.relative(process.cwd(), corpus);
    const loaded = await KnowledgeBase.open(relative, options());
    expect(loaded.loadedFromCache).toBe(true);
    // Document paths are those of this opening, as a fresh load would give.
    expect(loaded.documents[0]?.file).toBe(path.join(relative, ARTICLE));
  });

  it('is rebuilt when an article changes, and the change is searchable', async () => {
    await KnowledgeBase.open(corpus, options());
    const file = path.join(corpus, ARTICLE);
    await writeFile(file, `${await readFile(file, 'utf8')}\nThe delegations later toured the Olympic Park in Sochi.\n`);
    const changed = await KnowledgeBase.open(corpus, options());
    expect(changed.loadedFromCache).toBe(false);
    expect(changed.origin?.reason).toMatch(/changed/);
    expect(changed.ask('Which park did the delegations tour?').excerpts[0]?.text).toContain('Olympic Park');
    // The rebuilt index replaced the stale one, and serves the next start.
    expect(await savedFiles()).toHaveLength(1);
    expect((await KnowledgeBase.open(corpus, options())).loadedFromCache).toBe(true);
    expect(problems).toEqual([]);
  });

  it('is rebuilt when the glossary changes, or an article is added', async () => {
    await KnowledgeBase.open(corpus, options());
    const glossary = path.join(corpus, 'glossary.yaml');
    await writeFile(glossary, `${await readFile(glossary, 'utf8')}\n`);
    expect((await KnowledgeBase.open(corpus, options())).loadedFromCache).toBe(false);
    expect((await KnowledgeBase.open(corpus, options())).loadedFromCache).toBe(true);
    await writeFile(path.join(corpus, 'second.md'), '---\nid: second\ntitle: A second article\npublished: 2022-11-01\n---\n\nA second paragraph about Zanzibar.\n');
    const added = await KnowledgeBase.open(corpus, options());
    expect(added.loadedFromCache).toBe(false);
    expect(added.documents.map((d) => d.id)).toContain('second');
  });

  it('is rebuilt, without an error, when the file is corrupt or truncated', async () => {
    await KnowledgeBase.open(corpus, options());
    const file = await savedFile();
    const good = await readFile(file, 'utf8');
    for (const damaged of ['not json at all', good.slice(0, good.length / 2), `${good.split('\n')[0]}\n{"documents":[{"id":1}]}`]) {
      await writeFile(file, damaged);
      problems = [];
      const kb = await KnowledgeBase.open(corpus, options());
      expect(kb.loadedFromCache).toBe(false);
      expect(kb.ask(PEACEKEEPERS).answered).toBe(true);
      expect(problems).toEqual([expect.stringMatching(/the saved index is unusable/)]);
      // The next start reads the rewritten file.
      expect((await KnowledgeBase.open(corpus, options())).loadedFromCache).toBe(true);
    }
  });

  it('is rebuilt when it was written by another MiniSearch, whose internal state may differ', async () => {
    await KnowledgeBase.open(corpus, options());
    const file = await savedFile();
    const bytes = await readFile(file);
    const newline = bytes.indexOf(0x0a);
    const payload = v8.deserialize(bytes.subarray(newline + 1)) as { index: { miniSearch: { version: string } } };
    payload.index.miniSearch.version = '0.0.1';
    await writeFile(file, Buffer.concat([bytes.subarray(0, newline + 1), v8.serialize(payload)]));
    const kb = await KnowledgeBase.open(corpus, options());
    expect(kb.loadedFromCache).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/could not be restored \(the index was saved by MiniSearch 0\.0\.1, not \d+\.\d+\.\d+\); rebuilding/)]);
    expect(kb.ask(PEACEKEEPERS).excerpts[0]?.passage).toBe('sochi-summit-2022-10-31#27');
    expect((await KnowledgeBase.open(corpus, options())).loadedFromCache).toBe(true);
  });

  it('records MiniSearch as it is, or refuses to save what it does not recognise', () => {
    expect(miniSearchVersion()).toBe(JSON.parse(readFileSync('node_modules/minisearch/package.json', 'utf8')).version);
    const fresh = new MiniSearch({ fields: ['text'] });
    fresh.add({ id: 1, text: 'peacekeepers in Karabakh' });
    const restored = restoreMiniSearch(v8.deserialize(v8.serialize(captureMiniSearch(fresh))) as MiniSearchSnapshot, { fields: ['text'] });
    expect(restored.search('karabakh')).toEqual(fresh.search('karabakh'));
    restored.add({ id: 2, text: 'Karabakh again' });
    expect(restored.search('karabakh').map((r) => r.id as number).sort()).toEqual([1, 2]);
    expect(() => captureMiniSearch({ _index: {} } as unknown as MiniSearch)).toThrow(/internal state of MiniSearch .* is not the one summit-bot saves/);
  });

  it('is only a convenience: an unwritable cache folder costs a rebuild each start, nothing else', async () => {
    const blocked = path.join(cache, 'a-file');
    await import('node:fs/promises').then((fs) => fs.mkdir(cache, { recursive: true }));
    await writeFile(blocked, 'in the way');
    for (let start = 0; start < 2; start++) {
      const kb = await KnowledgeBase.open(corpus, options({ cacheDir: path.join(blocked, 'index') }));
      expect(kb.loadedFromCache).toBe(false);
      expect(kb.ask(PEACEKEEPERS).excerpts[0]?.passage).toBe('sochi-summit-2022-10-31#27');
    }
    expect(problems).toEqual([expect.stringMatching(/cannot save the index \(ENOTDIR/), expect.stringMatching(/cannot save the index/)]);
  });

  it('is neither read nor written when the cache is off', async () => {
    const kb = await KnowledgeBase.open(corpus, options({ cacheDir: false }));
    expect(kb.origin?.status).toBe('unsaved');
    await expect(readdir(cache)).rejects.toThrow(/ENOENT/);
  });

  it('never hides a bad corpus: its errors are reported as without a cache', async () => {
    await KnowledgeBase.open(corpus, options());
    await writeFile(path.join(corpus, ARTICLE), '---\nid: Not A Slug\n---\n\nText.\n');
    await expect(KnowledgeBase.open(corpus, options())).rejects.toBeInstanceOf(CorpusErrors);
    await expect(KnowledgeBase.open(path.join(scratch, 'missing'), options())).rejects.toThrow(/the corpus folder does not exist/);
  });
});

describe('the everyday-English counts kept beside the saved index', () => {
  it('are written once the folder exists, read back, and recomputed when the file is damaged', async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(cache, { recursive: true }));
    const fresh = EnglishFrequency.load(cache);
    const [kept] = (await readdir(cache)).filter((name) => name.startsWith('english-frequency-'));
    expect(kept).toMatch(/^english-frequency-[\d.]+-v8-.+\.bin$/);
    const again = EnglishFrequency.load(cache);
    for (const word of ['president', 'peacekeepers', 'the', 'zangilan']) expect(again.count(word)).toBe(fresh.count(word));
    await writeFile(path.join(cache, kept as string), 'not a serialized map');
    expect(EnglishFrequency.load(cache).count('president')).toBe(fresh.count('president'));
    // Rewritten whole.
    expect((await readFile(path.join(cache, kept as string))).length).toBeGreaterThan(100_000);
    // No folder, no file: nothing is created where nothing was asked for.
    expect(EnglishFrequency.load(path.join(cache, 'missing')).count('president')).toBe(fresh.count('president'));
    await expect(readdir(path.join(cache, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});

describe('cli index', () => {
  const run = async (args: readonly string[]) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const code = await runCli(args, { stdin: new PassThrough(), stdout, stderr, style: textStyle({ color: false }) });
    return { code, stdout: out, stderr: err };
  };

  it('builds the index, saves it and says where and how long it took', async () => {
    const text = await run(['index', '--corpus', corpus, '--cache', cache]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Indexed 1 document \(33 passages\) in [\d,]+ ms; saved \d+ KB to .+\.index\n$/);
    const json = await run(['index', '--corpus', corpus, '--cache', cache, '--json']);
    const report = JSON.parse(json.stdout) as { file: string; documents: number; passages: number; bytes: number; ms: number };
    expect(report).toMatchObject({ file: await savedFile(), documents: 1, passages: 33 });
    expect(report.bytes).toBeGreaterThan(1000);
    // Later commands start from it.
    expect((await KnowledgeBase.open(corpus, options())).loadedFromCache).toBe(true);
  });

  it('fails with the reason when the index cannot be saved', async () => {
    await writeFile(path.join(scratch, 'blocker'), '');
    const failed = await run(['index', '--corpus', corpus, '--cache', path.join(scratch, 'blocker', 'x')]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^summit-bot: index: .+cannot save the index \(ENOTDIR/);
    expect(await run(['index', 'extra'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/takes no arguments/) as unknown });
  });
});
