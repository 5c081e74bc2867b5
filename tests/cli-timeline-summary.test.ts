import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../commands/index.ts';
import { formatSummary, formatTimeline } from '../src/cli/format.ts';
import { textStyle } from '../src/cli/terminal.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { formatEventDate } from '../src/timeline/renderTimeline.ts';
import { queryTimeline } from '../src/timeline/timelineQuery.ts';
import { summarize } from '../src/summary/summarize.ts';
import { runProcess, type ProcessRun } from './support/runProcess.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'src/cli/main.ts');
const SUMMIT = 'sochi-summit-2022-10-31';
const TITLE = 'Azerbaijan, Armenia, Russia ink document to commit to normalization';
const DATE_FORMS = 'YYYY, YYYY-MM or YYYY-MM-DD';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
const STACK_FRAME = /^\s+at /m;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Generous: each spawn starts tsx and loads the corpus, and CI has two busy cores. */
const SPAWN_TIMEOUT = 60_000;
/**
 * Processes run at once. Each spawn is seconds of CPU (tsx, then the corpus and the timeline
 * stack); started all together on two cores they would only time each other out.
 */
const MAX_SPAWNS = Math.max(2, availableParallelism());
/** A test waits for its turn as well as for its own runs. */
const TEST_TIMEOUT = 4 * SPAWN_TIMEOUT;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs the real command line, as `npm run cli` would, without npm's start-up cost. */
async function cli(args: readonly string[]): Promise<ProcessRun> {
  // A finished run hands its slot straight to the next in line.
  if (running < MAX_SPAWNS) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await runProcess(TSX, { args: [CLI, ...args], cwd: ROOT, timeout: SPAWN_TIMEOUT });
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** A usage error: exit 2 and exactly one line on stderr, nothing on stdout. */
function expectUsageError(run: ProcessRun, reason: RegExp): void {
  expect(run.stderr).toMatch(reason);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
}

/** An expected failure: exit 1, a one-line reason, no stack trace, nothing on stdout. */
function expectFailure(run: ProcessRun, reason: RegExp): void {
  expect(run.stderr).toMatch(reason);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(STACK_FRAME);
}

function parseJson<T>(run: ProcessRun): T {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface EventJson {
  date: string;
  precision: string;
  phrase: string;
  text: string;
  passage: string;
  citation: string;
  document: string;
  start: string;
  end: string;
}

interface SummaryJson {
  title: string;
  points: { text: string; passage: string; citation: string; document: string }[];
  covered: boolean;
  note?: string;
  topic?: string;
  document?: string;
}

const citationsOf = (items: readonly { citation: string }[]) => items.map((item) => item.citation);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'summit-cli-timeline-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.concurrent('cli timeline', { timeout: TEST_TIMEOUT }, () => {
  it('prints every dated event of the article as contract JSON, in date order', async () => {
    const { events } = parseJson<{ events: EventJson[] }>(await cli(['timeline', '--json']));
    expect(events).toHaveLength(13);
    // The contract's fields come first, in the order the design notes list them.
    for (const event of events) expect(Object.keys(event).slice(0, 6)).toEqual(['date', 'precision', 'phrase', 'text', 'passage', 'citation']);
    expect(events[0]).toMatchObject({ date: '1991', precision: 'year', phrase: 'since 1991', citation: '¶9', passage: `${SUMMIT}#9` });
    expect(events.slice(-2)).toMatchObject([
      { date: '2022-10-31', precision: 'day', citation: '¶1' },
      { date: '2022-10-31', precision: 'day', citation: '¶2' },
    ]);
    const starts = events.map((event) => event.start);
    expect(starts).toEqual([...starts].sort());
    // "date" is an ISO prefix at its precision.
    const shapes = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/, season: /^\d{4}$/, year: /^\d{4}$/ } as Record<string, RegExp>;
    for (const event of events) expect(event.date).toMatch(shapes[event.precision] ?? /^$/);
    // The sentence quoted contains the time expression it is dated by.
    for (const event of events) expect(event.text).toContain(event.phrase);
  });

  it('lists the events for a reader: the date at its precision, the citation, the sentence indented', async () => {
    const run = await cli(['timeline']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(ANSI);
    const headings = run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    expect(headings).toHaveLength(13);
    expect(headings[0]).toMatch(/^1991 +¶9$/);
    expect(headings).toContain('Autumn 2020  ¶10');
    expect(headings).toContain('Sep 2022     ¶8');
    expect(headings.slice(-2)).toEqual(['31 Oct 2022  ¶1', '31 Oct 2022  ¶2']);
    expect(run.stdout).toMatch(/^3 Oct 2022 +¶23\n {2}Following a slew of diplomatic efforts/m);
    expect(Math.max(...run.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('keeps only the events overlapping a month, and the years and seasons around one', async () => {
    const [september, october2020] = await Promise.all([
      cli(['timeline', '--from', '2022-09', '--to', '2022-09', '--json']),
      cli(['timeline', '--from', '2020-10', '--to', '2020-10', '--json']),
    ]);
    // The article has no event dated just "2022"; such a year would overlap September and be kept.
    const inSeptember = parseJson<{ events: EventJson[] }>(september).events;
    expect(citationsOf(inSeptember)).toEqual(['¶8', '¶19']);
    for (const event of inSeptember) expect(event).toMatchObject({ date: '2022-09', precision: 'month' });
    // October 2020 lies in the year 2020 (¶12, ¶18, ¶27) and in the autumn of 2020 (¶10).
    expect(citationsOf(parseJson<{ events: EventJson[] }>(october2020).events)).toEqual(['¶12', '¶18', '¶27', '¶10']);
  });

  it('keeps only the events whose sentence matches --query', async () => {
    const { events } = parseJson<{ events: EventJson[] }>(await cli(['timeline', '--query', 'Geneva', '--json']));
    expect(events).toEqual([expect.objectContaining({ citation: '¶23', date: '2022-10-03', phrase: 'on Oct. 3' })]);
  });

  it('refuses a malformed date or a range that ends before it starts (exit 2), naming the forms', async () => {
    const [month13, day31, reversed, blankQuery, extra] = await Promise.all([
      cli(['timeline', '--from', '2022-13']),
      cli(['timeline', '--to', '2022-09-31']),
      cli(['timeline', '--from', '2022-10', '--to', '2021']),
      cli(['timeline', '--query', '  ']),
      cli(['timeline', 'Geneva']),
    ]);
    expectUsageError(month13, new RegExp(`--from "2022-13" is not a date.*${DATE_FORMS}`));
    expectUsageError(day31, new RegExp(`--to "2022-09-31" is not a date.*30 days.*${DATE_FORMS}`));
    expectUsageError(reversed, /--from 2022-10 is after --to 2021/);
    expectUsageError(blankQuery, /--query needs words/);
    expectUsageError(extra, /takes no arguments.*--query/);
  });

  it('draws the events as a 1600-pixel-wide PNG and prints the path written', async () => {
    const file = path.join(scratch, 'timeline.png');
    const run = await cli(['timeline', '--png', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${file}\n`);
    const png = await readFile(file);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // The first chunk is IHDR: width and height, big-endian, right after its type.
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(1600);
    expect(png.readUInt32BE(20)).toBeGreaterThan(300);
  });

  it('with --json and --png, keeps stdout for the JSON and reports the path on stderr', async () => {
    const file = path.join(scratch, 'geneva.png');
    const run = await cli(['timeline', '--query', 'Geneva', '--json', '--png', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`${file}\n`);
    expect(citationsOf((JSON.parse(run.stdout) as { events: EventJson[] }).events)).toEqual(['¶23']);
    expect((await readFile(file)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('fails (exit 1) when no event matches, and draws no empty picture', async () => {
    const file = path.join(scratch, 'nothing.png');
    const [empty, words] = await Promise.all([
      cli(['timeline', '--from', '1900', '--to', '1950', '--png', file]),
      cli(['timeline', '--query', 'cricket', '--json']),
    ]);
    expectFailure(empty, /No dated events from 1900 to 1950/);
    expect(existsSync(file)).toBe(false);
    expectFailure(words, /No dated events matching "cricket"/);
  });

  it('fails (exit 1) with the reason when the picture cannot be written', async () => {
    const [noFolder, folder, blank] = await Promise.all([
      cli(['timeline', '--png', path.join(scratch, 'missing', 'timeline.png')]),
      cli(['timeline', '--png', scratch]),
      cli(['timeline', '--png', '']),
    ]);
    expectFailure(noFolder, /cannot write the picture to .*missing.*: its folder does not exist/);
    expectFailure(folder, /cannot write the picture to .*: it is a folder/);
    expectUsageError(blank, /--png needs a file name/);
  });
});

describe.concurrent('cli summary', { timeout: TEST_TIMEOUT }, () => {
  it('summarizes the story in three to six points, each text quoted from the passage it cites', async () => {
    const summary = parseJson<SummaryJson>(await cli(['summary', '--json']));
    expect(summary).toMatchObject({ title: TITLE, covered: true, document: SUMMIT });
    expect(summary.topic).toBeUndefined();
    expect(summary.points.length).toBeGreaterThanOrEqual(3);
    expect(summary.points.length).toBeLessThanOrEqual(6);
    const passages = await Promise.all(summary.points.map((point) => cli(['quote', point.passage, '--json'])));
    summary.points.forEach((point, i) => {
      const passage = parseJson<{ passage: string; citation: string; text: string }>(passages[i] ?? { code: null, stdout: '', stderr: '' });
      expect(point.citation).toBe(passage.citation);
      expect(point.passage).toBe(`${SUMMIT}#${point.citation.slice(1)}`);
      // A point is the passage's own words; a cut one marks the cut with an ellipsis.
      for (const piece of point.text.split('…').filter((part) => part.trim() !== '')) expect(passage.text).toContain(piece.trim());
    });
  });

  it('summarizes a topic from the passages about it', async () => {
    const summary = parseJson<SummaryJson>(await cli(['summary', '--topic', 'peacekeepers', '--json']));
    expect(summary).toMatchObject({ covered: true, topic: 'peacekeepers' });
    const citations = citationsOf(summary.points);
    expect(citations).toContain('¶27');
    // The section on the Russian peacekeepers (¶27–¶29) carries the topic; at most a mention elsewhere.
    const fromSection = citations.filter((citation) => ['¶27', '¶28', '¶29'].includes(citation));
    expect(fromSection.length / citations.length).toBeGreaterThan(0.5);
  });

  it('says honestly when the article does not cover a topic', async () => {
    const [json, human] = await Promise.all([cli(['summary', '--topic', 'cricket', '--json']), cli(['summary', '--topic', 'cricket'])]);
    const summary = parseJson<SummaryJson>(json);
    expect(summary).toMatchObject({ covered: false, topic: 'cricket', note: expect.stringContaining('cricket') });
    expect(human.code).toBe(0);
    // The note comes right after the title, before any point.
    expect(human.stdout.split('\n\n')[1]?.trim()).toBe(summary.note);
  });

  it('prints the title, then a bullet per point ending in its citation', async () => {
    const run = await cli(['summary']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(ANSI);
    const [title, body = ''] = run.stdout.split('\n\n');
    expect(title).toBe(TITLE);
    const bullets = body.trimEnd().split(/\n(?=• )/);
    expect(bullets.length).toBeGreaterThanOrEqual(3);
    for (const bullet of bullets) expect(bullet).toMatch(/^• [^]*\(¶\d+\)$/);
    expect(Math.max(...run.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('refuses an empty or over-long topic and stray arguments (exit 2)', async () => {
    const [blank, tooLong, extra] = await Promise.all([
      cli(['summary', '--topic', ' ']),
      cli(['summary', '--topic', 'peacekeepers '.repeat(8)]),
      cli(['summary', 'peacekeepers']),
    ]);
    expectUsageError(blank, /--topic needs words/);
    expectUsageError(tooLong, /103 characters long; the limit is 100/);
    expectUsageError(extra, /takes no arguments.*--topic/);
  });
});

// --- What Discord accepts (https://discord.com/developers/docs/interactions/application-commands) ---

const CHAT_INPUT = 1;
const MESSAGE = 3;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
const MAX_DESCRIPTION = 100;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_CHOICE_TEXT = 100;
const MAX_STRING_LENGTH = 6000;
/** Name, description and every option's name, description and choices, together. */
const MAX_COMMAND_CHARACTERS = 4000;

interface OptionJson {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  autocomplete?: boolean;
  min_length?: number;
  max_length?: number;
  choices?: { name: string; value: string | number }[];
  options?: OptionJson[];
}

interface CommandJson {
  name: string;
  type?: number;
  description?: string;
  options?: OptionJson[];
}

const length = (text: string) => [...text].length;

/** Every way a definition breaks Discord's rules, as readable lines; none means Discord accepts it. */
function discordProblems(commands: readonly CommandJson[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const command of commands) {
    const type = command.type ?? CHAT_INPUT;
    const label = `${command.name} (type ${type})`;
    const key = `${type}:${command.name}`;
    if (seen.has(key)) problems.push(`${label}: a second command of this type has the name`);
    seen.add(key);
    if (type === CHAT_INPUT) {
      checkName(command.name, label, problems);
      checkDescription(command.description, label, problems);
      checkOptions(command.options ?? [], label, problems);
    } else {
      if (length(command.name) < 1 || length(command.name) > 32) problems.push(`${label}: name must be 1–32 characters`);
      if (command.description) problems.push(`${label}: a context-menu command has no description`);
      if (command.options?.length) problems.push(`${label}: a context-menu command has no options`);
    }
    if (commandCharacters(command) > MAX_COMMAND_CHARACTERS) problems.push(`${label}: over ${MAX_COMMAND_CHARACTERS} characters in all`);
  }
  return problems;
}

function checkName(name: string, label: string, problems: string[]): void {
  if (!NAME.test(name)) problems.push(`${label}: name "${name}" must match ${String(NAME)}`);
  if (name !== name.toLowerCase()) problems.push(`${label}: name "${name}" must be lower case`);
}

function checkDescription(description: string | undefined, label: string, problems: string[]): void {
  const size = length(description ?? '');
  if (size < 1 || size > MAX_DESCRIPTION) problems.push(`${label}: description must be 1–${MAX_DESCRIPTION} characters (is ${size})`);
}

function checkOptions(options: readonly OptionJson[], label: string, problems: string[]): void {
  if (options.length > MAX_OPTIONS) problems.push(`${label}: more than ${MAX_OPTIONS} options`);
  const names = new Set<string>();
  let optionalSeen = false;
  for (const option of options) {
    const where = `${label} option ${option.name}`;
    checkName(option.name, where, problems);
    checkDescription(option.description, where, problems);
    if (names.has(option.name)) problems.push(`${where}: duplicate option name`);
    names.add(option.name);
    // Discord refuses a required option after an optional one.
    if (option.required && optionalSeen) problems.push(`${where}: required option after an optional one`);
    if (!option.required) optionalSeen = true;
    if (option.choices) {
      if (option.choices.length > MAX_CHOICES) problems.push(`${where}: more than ${MAX_CHOICES} choices`);
      if (option.autocomplete) problems.push(`${where}: choices and autocomplete together`);
      for (const choice of option.choices) {
        if (length(choice.name) < 1 || length(choice.name) > MAX_CHOICE_TEXT) problems.push(`${where}: choice name "${choice.name}" over ${MAX_CHOICE_TEXT}`);
        if (typeof choice.value === 'string' && length(choice.value) > MAX_CHOICE_TEXT) problems.push(`${where}: choice value over ${MAX_CHOICE_TEXT}`);
      }
    }
    if (option.max_length !== undefined && (option.max_length < 1 || option.max_length > MAX_STRING_LENGTH)) problems.push(`${where}: max_length out of 1–${MAX_STRING_LENGTH}`);
    if (option.min_length !== undefined && (option.min_length < 0 || option.min_length > MAX_STRING_LENGTH)) problems.push(`${where}: min_length out of 0–${MAX_STRING_LENGTH}`);
    if (option.min_length !== undefined && option.max_length !== undefined && option.min_length > option.max_length) problems.push(`${where}: min_length over max_length`);
    const nested = option.type === SUB_COMMAND || option.type === SUB_COMMAND_GROUP;
    if (nested) checkOptions(option.options ?? [], where, problems);
    else if (option.options?.length) problems.push(`${where}: only a subcommand or group has options`);
  }
}

function commandCharacters(command: CommandJson): number {
  const ofOptions = (options: readonly OptionJson[]): number =>
    options.reduce(
      (sum, option) =>
        sum +
        length(option.name) +
        length(option.description) +
        (option.choices ?? []).reduce((total, choice) => total + length(choice.name) + length(String(choice.value)), 0) +
        ofOptions(option.options ?? []),
      0,
    );
  return length(command.name) + length(command.description ?? '') + ofOptions(command.options ?? []);
}

describe.concurrent('cli commands', { timeout: TEST_TIMEOUT }, () => {
  it('prints exactly the array the deploy script sends, all of it valid for Discord, without needing a corpus', async () => {
    // A corpus folder that does not exist: the command must not try to load one.
    const commands = parseJson<CommandJson[]>(await cli(['commands', '--json', '--corpus', path.join(scratch, 'no-corpus')]));
    expect(Array.isArray(commands)).toBe(true);
    expect(commands).toEqual(JSON.parse(JSON.stringify(commandDefinitions())));
    expect(commands.map((command) => command.name)).toEqual(expect.arrayContaining(['ask', 'quote', 'timeline', 'summary']));
    expect(commands.some((command) => command.type === MESSAGE)).toBe(true);
    expect(discordProblems(commands)).toEqual([]);
  });

  it('the Discord check catches what Discord refuses', () => {
    const bad: CommandJson[] = [
      { name: 'Ask', description: '' },
      { name: 'x'.repeat(33), description: 'd'.repeat(101) },
      { name: 'dup', description: 'a', options: [{ name: 'a', description: 'a', type: 3 }, { name: 'b', description: 'b', type: 3, required: true }] },
      { name: 'dup', description: 'again' },
      { name: 'Find', type: MESSAGE, description: 'no', options: [{ name: 'a', description: 'a', type: 3 }] },
      { name: 'many', description: 'm', options: Array.from({ length: 26 }, (_, i) => ({ name: `o${i}`, description: 'o', type: 3 })) },
    ];
    const problems = discordProblems(bad).join('\n');
    expect(problems).toMatch(/Ask.*lower case/);
    expect(problems).toMatch(/Ask.*description must be 1–100/);
    expect(problems).toMatch(/xxx.*must match/);
    expect(problems).toMatch(/xxx.*description must be 1–100 characters \(is 101\)/);
    expect(problems).toMatch(/option b: required option after an optional one/);
    expect(problems).toMatch(/dup \(type 1\): a second command/);
    expect(problems).toMatch(/Find \(type 3\): a context-menu command has no description/);
    expect(problems).toMatch(/Find \(type 3\): a context-menu command has no options/);
    expect(problems).toMatch(/many.*more than 25 options/);
  });

  it('lists the commands for a reader: slash commands, their options, the message menu', async () => {
    const run = await cli(['commands']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\/ask\n {2}Ask a question/m);
    expect(run.stdout).toMatch(/^ {2}question — string, required, at most 300 characters$/m);
    expect(run.stdout).toMatch(/^"Find in article" \(message context menu\)$/m);
  });

  it('is listed by help with timeline and summary', async () => {
    const run = await cli(['help']);
    for (const command of ['timeline', 'summary', 'commands']) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});

describe('terminal styling of timelines and summaries', () => {
  const bold = textStyle({ color: true, width: 80 });
  /** The words set in bold, joined: what a reader sees emphasised. */
  // eslint-disable-next-line no-control-regex
  const boldText = (text: string) => [...text.matchAll(/\u001b\[1m(.*?)\u001b\[22m/g)].map((match) => match[1]).join(' ');
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await KnowledgeBase.open(path.join(ROOT, 'corpus'));
  });

  it('sets each event\'s time expression in bold, and nothing else', () => {
    const block = (citation: string) => {
      const events = queryTimeline(kb).filter((event) => event.citation === citation);
      return formatTimeline(events, kb, bold, formatEventDate);
    };
    expect(boldText(block('¶10'))).toBe('In the fall of 2020');
    expect(boldText(block('¶9'))).toBe('since 1991');
    expect(boldText(block('¶23'))).toBe('on Oct. 3');
  });

  it('sets a summary\'s title in bold', () => {
    const summary = summarize(kb.index, { english: kb.english });
    const output = formatSummary(summary, bold);
    expect(boldText(output.split('\n\n')[0] ?? '')).toBe(TITLE);
    expect(boldText(output.split('\n\n').slice(1).join('\n\n'))).toBe('');
  });
});
