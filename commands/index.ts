import type { CommandModule } from '../src/discord/command.ts';
import { aboutCommand } from './about.ts';
import { askCommand } from './ask.ts';
import { findInArticleCommand } from './findInArticle.ts';
import { pinSummaryCommand } from './pinSummary.ts';
import { quoteCommand } from './quote.ts';
import { summaryCommand } from './summary.ts';
import { timelineCommand } from './timeline.ts';

/**
 * The one static registry of commands: the runtime dispatches from it, the deploy script and
 * `cli -- commands --json` register exactly its definitions.
 */
export const COMMANDS: readonly CommandModule[] = [
  askCommand,
  quoteCommand,
  timelineCommand,
  summaryCommand,
  pinSummaryCommand,
  aboutCommand,
  findInArticleCommand,
];

/** The application-command array sent to Discord (a bulk PUT replaces all commands with it). */
export function commandDefinitions(): CommandModule['definition'][] {
  return COMMANDS.map((c) => c.definition);
}
