import { escapeMarkdown } from '@discordjs/formatters';
import type { APIEmbed, APIEmbedField, APIMessageComponent } from 'discord-api-types/v10';
import { MessageFlags } from 'discord-api-types/v10';
import type { Span } from '../corpus/types.ts';
import { DiscordLimits } from './limits.ts';
import type { Reply } from './reply.ts';

const ELLIPSIS = '…';

/** Cuts text to `max` characters at a word boundary, with an ellipsis where cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  const room = max - ELLIPSIS.length;
  let cut = room;
  // Never split a surrogate pair: a half emoji renders as garbage.
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut--;
  const space = text.lastIndexOf(' ', cut);
  if (space > room * 0.6) cut = space;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Corpus text as Discord should show it: Markdown escaped (a quoted "*" or "_" stays a character),
 * with the highlighted words in bold. Highlights are spans of `text`.
 */
export function quoteText(text: string, highlights: readonly Span[] = []): string {
  let out = '';
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at || end > text.length || start >= end) continue;
    out += escapeCorpusText(text.slice(at, start));
    out += `**${escapeCorpusText(text.slice(start, end))}**`;
    at = end;
  }
  return out + escapeCorpusText(text.slice(at));
}

/** Escapes Markdown and neutralises mass mentions even where allowed_mentions is not honoured. */
export function escapeCorpusText(text: string): string {
  return escapeMarkdown(text).replace(/@(everyone|here)/g, '@\u200b$1');
}

/** The API payload a transport sends: limits enforced, mentions locked, flags set. */
export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageComponent[];
  allowed_mentions: { parse: []; users?: string[] };
  flags?: number;
}

/**
 * The one place a reply becomes a Discord message: every text is cut to Discord's limits, the
 * embeds together stay under the total, and `allowed_mentions` lets nobody be pinged but the
 * users the command chose.
 */
export function toMessagePayload(reply: Reply): MessagePayload {
  const payload: MessagePayload = {
    allowed_mentions: reply.mentionUsers?.length ? { parse: [], users: [...reply.mentionUsers] } : { parse: [] },
  };
  if (reply.content !== undefined) payload.content = truncate(reply.content, DiscordLimits.messageContent);
  if (reply.embeds?.length) payload.embeds = fitEmbeds(reply.embeds.slice(0, DiscordLimits.embedsPerMessage).map(clampEmbed));
  if (reply.components?.length) {
    payload.components = reply.components.slice(0, DiscordLimits.componentRows).map((row) => ({
      ...row,
      components: row.components.slice(0, DiscordLimits.buttonsPerRow),
    })) as APIMessageComponent[];
  }
  if (reply.ephemeral) payload.flags = MessageFlags.Ephemeral;
  return payload;
}

function clampEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, DiscordLimits.embedTitle);
  if (out.description !== undefined) out.description = truncate(out.description, DiscordLimits.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, DiscordLimits.embedFooterText) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, DiscordLimits.embedAuthorName) };
  if (out.fields) {
    out.fields = out.fields.slice(0, DiscordLimits.embedFields).map(
      (field): APIEmbedField => ({
        ...field,
        name: truncate(field.name, DiscordLimits.embedFieldName) || '\u200b',
        value: truncate(field.value, DiscordLimits.embedFieldValue) || '\u200b',
      }),
    );
  }
  return out;
}

/** Characters Discord counts toward the 6000 shared by all embeds of a message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** Drops trailing fields, then shortens descriptions, until all embeds fit the shared total. */
function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const total = () => embeds.reduce((sum, e) => sum + embedLength(e), 0);
  for (let i = embeds.length - 1; i >= 0 && total() > DiscordLimits.embedTotal; i--) {
    const embed = embeds[i] as APIEmbed;
    while (embed.fields?.length && total() > DiscordLimits.embedTotal) embed.fields = embed.fields.slice(0, -1);
    if (total() > DiscordLimits.embedTotal && embed.description) {
      const excess = total() - DiscordLimits.embedTotal;
      embed.description = truncate(embed.description, Math.max(0, embed.description.length - excess));
    }
  }
  while (embeds.length > 1 && total() > DiscordLimits.embedTotal) embeds.pop();
  return embeds;
}
