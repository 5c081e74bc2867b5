import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { COMMAND_HELP } from '../../commands/about.ts';
import { COMMANDS } from '../../commands/index.ts';
import { exitQuietlyOnBrokenPipe, write } from '../cli/io.ts';
import { styleFor, type OutputStream, type TextStyle } from '../cli/terminal.ts';
import { CorpusErrors } from '../corpus/errors.ts';
import { Dispatcher, type Responder } from '../discord/dispatcher.ts';
import type { MessagePayload } from '../discord/render.ts';
import type { ReplyFile } from '../discord/reply.ts';
import { KnowledgeBase } from '../knowledgeBase.ts';
import { createLogger, type Logger } from '../logger.ts';
import { parseConsoleLine } from './consoleInput.ts';
import { replyToText } from './replyText.ts';

export const PROMPT = 'summit-bot> ';
/** What `npm start` prints when there is no token: the one step between trying and deploying. */
export const CONNECT_HINT =
  'No DISCORD_TOKEN set: starting the local console. To connect to Discord, copy .env.example to .env and fill in DISCORD_TOKEN (see README).';
const QUIT_COMMANDS = new Set(['/quit', '/exit']);

export interface ConsoleOptions {
  readonly corpusDir: string;
  /** Where the saved index is; the knowledge base's default when left out. */
  readonly cacheDir?: string;
  readonly input?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output?: NodeJS.WritableStream & OutputStream;
  readonly errorOutput?: NodeJS.WritableStream;
  /** Where unexpected failures are logged (the error boundary's log); errors on stderr by default. */
  readonly logger?: Logger;
  /** Where attached pictures are saved. */
  readonly pictureDir?: string;
}

/**
 * The local console: ask questions about the corpus without any Discord setup. At a terminal it is
 * an interactive prompt with line editing and history; fed from a pipe it answers each line as a
 * transcript and ends with the input. Returns the exit status.
 */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errorOutput = options.errorOutput ?? process.stderr;
  if (output === process.stdout) exitQuietlyOnBrokenPipe(process.stdout);

  let kb: KnowledgeBase;
  try {
    kb = await KnowledgeBase.open(options.corpusDir, options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir });
  } catch (error) {
    if (!(error instanceof CorpusErrors)) throw error;
    await write(errorOutput, `${error.message}\n`);
    return 1;
  }

  const interactive = input.isTTY === true;
  const style = styleFor(output);
  const lines = createInterface({
    input,
    ...(interactive ? { output, terminal: true, prompt: PROMPT, historySize: 200, removeHistoryDuplicates: true } : { terminal: false }),
    crlfDelay: Infinity,
  });
  // Ctrl+C at the prompt leaves, as Ctrl+D does; without this readline would only pause.
  lines.on('SIGINT', () => lines.close());

  const dispatcher = new Dispatcher({
    commands: COMMANDS,
    knowledgeBase: () => kb,
    logger: options.logger ?? createLogger({ LOG_LEVEL: 'error' }, errorOutput),
  });
  const pictureDir = options.pictureDir ?? path.join(tmpdir(), 'summit-bot');
  const session: Session = { kb, dispatcher, interactive, style, output, errorOutput, pictureDir, interactions: 0 };

  if (interactive) {
    await write(output, `Ask about ${describeCorpus(kb)}. /help lists the commands; /quit or Ctrl+D to leave.\n`);
    lines.prompt();
  }
  let quitByCommand = false;
  for await (const line of lines) {
    const entry = line.trim();
    if (QUIT_COMMANDS.has(entry.toLowerCase())) {
      quitByCommand = true;
      break;
    }
    if (entry !== '') await answerLine(entry, session);
    if (interactive) lines.prompt();
  }
  lines.close();
  // Ctrl+D or Ctrl+C leave the cursor after the prompt; the shell's prompt belongs on a new line.
  if (interactive && !quitByCommand) await write(output, '\n');
  return 0;
}

interface Session {
  readonly kb: KnowledgeBase;
  readonly dispatcher: Dispatcher;
  readonly interactive: boolean;
  readonly style: TextStyle;
  readonly output: NodeJS.WritableStream;
  readonly errorOutput: NodeJS.WritableStream;
  readonly pictureDir: string;
  interactions: number;
}

/**
 * One line of input, run through the same command modules and dispatcher as Discord. Nothing a
 * user types ends the session: a bad line gets a one-line reason on stderr.
 */
async function answerLine(entry: string, session: Session): Promise<void> {
  // Piped input produces a transcript: each answer follows the line it answers.
  if (!session.interactive) await write(session.output, `${PROMPT}${entry}\n`);
  const input = parseConsoleLine(entry, COMMANDS);
  switch (input.kind) {
    case 'quit':
      return;
    case 'help':
      await write(session.output, `${consoleHelp()}\n\n`);
      return;
    case 'unknown':
      await write(session.errorOutput, `summit-bot: unknown command /${input.name}\n`);
      await write(session.output, `${consoleHelp()}\n\n`);
      return;
    case 'invalid':
      await write(session.errorOutput, `summit-bot: ${input.reason}\n`);
      return;
    case 'command':
      break;
  }
  session.interactions++;
  const responder = new ConsoleResponder(session);
  await session.dispatcher.handle(
    { type: 'command', name: input.name, options: input.options, invocation: { id: `console-${session.interactions}`, user: CONSOLE_USER } },
    responder,
  );
}

/** The console's member: no server, so commands that need one say so. */
const CONSOLE_USER = { id: '0', username: 'console' } as const;

/** Prints what the dispatcher would send to Discord; attached pictures are saved to files. */
class ConsoleResponder implements Responder {
  acknowledged = false;
  private readonly session: Session;

  constructor(session: Session) {
    this.session = session;
  }

  async defer(): Promise<void> {
    this.acknowledged = true;
  }

  async reply(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    this.acknowledged = true;
    await this.print(payload, files);
  }

  async update(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    await this.reply(payload, files);
  }

  async followUp(payload: MessagePayload): Promise<void> {
    await this.print(payload, []);
  }

  async autocomplete(): Promise<void> {}

  private async print(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    const { session } = this;
    // An expected failure reads as an error in a terminal: stderr, like any command-line tool.
    const failed = payload.content?.startsWith('❌') ?? false;
    const saved: string[] = [];
    for (const file of files) {
      await mkdir(session.pictureDir, { recursive: true });
      const target = path.join(session.pictureDir, `${session.interactions}-${file.name}`);
      await writeFile(target, file.data);
      saved.push(`Attached ${file.name}, saved to ${target}`);
    }
    const text = [replyToText(payload, session.style), ...saved].join('\n\n');
    await write(failed ? session.errorOutput : session.output, `${text}\n\n`);
  }
}

export function consoleHelp(): string {
  return [
    'Type a question, or a command as in Discord:',
    ...COMMAND_HELP.filter(([name]) => name.startsWith('/')).map(([name, what]) => `  ${name.padEnd(34)} ${what.replace(/`/g, '')}`),
    '  /help                              this list',
    '  /quit                              leave (Ctrl+D works too)',
    '',
    'Examples: /ask How many peacekeepers?   /timeline from:2022-09   /quote 28   /summary topic:peacekeepers',
  ].join('\n');
}

function describeCorpus(kb: KnowledgeBase): string {
  const [first, ...others] = kb.documents;
  if (!first) return 'the corpus';
  const passages = kb.documents.reduce((sum, d) => sum + d.passages.length, 0);
  return others.length === 0
    ? `"${first.title}" (${first.published}, ${passages} passages)`
    : `${kb.documents.length} articles (${passages} passages)`;
}
