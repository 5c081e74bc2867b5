import { createInterface } from 'node:readline';
import { formatAnswer } from '../cli/format.ts';
import { exitQuietlyOnBrokenPipe, write } from '../cli/io.ts';
import { checkQuestion } from '../cli/question.ts';
import { styleFor, type OutputStream, type TextStyle } from '../cli/terminal.ts';
import { CorpusErrors } from '../corpus/errors.ts';
import { KnowledgeBase } from '../knowledgeBase.ts';

export const PROMPT = 'summit-bot> ';
const QUIT_COMMANDS = new Set(['/quit', '/exit']);
/** What the Discord command looks like; typing it here is accepted out of habit. */
const ASK_PREFIX = /^\/ask(?:\s+|$)/i;

export interface ConsoleOptions {
  readonly corpusDir: string;
  readonly input?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly output?: NodeJS.WritableStream & OutputStream;
  readonly errorOutput?: NodeJS.WritableStream;
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
    kb = await KnowledgeBase.open(options.corpusDir);
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

  if (interactive) {
    await write(output, `Ask about ${describeCorpus(kb)}. /quit or Ctrl+D to leave.\n`);
    lines.prompt();
  }
  let quitByCommand = false;
  for await (const line of lines) {
    const entry = line.trim();
    if (QUIT_COMMANDS.has(entry.toLowerCase())) {
      quitByCommand = true;
      break;
    }
    if (entry !== '') await answerLine(entry, { kb, interactive, style, output, errorOutput });
    if (interactive) lines.prompt();
  }
  lines.close();
  // Ctrl+D or Ctrl+C leave the cursor after the prompt; the shell's prompt belongs on a new line.
  if (interactive && !quitByCommand) await write(output, '\n');
  return 0;
}

interface Session {
  readonly kb: KnowledgeBase;
  readonly interactive: boolean;
  readonly style: TextStyle;
  readonly output: NodeJS.WritableStream;
  readonly errorOutput: NodeJS.WritableStream;
}

/** One line of input. Nothing a user types ends the session; a bad line gets a one-line reason. */
async function answerLine(entry: string, session: Session): Promise<void> {
  const question = entry.replace(ASK_PREFIX, '');
  // Piped input produces a transcript: each answer follows the question it answers.
  if (!session.interactive) await write(session.output, `${PROMPT}${question}\n`);
  if (question.startsWith('/')) {
    const command = question.split(/\s/, 1)[0] ?? question;
    await write(session.errorOutput, `summit-bot: unknown command ${command}: type a question, /ask <question> or /quit\n`);
    return;
  }
  const check = checkQuestion(question);
  if (!check.ok) {
    await write(session.errorOutput, `summit-bot: ${check.reason}\n`);
    return;
  }
  try {
    const answer = session.kb.ask(question);
    await write(session.output, `${formatAnswer(answer, session.kb, session.style)}\n`);
  } catch (error) {
    // A bug in answering one question must not end the session; the details go to stderr.
    await write(session.errorOutput, `summit-bot: could not answer that: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
}

function describeCorpus(kb: KnowledgeBase): string {
  const [first, ...others] = kb.documents;
  if (!first) return 'the corpus';
  const passages = kb.documents.reduce((sum, d) => sum + d.passages.length, 0);
  return others.length === 0
    ? `"${first.title}" (${first.published}, ${passages} passages)`
    : `${kb.documents.length} articles (${passages} passages)`;
}
