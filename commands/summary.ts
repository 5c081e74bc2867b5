import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { defineChatInputCommand } from '../src/discord/command.ts';
import { MAX_TOPIC_LENGTH } from '../src/summary/summarize.ts';
import { buildSummary, summaryEmbed } from './summaryEmbed.ts';

export const summaryCommand = defineChatInputCommand({
  definition: {
    name: 'summary',
    description: 'A short summary of the story, every point cited.',
    options: [
      { name: 'topic', description: 'Only what the article says about this, e.g. "peacekeepers"', type: ApplicationCommandOptionType.String, max_length: MAX_TOPIC_LENGTH },
      { name: 'hide', description: 'Only you see the summary.', type: ApplicationCommandOptionType.Boolean },
    ],
  },
  postsPublicly: true,
  isPublic: (args) => !args.hide,
  async execute(context, args) {
    const summary = buildSummary(context.kb, args.topic);
    return { kind: 'reply', reply: { embeds: [summaryEmbed(summary, context.now())], ephemeral: args.hide ?? false } };
  },
});
