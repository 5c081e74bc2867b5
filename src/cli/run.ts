import { CorpusErrors } from '../corpus/errors.ts';
import { PROGRAM, type CommandRegistry } from './command.ts';
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.ts';
import { write, type CliIo } from './io.ts';
import { cliCommands } from './registry.ts';
import { formatCommandHelp } from './usage.ts';

/**
 * Runs one command line and returns the exit status. The tool's one error boundary: expected
 * failures become a message on stderr without a stack trace; only a bug shows one.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: CommandRegistry = cliCommands): Promise<number> {
  try {
    await dispatch(argv, io, commands);
    return EXIT_OK;
  } catch (error) {
    return reportError(error, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIo, commands: CommandRegistry): Promise<void> {
  const [first, ...args] = argv;
  const names = Object.keys(commands).join(', ');
  if (first === undefined) throw new UsageError(`missing command (${names}); "${PROGRAM} help" explains them`);
  const name = first === '--help' || first === '-h' ? 'help' : first;
  if (name.startsWith('-')) throw new UsageError(`the command comes first: ${PROGRAM} <command> [options] (commands: ${names})`);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(`unknown command "${name}" (commands: ${names})`);
  await command.run(args, { name, io, commands, showHelp: () => write(io.stdout, formatCommandHelp(command)) });
}

async function reportError(error: unknown, io: CliIo): Promise<number> {
  if (error instanceof UsageError) {
    await write(io.stderr, `summit-bot: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof CorpusErrors) {
    // Verbatim: every problem as file:line: reason, which editors and terminals can jump to.
    await write(io.stderr, `${error.message}\n`);
    return EXIT_FAILURE;
  }
  if (error instanceof CliFailure) {
    await write(io.stderr, `summit-bot: ${error.message}\n`);
    return EXIT_FAILURE;
  }
  // A bug, not a user's mistake: the stack is what whoever fixes it needs.
  await write(io.stderr, `summit-bot: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}
