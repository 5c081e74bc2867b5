import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_ENTRIES, bundle } from '../scripts/build.ts';
import { PROJECT_ROOT } from '../src/projectRoot.ts';
import { openInChildProcess } from '../src/runtime/indexInChildProcess.ts';
import { runProcess, type ProcessRun } from './support/runProcess.ts';

/**
 * `npm start` runs the bot bundled (scripts/build.ts), not through tsx. The bundle lives at
 * another depth than src/, so this checks what a bundle can get wrong: finding the project's
 * files (the corpus, the saved index, the timeline fonts), loading its lazy chunks, and its
 * second entry, the child process that rebuilds the index.
 */
const OUT = path.join(PROJECT_ROOT, 'dist', `test-bundle-${process.pid}`);
/** Generous: two busy cores in CI. */
const TIMEOUT = 60_000;
let main: string;
let indexChild: string;
let pictures: string;

beforeAll(async () => {
  ({ main, indexChild } = await bundle(BOT_ENTRIES, OUT));
  pictures = await mkdtemp(path.join(tmpdir(), 'summit-bundle-'));
}, TIMEOUT);
afterAll(async () => {
  await rm(OUT, { recursive: true, force: true });
  await rm(pictures, { recursive: true, force: true });
});

function runBundle(input: string): Promise<ProcessRun> {
  // No token: the bundled bot opens the console, from another working folder than the project's.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: pictures,
    CORPUS_DIR: path.join(PROJECT_ROOT, 'corpus'),
    INDEX_CACHE_DIR: path.join(pictures, 'bot-cache'),
  };
  delete env['DISCORD_TOKEN'];
  delete env['INTERACTIONS_PORT'];
  return runProcess(process.execPath, { args: ['--enable-source-maps', main], cwd: pictures, env, stdin: input, timeout: TIMEOUT });
}

describe('the bundled bot (npm start)', { timeout: TIMEOUT }, () => {
  it('is one file beside its chunks, with a source map', async () => {
    expect(path.basename(main)).toBe('main.mjs');
    expect(await readFile(main, 'utf8')).toContain('//# sourceMappingURL=main.mjs.map');
  });

  it('answers in the console, and draws the timeline with the shipped fonts', async () => {
    const run = await runBundle('How many peacekeepers did Russia deploy?\n/timeline from:2022-09\n');
    expect(run.stderr).toMatch(/^No DISCORD_TOKEN set: starting the local console/);
    expect(run.code).toBe(0);
    // The index was saved where INDEX_CACHE_DIR says.
    expect((await readdir(path.join(pictures, 'bot-cache'))).filter((name) => name.endsWith('.index'))).toHaveLength(1);
    const [answer, timeline] = run.stdout.split(/^summit-bot> /m).filter((part) => part !== '');
    expect(answer).toContain('2,000 peacekeepers');
    expect(answer).toContain('¶27');
    const saved = /Attached timeline\.png, saved to (\S+)/.exec(timeline ?? '')?.[1];
    expect(saved).toBeDefined();
    // A PNG signature: the picture was rendered, so the fonts were found from dist/.
    expect((await readFile(saved as string)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('rebuilds a changed corpus in its bundled child process, whose saved index it then opens', async () => {
    const corpus = path.join(pictures, 'corpus');
    await mkdir(corpus);
    for (const name of ['sochi-summit-2022-10-31.md', 'glossary.yaml']) await copyFile(path.join(PROJECT_ROOT, 'corpus', name), path.join(corpus, name));
    const warnings: string[] = [];
    const kb = await openInChildProcess(corpus, {
      entry: pathToFileURL(indexChild),
      cacheDir: path.join(pictures, 'cache'),
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    expect(warnings).toEqual([]);
    expect(kb.origin?.status).toBe('loaded');
    expect(kb.ask('How many peacekeepers did Russia deploy?').excerpts[0]?.passage).toBe('sochi-summit-2022-10-31#27');
  });

  it('serves the HTTP interactions endpoint, its transport loaded from its own chunk', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      INTERACTIONS_PORT: String(port),
      INTERACTIONS_HOST: '127.0.0.1',
      DISCORD_PUBLIC_KEY: 'a'.repeat(64),
      LOG_FORMAT: 'json',
      CORPUS_DIR: path.join(PROJECT_ROOT, 'corpus'),
      INDEX_CACHE_DIR: path.join(pictures, 'http-cache'),
    };
    delete env['DISCORD_TOKEN'];
    // From a folder without a .env: a developer's real token is not read.
    const child = spawn(process.execPath, ['--enable-source-maps', main], { cwd: pictures, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor(() => log.includes('serving Discord interactions over HTTP'), () => log);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      // An unsigned request is refused: the bundled verifier is in place.
      expect((await fetch(`http://127.0.0.1:${port}/interactions`, { method: 'POST', body: '{}' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(done: () => boolean, describe: () => string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
