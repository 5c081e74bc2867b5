import { blockQuote, userMention } from '@discordjs/formatters';
import { ApplicationCommandOptionType, ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { Answer, Excerpt } from '../src/search/ask.ts';
import { MAX_QUESTION_LENGTH } from '../src/search/ask.ts';
import { defineChatInputCommand, type CommandContext } from '../src/discord/command.ts';
import { citationLine } from '../src/discord/citations.ts';
import { DiscordLimits } from '../src/discord/limits.ts';
import { escapeCorpusText, quoteText, truncate } from '../src/discord/render.ts';
import { UserError, type Reply } from '../src/discord/reply.ts';
import { BRAND_COLOUR, fullPassageReply } from './shared.ts';

const FULL_PASSAGE = 'ask:full:';
const SHARE = 'ask:share';

export const askCommand = defineChatInputCommand({
  definition: {
    name: 'ask',
    description: 'Ask a question about the article; get the passage that answers it, cited.',
    options: [
      {
        name: 'question',
        description: 'What you want to know, e.g. "How many peacekeepers did Russia deploy?"',
        type: ApplicationCommandOptionType.String,
        required: true,
        max_length: MAX_QUESTION_LENGTH,
      },
      { name: 'hide', description: 'Only you see the answer (you can share it afterwards).', type: ApplicationCommandOptionType.Boolean },
      { name: 'mention', description: 'Ping this member with the answer.', type: ApplicationCommandOptionType.User },
    ],
  },
  postsPublicly: true,
  isPublic: (args) => !args.hide,
  async execute(context, args) {
    const question = args.question.trim();
    if (question === '') throw new UserError('The question is empty: ask about the article in a few words.');
    if (question.length > MAX_QUESTION_LENGTH) throw new UserError(`Questions can be at most ${MAX_QUESTION_LENGTH} characters.`);
    const answer = context.kb.ask(question);
    const reply = renderAnswer(context, answer, { hidden: args.hide ?? false });
    return { kind: 'reply', reply: args.mention ? withMention(reply, args.mention) : reply };
  },
  components: [
    {
      prefix: FULL_PASSAGE,
      async handle(context) {
        const id = context.customId.slice(FULL_PASSAGE.length);
        return { kind: 'reply', reply: fullPassageReply(context.kb, id) };
      },
    },
    {
      prefix: SHARE,
      async handle(context) {
        const embeds = context.message?.embeds ?? [];
        if (embeds.length === 0) throw new UserError('There is nothing to share on that message any more.');
        // The ephemeral answer carries everything: re-post it as is, so the shared text is
        // exactly what the asker saw, attributed to them.
        return {
          kind: 'reply',
          reply: {
            content: `Shared by ${userMention(context.invocation.user.id)}`,
            embeds,
            components: buttonRow(firstPassageOf(context.message?.components), false),
          },
        };
      },
    },
  ],
});

export function renderAnswer(context: CommandContext, answer: Answer, options: { hidden: boolean }): Reply {
  if (!answer.answered) {
    const lines = [`🤷 ${answer.explanation ?? "The article doesn't cover that."}`];
    const suggestions = answer.suggestions ?? [];
    if (suggestions.length > 0) {
      lines.push('', 'Closest passages, in case they help:');
      for (const s of suggestions) lines.push(`${s.citation}: ${escapeCorpusText(truncate(s.text, 160))}`);
    }
    return { content: lines.join('\n'), ephemeral: options.hidden };
  }
  const [best, ...more] = answer.excerpts as [Excerpt, ...Excerpt[]];
  const embed: APIEmbed = {
    title: truncate(escapeCorpusText(answer.question), DiscordLimits.embedTitle),
    description: `${blockQuote(quoteText(best.text, best.highlights))}\n${excerptCitation(context, best)}`,
    color: BRAND_COLOUR,
    fields: more.slice(0, 2).map((e) => ({
      name: `Also ${e.citation}`,
      value: truncate(`${quoteText(e.text, e.highlights)}\n${excerptCitation(context, e)}`, DiscordLimits.embedFieldValue),
    })),
    footer: { text: 'Quoted from the article: bold words match your question.' },
  };
  return { embeds: [embed], ephemeral: options.hidden, components: buttonRow(best.passage, options.hidden) };
}

function excerptCitation(context: CommandContext, excerpt: Excerpt): string {
  const passage = context.kb.passage(excerpt.passage);
  return passage ? `— ${citationLine(passage, context.kb.documentOf(passage))}` : `— ${excerpt.citation}`;
}

function buttonRow(passageId: string | undefined, withShare: boolean): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const buttons: APIComponentInMessageActionRow[] = [];
  const fullId = `${FULL_PASSAGE}${passageId ?? ''}`;
  if (passageId && fullId.length <= DiscordLimits.customId) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Full passage', custom_id: fullId });
  }
  if (withShare) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Share in channel', custom_id: SHARE });
  return buttons.length ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}

/** The passage behind a message's "Full passage" button, so a shared answer keeps it. */
function firstPassageOf(components: readonly { components?: readonly { custom_id?: string }[] }[] | undefined): string | undefined {
  for (const row of components ?? []) {
    for (const c of row.components ?? []) if (c.custom_id?.startsWith(FULL_PASSAGE)) return c.custom_id.slice(FULL_PASSAGE.length);
  }
  return undefined;
}

function withMention(reply: Reply, userId: string): Reply {
  return {
    ...reply,
    content: reply.content ? `${userMention(userId)} ${reply.content}` : userMention(userId),
    mentionUsers: [userId],
  };
}
