import { defineChatInputCommand } from '../src/discord/command.ts';
import { formatDay } from '../src/discord/citations.ts';
import { escapeCorpusText } from '../src/discord/render.ts';
import { BRAND_COLOUR } from './shared.ts';

/** How to use each command, shown by /about and the console's /help. */
export const COMMAND_HELP: readonly [string, string][] = [
  ['/ask question:… [hide] [mention]', 'The passage that answers your question, quoted and cited. `hide` shows it to you only, with a button to share it.'],
  ['/quote passage:…', 'Post a passage: type words from it or its number (¶27) and pick one.'],
  ['/timeline [from] [to] [about]', 'Dated events in order, with a picture. Dates: 2022, 2022-09 or 2022-10-31.'],
  ['/summary [topic] [hide]', 'A short cited summary of the story, or of one topic.'],
  ['/pin-summary [topic]', 'Moderators: post the summary and pin it; run again to update the same pin.'],
  ['Find in article', 'Right-click a message → Apps: the passages on what it says.'],
];

export const aboutCommand = defineChatInputCommand({
  definition: { name: 'about', description: 'What this bot knows and how to use it.' },
  async execute(context) {
    const { documents } = context.kb;
    const passages = documents.reduce((sum, d) => sum + d.passages.length, 0);
    const listed = documents.slice(0, 10).map((d) => {
      const source = d.source ? ` · ${escapeCorpusText(d.source)}` : '';
      return `• **${escapeCorpusText(d.title)}** · ${formatDay(d.published)}${source}`;
    });
    if (documents.length > listed.length) listed.push(`…and ${documents.length - listed.length} more`);
    return {
      kind: 'reply',
      reply: {
        ephemeral: true,
        embeds: [
          {
            title: 'summit-bot',
            color: BRAND_COLOUR,
            description: [
              `I answer from ${documents.length === 1 ? 'one article' : `${documents.length} articles`} (${passages} passages), and quote them with their paragraph (¶) so you can check.`,
              '',
              ...listed,
            ].join('\n'),
            fields: COMMAND_HELP.map(([name, value]) => ({ name, value })),
          },
        ],
      },
    };
  },
});
