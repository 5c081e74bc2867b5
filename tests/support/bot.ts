import { Writable } from 'node:stream';
import pino from 'pino';
import { COMMANDS } from '../../commands/index.ts';
import type { ChannelActions } from '../../src/discord/channelActions.ts';
import type { CommandModule, Invocation, RawOption, SourceMessage } from '../../src/discord/command.ts';
import { Cooldown } from '../../src/discord/cooldown.ts';
import { Dispatcher, type Incoming } from '../../src/discord/dispatcher.ts';
import { KnowledgeBase } from '../../src/knowledgeBase.ts';
import { RecordingResponder } from './recordingResponder.ts';

let shared: Promise<KnowledgeBase> | undefined;

/** The real article's knowledge base, built once per test file. */
export function articleKnowledgeBase(): Promise<KnowledgeBase> {
  shared ??= KnowledgeBase.open('corpus');
  return shared;
}

export const MEMBER_ID = '300000000000000001';
export const OTHER_MEMBER_ID = '300000000000000002';

/** A member and the bot with every permission they need in a server channel. */
export function invocation(overrides: Partial<Invocation> = {}): Invocation {
  return {
    id: '500000000000000001',
    user: { id: MEMBER_ID, username: 'member' },
    guildId: '100000000000000001',
    channelId: '200000000000000001',
    memberPermissions: 1n << 51n,
    appPermissions: (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 51n),
    ...overrides,
  };
}

/** Logs captured as parsed JSON lines. */
export function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export interface TestBot {
  readonly kb: KnowledgeBase;
  readonly dispatcher: Dispatcher;
  readonly logs: Record<string, unknown>[];
  command(name: string, options?: Record<string, string | number | boolean>, who?: Partial<Invocation>): Promise<RecordingResponder>;
  autocomplete(name: string, option: string, value: string): Promise<RecordingResponder>;
  click(customId: string, message?: SourceMessage, who?: Partial<Invocation>): Promise<RecordingResponder>;
  messageCommand(name: string, target: SourceMessage, who?: Partial<Invocation>): Promise<RecordingResponder>;
  setNow(ms: number): void;
}

/** The real command registry behind a dispatcher, driven as a transport would drive it. */
export async function testBot(
  options: { channel?: ChannelActions; cooldownSeconds?: number; commands?: readonly CommandModule[]; knowledgeBase?: KnowledgeBase } = {},
): Promise<TestBot> {
  const kb = options.knowledgeBase ?? (await articleKnowledgeBase());
  const { logger, lines } = captureLogger();
  let now = Date.UTC(2026, 0, 1);
  const dispatcher = new Dispatcher({
    commands: options.commands ?? COMMANDS,
    knowledgeBase: () => kb,
    logger,
    cooldown: new Cooldown(options.cooldownSeconds ?? 0, () => now),
    now: () => now,
    ...(options.channel ? { channel: options.channel } : {}),
  });
  const run = async (incoming: Incoming) => {
    const responder = new RecordingResponder();
    await dispatcher.handle(incoming, responder);
    return responder;
  };
  const toOptions = (values: Record<string, string | number | boolean>): RawOption[] =>
    Object.entries(values).map(([name, value]) => ({ name, value, type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? 10 : 3 }));
  return {
    kb,
    dispatcher,
    logs: lines,
    command: (name, values = {}, who = {}) => run({ type: 'command', name, options: toOptions(values), invocation: invocation(who) }),
    autocomplete: (name, option, value) =>
      run({ type: 'autocomplete', name, options: [{ name: option, type: 3, value, focused: true }], invocation: invocation() }),
    click: (customId, message, who = {}) => run({ type: 'component', customId, ...(message ? { message } : {}), invocation: invocation(who) }),
    messageCommand: (name, target, who = {}) => run({ type: 'message-command', name, target, invocation: invocation(who) }),
    setNow(ms) {
      now = ms;
    },
  };
}

/** The command registry over a knowledge base of the test's own making. */
export function testBotFor(knowledgeBase: KnowledgeBase): Promise<TestBot> {
  return testBot({ knowledgeBase });
}
