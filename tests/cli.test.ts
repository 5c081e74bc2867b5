import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/errors.ts';
import { formatAnswer, wrap } from '../src/cli/format.ts';
import { parsePassageRef, resolvePassageRef } from '../src/cli/passageRef.ts';
import { colorEnabled, textStyle } from '../src/cli/terminal.ts';
import type { Document } from '../src/corpus/types.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { runProcess, type ProcessRun } from './support/runProcess.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'src/cli/main.ts');
const ARTICLE = path.join(ROOT, 'corpus/sochi-summit-2022-10-31.md');
const SUMMIT = 'sochi-summit-2022-10-31';
const PEACEKEEPERS = 'How many peacekeepers did Russia deploy?';
const OFF_TOPIC = 'What is the boiling point of mercury?';
const TOO_LONG = 'why '.repeat(76).trim(); // 303 characters, over the limit of 300
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
const STACK_FRAME = /^\s+at /m;

/** Generous: each spawn starts tsx and loads the corpus, and CI has two busy cores. */
const SPAWN_TIMEOUT = 30_000;

/** Runs the real command line, as `npm run cli` would, without npm's start-up cost. */
function cli(args: readonly string[], options: { input?: string; cwd?: string } = {}): Promise<ProcessRun> {
  return runProcess(TSX, { args: [CLI, ...args], cwd: options.cwd ?? ROOT, stdin: options.input, timeout: SPAWN_TIMEOUT });
}

/** A usage error: exit 2 and exactly one line on stderr, nothing on stdout. */
function expectUsageError(run: ProcessRun, reason: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(reason);
}

describe.concurrent('cli ask', { timeout: 2 * SPAWN_TIMEOUT }, () => {
  it('answers in readable text: the excerpt under its citation and the article it comes from', async () => {
    const run = await cli(['ask', PEACEKEEPERS]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [heading, ...quoted] = run.stdout.trimEnd().split('\n');
    expect(heading).toMatch(/^¶27 — "Azerbaijan, Armenia, Russia ink document to commit to normalization", 2022-10-31$/);
    expect(quoted.join(' ')).toContain('2,000 peacekeepers');
    // Not a terminal: no escape codes to corrupt a file or a pipe.
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('prints the contract JSON with --json', async () => {
    const run = await cli(['ask', PEACEKEEPERS, '--json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({ question: PEACEKEEPERS, answered: true });
    const excerpts = answer['excerpts'] as Record<string, unknown>[];
    expect(excerpts[0]).toMatchObject({ passage: `${SUMMIT}#27`, citation: '¶27', text: expect.stringContaining('2,000') });
    expect(typeof excerpts[0]?.['score']).toBe('number');
  });

  it('says plainly when the article does not answer, in both forms', async () => {
    const [json, human] = await Promise.all([cli(['ask', OFF_TOPIC, '--json']), cli(['ask', OFF_TOPIC])]);
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as { answered: boolean; excerpts: unknown[]; explanation: string; suggestions?: unknown[] };
    expect(answer.answered).toBe(false);
    expect(answer.excerpts).toEqual([]);
    expect(human.code).toBe(0);
    expect(human.stdout.startsWith(answer.explanation)).toBe(true);
    // Leads are labelled as such, so nobody reads them as the answer.
    if (answer.suggestions?.length) expect(human.stdout).toMatch(/^Closest passages/m);
  });

  it('answers stdin line by line as JSON Lines, skipping blanks and reporting a bad line without stopping', async () => {
    const run = await cli(['ask', '-'], { input: `${PEACEKEEPERS}\n\n${TOO_LONG}\r\nwhat happened in Geneva\n` });
    expect(run.code).toBe(0);
    const records = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ question: PEACEKEEPERS, answered: true, excerpts: [expect.objectContaining({ citation: '¶27' })] });
    expect(records[1]).toMatchObject({ question: TOO_LONG, answered: false, error: expect.stringContaining('300') });
    expect(records[2]).toMatchObject({ answered: true, excerpts: [expect.objectContaining({ text: expect.stringContaining('Geneva') })] });
  });

  it('passes emoji, control characters and search operators through as plain words', async () => {
    const run = await cli(['ask', '🕊️ peacekeepers\u0007 AND OR -truce* "Russia', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('answered');
  });

  it('refuses a missing, empty or over-long question, an unknown option and an unknown command (exit 2)', async () => {
    const [missing, empty, tooLong, option, command] = await Promise.all([
      cli(['ask']),
      cli(['ask', '  \t ']),
      cli(['ask', TOO_LONG]),
      cli(['ask', PEACEKEEPERS, '--jsn']),
      cli(['summarise']),
    ]);
    expectUsageError(missing, /missing question/);
    expectUsageError(empty, /empty/);
    expectUsageError(tooLong, /303 characters.*limit is 300/);
    expectUsageError(option, /unknown option --jsn/);
    expectUsageError(command, /unknown command "summarise".*ask, quote, passages/);
  });

  it('stops quietly when the reader closes the pipe early (`| head`)', async () => {
    const run = await new Promise<ProcessRun>((resolve, reject) => {
      const child = spawn(TSX, [CLI, 'ask', '-'], { cwd: ROOT, timeout: SPAWN_TIMEOUT });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.stdout.once('data', () => child.stdout.destroy());
      // The child may stop reading before all questions are written.
      child.stdin.on('error', () => {});
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout: '', stderr }));
      child.stdin.end(`${PEACEKEEPERS}\n`.repeat(3000));
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe.concurrent('cli quote and passages', { timeout: 2 * SPAWN_TIMEOUT }, () => {
  it('quotes the same passage by number, by ¶number and by full id', async () => {
    const runs = await Promise.all(['27', '¶27', `${SUMMIT}#27`].map((ref) => cli(['quote', ref, '--json'])));
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        passage: `${SUMMIT}#27`,
        citation: '¶27',
        text: 'The 2020 cease-fire agreement saw Russia deploy a force of 2,000 peacekeepers to the region to oversee a fragile truce.',
        document: SUMMIT,
        kind: 'body',
        section: 'Russian peacekeepers',
      });
    }
  });

  it('quotes a whole passage in readable text with its citation and section', async () => {
    const run = await cli(['quote', '27']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^¶27 \(Russian peacekeepers\) — "Azerbaijan, Armenia/);
    expect(run.stdout).toContain('2,000');
  });

  it('names the passages that exist when asked for one that does not (exit 1)', async () => {
    const run = await cli(['quote', '99']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe('summit-bot: no passage ¶99: the article has ¶1–¶33');
  });

  it('refuses a malformed passage reference with the forms it accepts (exit 2)', async () => {
    const [word, suffix, missing] = await Promise.all([cli(['quote', 'twenty']), cli(['quote', '27th']), cli(['quote'])]);
    expectUsageError(word, /bad passage reference "twenty": use N, ¶N or <document-id>#N/);
    expectUsageError(suffix, /bad passage reference "27th"/);
    expectUsageError(missing, /missing passage/);
  });

  it('lists every passage of the article as JSON quote objects', async () => {
    const run = await cli(['passages', '--json']);
    expect(run.code).toBe(0);
    const passages = JSON.parse(run.stdout) as { passage: string; citation: string; text: string; kind: string }[];
    expect(passages).toHaveLength(33);
    expect(passages.map((p) => p.citation)).toEqual(Array.from({ length: 33 }, (_, i) => `¶${i + 1}`));
    expect(passages[0]).toMatchObject({ passage: `${SUMMIT}#1`, kind: 'caption' });
  });

  it('lists every passage as readable blocks, captions and sections marked', async () => {
    const run = await cli(['passages']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^¶1 \(photo caption\)$/m);
    expect(run.stdout).toMatch(/^¶33 \(Russian peacekeepers\)$/m);
    expect(Math.max(...run.stdout.split('\n').slice(1).map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('lists the commands with help', async () => {
    const run = await cli(['help']);
    expect(run.code).toBe(0);
    for (const command of ['ask', 'quote', 'passages', 'help']) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

describe.concurrent('cli --corpus', { timeout: 2 * SPAWN_TIMEOUT }, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'summit-cli-'));
    const article = await readFile(ARTICLE, 'utf8');
    await writeFile(path.join(dir, 'broken.md'), article.replace(/^published:.*\n/m, ''));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reports a broken article by file and line, without a stack trace (exit 1)', async () => {
    const run = await cli(['ask', PEACEKEEPERS, '--corpus', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`${path.join(dir, 'broken.md').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: .*published`));
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('reports a corpus folder that does not exist (exit 1)', async () => {
    const missing = path.join(dir, 'no-such-folder');
    const run = await cli(['passages', '--corpus', missing]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`${missing}: the corpus folder does not exist`);
  });
});

describe('terminal output', () => {
  it('uses colour only on a terminal, and never with NO_COLOR set', () => {
    expect(colorEnabled(true, undefined)).toBe(true);
    expect(colorEnabled(true, '')).toBe(true);
    expect(colorEnabled(true, '1')).toBe(false);
    expect(colorEnabled(false, undefined)).toBe(false);
    expect(colorEnabled(undefined, undefined)).toBe(false);
  });

  it('puts the matched words in bold, and wraps without splitting words', async () => {
    const kb = await KnowledgeBase.open(path.join(ROOT, 'corpus'));
    const answer = kb.ask(PEACEKEEPERS);
    const coloured = formatAnswer(answer, kb, textStyle({ color: true, width: 60 }));
    expect(coloured).toContain('\u001b[1mpeacekeepers\u001b[22m');
    const plain = formatAnswer(answer, kb, textStyle({ color: false, width: 60 }));
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    const quoted = plain.split('\n').slice(1).filter((line) => line !== '');
    for (const line of quoted) expect(line.length).toBeLessThanOrEqual(60);
    expect(quoted.map((line) => line.trim()).join(' ')).toBe(answer.excerpts[0]?.text);
  });

  it('keeps a highlight bold across a line break', () => {
    const style = textStyle({ color: true, width: 12 });
    const text = 'the Nagorno Karabakh region';
    const lines = wrap(text, 12, '', [{ start: 4, end: 20 }], style);
    expect(lines).toEqual(['the \u001b[1mNagorno\u001b[22m', '\u001b[1mKarabakh\u001b[22m', 'region']);
  });
});

describe('passage references', () => {
  it('accepts N, ¶N and <document-id>#N', () => {
    expect(parsePassageRef('27')).toMatchObject({ kind: 'number', number: 27 });
    expect(parsePassageRef('¶27')).toMatchObject({ kind: 'number', number: 27 });
    expect(parsePassageRef(`${SUMMIT}#27`)).toMatchObject({ kind: 'id', documentId: SUMMIT, number: 27 });
    for (const bad of ['', '¶', '#27', '27.5', '-3', 'Sochi#2', `${SUMMIT}#`]) expect(() => parsePassageRef(bad)).toThrow(UsageError);
  });

  it('asks for a full id once the corpus has more than one article', async () => {
    const kb = await KnowledgeBase.open(path.join(ROOT, 'corpus'));
    const [summit] = kb.documents as [Document];
    const other: Document = { ...summit, id: 'other-story' };
    const ambiguous = () => resolvePassageRef(parsePassageRef('27'), [summit, other]);
    expect(ambiguous).toThrow(UsageError);
    expect(ambiguous).toThrow(`give a full passage id <document-id>#N, e.g. ${SUMMIT}#27`);
    expect(resolvePassageRef(parsePassageRef(`${SUMMIT}#27`), [summit, other]).id).toBe(`${SUMMIT}#27`);
  });
});
