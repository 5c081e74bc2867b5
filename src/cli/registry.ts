import type { CommandRegistry } from './command.ts';
import { askCommand } from './commands/ask.ts';
import { commandsCommand } from './commands/commands.ts';
import { helpCommand } from './commands/help.ts';
import { indexCommand } from './commands/index.ts';
import { passagesCommand } from './commands/passages.ts';
import { quoteCommand } from './commands/quote.ts';
import { summaryCommand } from './commands/summary.ts';
import { timelineCommand } from './commands/timeline.ts';

/**
 * Every command of the tool, by the name it is called with; `help` lists them in this order.
 * To add one: write src/cli/commands/<name>.ts with defineCommand and add it here.
 */
export const cliCommands = {
  ask: askCommand,
  quote: quoteCommand,
  passages: passagesCommand,
  timeline: timelineCommand,
  summary: summaryCommand,
  commands: commandsCommand,
  index: indexCommand,
  help: helpCommand,
} as const satisfies CommandRegistry;
