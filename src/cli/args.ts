import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

/** Option definitions as node:util parseArgs takes them (@types/node does not export the name). */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes; a command's own options are merged over them. */
export const commonOptions = {
  corpus: { type: 'string', default: 'corpus' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

type ParseConfig<O extends ParseArgsOptionsConfig> = { args: string[]; options: O; strict: true; allowPositionals: true };
type ValuesOf<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<ParseConfig<O>>>['values'];

/**
 * The parsed option values of a command, typed from its option definitions (never restated). The
 * common part is kept separate so that generic code can read `corpus` and `help` without knowing
 * the command's own options.
 */
export type OptionValues<O extends ParseArgsOptionsConfig> = ValuesOf<typeof commonOptions> & ValuesOf<O>;

export interface ParsedCommandArgs<O extends ParseArgsOptionsConfig> {
  readonly values: OptionValues<O>;
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments strictly: an unknown option or a missing option value is a usage
 * error with a one-line reason, not node's multi-sentence message.
 */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(command: string, args: readonly string[], options: O): ParsedCommandArgs<O> {
  try {
    const config: ParseArgsConfig = { args: [...args], options: { ...commonOptions, ...options }, strict: true, allowPositionals: true };
    // Parsed from exactly these definitions, strictly: the values have the types OptionValues<O>
    // derives from them, which TypeScript cannot follow through a spread of generic options.
    return parseArgs(config) as unknown as ParsedCommandArgs<O>;
  } catch (error) {
    throw new UsageError(describeParseError(command, options, error));
  }
}

function describeParseError(command: string, options: ParseArgsOptionsConfig, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  // node names the option in quotes: "Unknown option '--jsn'", "Option '--corpus <value>' argument missing".
  const option = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
  const known = Object.keys({ ...options, ...commonOptions })
    .map((name) => `--${name}`)
    .join(', ');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      // A question such as "-5 degrees?" looks like an option; say how to pass it.
      const dashHint = /^-\d/.test(option) || option.length <= 2 ? `; put -- before an argument that starts with "-"` : '';
      return `${command}: unknown option ${option} (options: ${known})${dashHint}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(message)
        ? `${command}: option ${option} needs a value`
        : `${command}: option ${option} takes no value`;
    default:
      return `${command}: ${message.split('\n')[0] ?? message}`;
  }
}
