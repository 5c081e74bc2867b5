import { blockQuote } from '@discordjs/formatters';
import type { Passage } from '../src/corpus/types.ts';
import { citationLine } from '../src/discord/citations.ts';
import type { KnowledgeBase } from '../src/knowledgeBase.ts';
import { quoteText } from '../src/discord/render.ts';
import { UserError, type Reply } from '../src/discord/reply.ts';

/** The accent colour of every embed the bot sends. */
export const BRAND_COLOUR = 0x2f6fb3;

/** A whole passage as a block quote with its citation: what /quote posts and "Full passage" shows. */
export function passageQuote(kb: KnowledgeBase, passage: Passage): string {
  const label = passage.kind === 'caption' ? 'Photo caption' : passage.section ? `Section “${passage.section}”` : undefined;
  const document = kb.documentOf(passage);
  const credit = passage.kind === 'caption' && document.credit ? ` (${document.credit})` : '';
  return [label ? `*${label}*` : undefined, blockQuote(quoteText(passage.text) + credit), `— ${citationLine(passage, document)}`]
    .filter(Boolean)
    .join('\n');
}

export function fullPassageReply(kb: KnowledgeBase, passageId: string): Reply {
  const passage = kb.passage(passageId);
  if (!passage) throw new UserError('That passage is no longer in the corpus.');
  return { embeds: [{ description: passageQuote(kb, passage), color: BRAND_COLOUR }], ephemeral: true };
}
