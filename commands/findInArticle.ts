import { ApplicationCommandType } from 'discord-api-types/v10';
import { defineMessageCommand } from '../src/discord/command.ts';
import { truncate } from '../src/discord/render.ts';
import { UserError } from '../src/discord/reply.ts';
import { MAX_QUESTION_LENGTH } from '../src/search/ask.ts';
import { renderAnswer } from './ask.ts';

/** Right-click a message → Apps → "Find in article": the passages that support what it says. */
export const findInArticleCommand = defineMessageCommand({
  definition: { name: 'Find in article', type: ApplicationCommandType.Message },
  async execute(context, message) {
    const text = [message.content, ...message.embeds.map((e) => e.description ?? '')].join(' ').trim();
    if (text === '') throw new UserError('That message has no text to look up.');
    // A chat message can be long; its opening carries its claim, and ask() takes a question's length.
    const answer = context.kb.ask(truncate(text.replace(/\s+/g, ' '), MAX_QUESTION_LENGTH));
    const reply = renderAnswer(context, answer, { hidden: true });
    return {
      kind: 'reply',
      reply: answer.answered
        ? { ...reply, content: 'Passages of the article on what that message says:', components: [] }
        : { ...reply, content: `The article has nothing on that message.\n${reply.content ?? ''}`.trim() },
    };
  },
});
