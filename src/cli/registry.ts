import type { CommandRegistry } from './command.ts';
import { askCommand } from './commands/ask.ts';
import { helpCommand } from './commands/help.ts';
import { passagesCommand } from './commands/passages.ts';
import { quoteCommand } from './commands/quote.ts';

/**
 * Every command of the tool, by the name it is called with; `help` lists them in this order.
 * To add one (timeline, summary, commands, index): write src/cli/commands/<name>.ts with
 * defineCommand and add it here.
 */
export const cliCommands = {
  ask: askCommand,
  quote: quoteCommand,
  passages: passagesCommand,
  help: helpCommand,
} as const satisfies CommandRegistry;
