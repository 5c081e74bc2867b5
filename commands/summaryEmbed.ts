import type { APIEmbed } from 'discord-api-types/v10';
import { DiscordLimits } from '../src/discord/limits.ts';
import { escapeCorpusText, truncate } from '../src/discord/render.ts';
import { UserError } from '../src/discord/reply.ts';
import type { KnowledgeBase } from '../src/knowledgeBase.ts';
import { MAX_TOPIC_LENGTH, summarize, type Summary } from '../src/summary/summarize.ts';
import { BRAND_COLOUR } from './shared.ts';

/**
 * Footer of every summary the bot posts. /pin-summary finds its own pinned summary by this
 * marker and the topic, so it edits that message instead of pinning another.
 */
export const SUMMARY_FOOTER_PREFIX = 'summit-bot summary';

export function summaryFooter(topic: string | undefined): string {
  return `${SUMMARY_FOOTER_PREFIX} · ${topic ? `topic: ${topic}` : 'the whole story'}`;
}

export function buildSummary(kb: KnowledgeBase, topic: string | undefined): Summary {
  const cleaned = topic?.trim();
  if (cleaned && cleaned.length > MAX_TOPIC_LENGTH) throw new UserError(`A topic can be at most ${MAX_TOPIC_LENGTH} characters.`);
  return summarize(kb.index, { english: kb.english, ...(cleaned ? { topic: cleaned } : {}) });
}

/** The summary as one embed: a bullet per point, each with its citation. */
export function summaryEmbed(summary: Summary, now: number): APIEmbed {
  if (summary.points.length === 0) {
    throw new UserError(summary.note ?? 'The article says too little about that to summarize.');
  }
  const bullets = summary.points.map((p) => `• ${escapeCorpusText(p.text)} (${p.citation})`);
  if (!summary.covered && summary.note) bullets.unshift(`*${escapeCorpusText(summary.note)}*`, '');
  return {
    title: truncate(escapeCorpusText(summary.title), DiscordLimits.embedTitle),
    description: truncate(bullets.join('\n'), DiscordLimits.embedDescription),
    color: BRAND_COLOUR,
    footer: { text: summaryFooter(summary.topic) },
    timestamp: new Date(now).toISOString(),
  };
}
