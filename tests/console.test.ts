import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONNECT_HINT } from '../src/console/console.ts';
import { runProcess, type ProcessRun } from './support/runProcess.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const MAIN = path.join(ROOT, 'src/main.ts');

/** Generous: each spawn starts tsx and loads the corpus, and CI has two busy cores. */
const SPAWN_TIMEOUT = 30_000;

/** `npm start` with its input piped in, as an operator would try it before any Discord setup. */
function start(input: string, cwd = ROOT, env: Record<string, string> = {}): Promise<ProcessRun> {
  // No token in the environment: `npm start` must open the console, whatever the machine has.
  const { DISCORD_TOKEN: _token, ...inherited } = process.env;
  return runProcess(TSX, { args: [MAIN], cwd, env: { ...inherited, ...env }, stdin: input, timeout: SPAWN_TIMEOUT });
}

describe.concurrent('console (npm start) fed from a pipe', { timeout: 2 * SPAWN_TIMEOUT }, () => {
  it('answers each line, accepting the /ask form, and exits 0 at the end of input', async () => {
    const run = await start('How many peacekeepers did Russia deploy?\n/ask what happened in Geneva\n');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${CONNECT_HINT}\n`);
    const [first, second] = run.stdout.split(/^summit-bot> /m).filter((part) => part !== '');
    // The same reply Discord shows: the question as title, the quoted excerpt, its citation.
    expect(first).toMatch(/^How many peacekeepers did Russia deploy\?\nHow many peacekeepers did Russia deploy\?\n\n│ .*2,000/);
    expect(first).toMatch(/^— ¶27 · Azerbaijan, Armenia, Russia ink document/m);
    expect(first).toContain('[Full passage]');
    expect(second).toMatch(/^\/ask what happened in Geneva\n/);
    expect(second).toMatch(/^— ¶23 · /m);
    // The greeting is for a person at a terminal, not for a pipe.
    expect(run.stdout).not.toContain('Ctrl+D');
  });

  it('skips blank lines and answers on after a line it cannot ask', async () => {
    const run = await start(`\n${'why '.repeat(80)}\n/frobnicate\nHow many peacekeepers did Russia deploy?\n`);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^❌ “question” can be at most 300 characters\.$/m);
    expect(run.stderr).toMatch(/unknown command \/frobnicate/);
    // An unknown command prints the help.
    expect(run.stdout).toContain('Type a question, or a command as in Discord:');
    expect(run.stdout).toContain('¶27');
  });

  it('runs the Discord commands and prints their replies as text, saving the picture', async () => {
    const pictures = await mkdtemp(path.join(tmpdir(), 'summit-console-pictures-'));
    try {
      const run = await start('/timeline from:2022-09\n/quote 28\n/summary topic:peacekeepers\n/help\n/pin-summary\n', ROOT, { TMPDIR: pictures });
      expect(run.code).toBe(0);
      const [timeline, quote, summary, help] = run.stdout.split(/^summit-bot> /m).filter((part) => part !== '');
      expect(timeline).toMatch(/^Sep 2022 — This September, deadly clashes/m);
      expect(timeline).toMatch(/^· 6 events · page 1 of 1/m);
      const saved = /Attached timeline\.png, saved to (\S+)/.exec(timeline ?? '')?.[1];
      expect(saved).toBeDefined();
      expect((await readFile(saved as string)).subarray(1, 4).toString()).toBe('PNG');
      expect(quote).toMatch(/^│ Ahead of the talks, Armenia's Pashinian said he was ready to extend their/m);
      expect(quote).toMatch(/^— ¶28 · /m);
      expect(summary).toMatch(/^• The 2020 cease-fire agreement saw Russia deploy a force of 2,000 peacekeepers/m);
      expect(help).toContain('/timeline [from] [to] [about]');
      // Pinning needs a Discord channel: a clear refusal on stderr, and the session goes on.
      expect(run.stderr).toMatch(/^❌ Pinning works in a server channel, not here\.$/m);
    } finally {
      await rm(pictures, { recursive: true, force: true });
    }
  });

  it('refuses a broken corpus with its file and line on stderr (exit 1)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'summit-console-'));
    try {
      // The console reads corpus/ from the folder it is started in.
      await mkdir(path.join(dir, 'corpus'));
      const article = await readFile(path.join(ROOT, 'corpus/sochi-summit-2022-10-31.md'), 'utf8');
      await writeFile(path.join(dir, 'corpus/summit.md'), article.replace(/^published:.*\n/m, ''));
      const run = await start('How many peacekeepers did Russia deploy?\n', dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^corpus\/summit\.md:2: missing field "published"$/m);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
