import { COMMON_OPTION_HELP, PROGRAM, type CliCommand, type CommandRegistry } from './command.ts';

/** `help` with no command: what the tool does, every command, the shared options, exit codes. */
export function formatOverview(commands: CommandRegistry): string {
  const lines = [
    'summit-bot: answers, quotes and passages from the news corpus, with citations.',
    '',
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
  ];
  for (const command of Object.values(commands)) {
    lines.push(...command.usage.map((usage) => `  ${usage}`), `      ${command.summary}`);
  }
  lines.push(
    '',
    'every command takes:',
    ...COMMON_OPTION_HELP.map((line) => `  ${line}`),
    '',
    `"${PROGRAM} help <command>" shows a command's arguments.`,
    'exit status: 0 success, 1 failure (bad corpus, unknown passage), 2 usage error',
  );
  return `${lines.join('\n')}\n`;
}

/** `help <command>` or `<command> --help`. */
export function formatCommandHelp(command: CliCommand): string {
  const [first, ...rest] = command.usage;
  const lines = [
    `usage: ${PROGRAM} ${first ?? ''}`,
    ...rest.map((usage) => `       ${PROGRAM} ${usage}`),
    '',
    `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`,
    '',
    ...(command.details ?? []).map((line) => `  ${line}`),
    ...COMMON_OPTION_HELP.map((line) => `  ${line}`),
  ];
  return `${lines.join('\n')}\n`;
}
