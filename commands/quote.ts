import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { Passage } from '../src/corpus/types.ts';
import { defineChatInputCommand } from '../src/discord/command.ts';
import { plainCitation } from '../src/discord/citations.ts';
import { DiscordLimits } from '../src/discord/limits.ts';
import { truncate } from '../src/discord/render.ts';
import { UserError } from '../src/discord/reply.ts';
import type { KnowledgeBase } from '../src/knowledgeBase.ts';
import { leadPassages, parsePassageRef, resolvePassageRef, searchPassages } from '../src/passageLookup.ts';
import { BRAND_COLOUR, passageQuote } from './shared.ts';

export const quoteCommand = defineChatInputCommand({
  definition: {
    name: 'quote',
    description: 'Post a passage of the article, quoted with its citation.',
    options: [
      {
        name: 'passage',
        description: 'Start typing words from the passage, or its number (¶27).',
        type: ApplicationCommandOptionType.String,
        required: true,
        autocomplete: true,
        max_length: DiscordLimits.choiceValue,
      },
    ],
  },
  postsPublicly: true,
  async execute(context, args) {
    const passage = findPassageToQuote(context.kb, args.passage);
    return {
      kind: 'reply',
      reply: { embeds: [{ description: passageQuote(context.kb, passage), color: BRAND_COLOUR }] },
    };
  },
  async autocomplete(context, focused) {
    const typed = focused.value.trim();
    const passages = typed === '' ? leadPassages(context.kb, DiscordLimits.autocompleteChoices) : searchPassages(context.kb, typed, DiscordLimits.autocompleteChoices);
    return passages.map((p) => passageChoice(context.kb, p));
  },
});

/** An autocomplete choice: the citation and the passage's start, the id as value. */
export function passageChoice(kb: KnowledgeBase, passage: Passage): { name: string; value: string } {
  const prefix = kb.documents.length > 1 ? plainCitation(passage, kb.documentOf(passage)) : passage.citation;
  return {
    name: truncate(`${prefix} · ${passage.text.replace(/\s+/g, ' ')}`, DiscordLimits.choiceName),
    value: passage.id,
  };
}

/**
 * The chosen passage (its id, from autocomplete) or, when the member typed without choosing,
 * the passage their words name or find best.
 */
function findPassageToQuote(kb: KnowledgeBase, value: string): Passage {
  const typed = value.trim();
  if (typed === '') throw new UserError('Name a passage: type words from it or its number, like ¶27.');
  const ref = parsePassageRef(typed);
  if (ref) {
    const lookup = resolvePassageRef(ref, kb.documents);
    if (lookup.kind === 'found') return lookup.passage;
    throw new UserError(`${capitalise(lookup.reason)}.`);
  }
  const [best] = searchPassages(kb, typed, 1);
  if (!best) throw new UserError(`No passage matches “${truncate(typed, 80)}”. Pick one of the suggestions as you type.`);
  return best;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
