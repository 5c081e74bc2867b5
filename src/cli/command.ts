import type { KnowledgeBase } from '../knowledgeBase.ts';
import { parseCommandArgs, type OptionValues, type ParseArgsOptionsConfig } from './args.ts';
import { UsageError } from './errors.ts';
import type { CliIo } from './io.ts';

/** How the tool is invoked, as shown in usage lines. */
export const PROGRAM = 'npm run --silent cli --';

export const COMMON_OPTION_HELP: readonly string[] = [
  '--corpus DIR   the corpus folder (default: corpus/, from the current folder)',
  '-h, --help     show this help',
];

/** What the runner hands every command, whatever its options. */
export interface CommandEnvironment {
  /** The name the command was called by, for messages. */
  readonly name: string;
  readonly io: CliIo;
  /** Every registered command, for `help`. */
  readonly commands: CommandRegistry;
  /** Prints this command's help on stdout (for --help). */
  showHelp(): Promise<void>;
}

export interface CommandContext<O extends ParseArgsOptionsConfig> extends CommandEnvironment {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
  /** Loads the corpus named by --corpus; commands that need no corpus never pay for it. */
  openKnowledgeBase(): Promise<KnowledgeBase>;
}

/** A command as its module writes it: `run` sees its own options, typed. */
export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** Synopsis lines without the program name, e.g. `ask "<question>" [--json]`. */
  readonly usage: readonly string[];
  /** One line: what the command does. */
  readonly summary: string;
  /** Argument and option lines for `help <command>`; the common options are added there. */
  readonly details?: readonly string[];
  /** node:util parseArgs definitions, parsed strictly, merged over the common options. */
  readonly options: O;
  /**
   * Writes the result to io.stdout. Throws UsageError for a bad invocation (exit 2), CliFailure or
   * CorpusErrors for an expected failure (exit 1).
   */
  run(context: CommandContext<O>): Promise<void>;
}

/** A registered command: parses its own arguments, so the registry needs no per-command types. */
export interface CliCommand {
  readonly usage: readonly string[];
  readonly summary: string;
  readonly details?: readonly string[];
  readonly options: ParseArgsOptionsConfig;
  run(args: readonly string[], environment: CommandEnvironment): Promise<void>;
}

/** Name → command. Register new commands in src/cli/registry.ts. */
export type CommandRegistry = Readonly<Record<string, CliCommand>>;

/**
 * Turns a command module's spec into a registry entry: strict parsing of its options and the
 * common ones, --help, and a lazily opened knowledge base.
 */
export function defineCommand<const O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): CliCommand {
  return {
    usage: spec.usage,
    summary: spec.summary,
    ...(spec.details ? { details: spec.details } : {}),
    options: spec.options,
    async run(args, environment) {
      const { values, positionals } = parseCommandArgs(environment.name, args, spec.options);
      if (values.help) return environment.showHelp();
      const corpus = values.corpus;
      if (corpus.trim() === '') throw new UsageError(`${environment.name}: --corpus needs a folder`);
      await spec.run({ ...environment, values, positionals, openKnowledgeBase: () => openKnowledgeBase(corpus) });
    },
  };
}

/** Loaded on first use: help and usage errors answer at once, without loading the search stack. */
async function openKnowledgeBase(dir: string): Promise<KnowledgeBase> {
  const { KnowledgeBase } = await import('../knowledgeBase.ts');
  return KnowledgeBase.open(dir);
}
