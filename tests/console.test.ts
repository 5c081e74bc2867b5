import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const MAIN = path.join(ROOT, 'src/main.ts');

/** Generous: each spawn starts tsx and loads the corpus, and CI has two busy cores. */
const SPAWN_TIMEOUT = 30_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm start` with its input piped in, as an operator would try it before any Discord setup. */
function start(input: string, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN], { cwd, timeout: SPAWN_TIMEOUT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe.concurrent('console (npm start) fed from a pipe', { timeout: 2 * SPAWN_TIMEOUT }, () => {
  it('answers each line, accepting the /ask form, and exits 0 at the end of input', async () => {
    const run = await start('How many peacekeepers did Russia deploy?\n/ask what happened in Geneva\n');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [first, second] = run.stdout.split(/^summit-bot> /m).filter((part) => part !== '');
    expect(first).toMatch(/^How many peacekeepers did Russia deploy\?\n¶27 — /);
    expect(first).toContain('2,000');
    expect(second).toMatch(/^what happened in Geneva\n¶\d+ — /);
    expect(second).toContain('Geneva');
    // The greeting is for a person at a terminal, not for a pipe.
    expect(run.stdout).not.toContain('Ctrl+D');
  });

  it('skips blank lines and answers on after a line it cannot ask', async () => {
    const run = await start(`\n${'why '.repeat(80)}\n/frobnicate\nHow many peacekeepers did Russia deploy?\n`);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/limit is 300/);
    expect(run.stderr).toMatch(/unknown command \/frobnicate/);
    expect(run.stdout).toContain('¶27');
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
      expect(run.stderr).toMatch(/^corpus\/summit\.md:\d+: .*published/);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
