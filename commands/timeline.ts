import { ApplicationCommandOptionType, ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { defineChatInputCommand, type CommandContext, type CommandResult } from '../src/discord/command.ts';
import { DiscordLimits } from '../src/discord/limits.ts';
import { escapeCorpusText, truncate } from '../src/discord/render.ts';
import { UserError, type Reply } from '../src/discord/reply.ts';
import { formatEventDate, renderTimelinePngAsync } from '../src/timeline/renderTimeline.ts';
import { DATE_FILTER_FORMAT, DateFilterError } from '../src/timeline/timeline.ts';
import { queryTimeline, type TimelineQuery } from '../src/timeline/timelineQuery.ts';
import type { TimelineEvent } from '../src/timeline/types.ts';
import { BRAND_COLOUR } from './shared.ts';

/** Events per page of the embed. */
export const EVENTS_PER_PAGE = 8;
/** Paging buttons stop working after this long; the reader runs /timeline again. */
export const PAGE_BUTTONS_LIFETIME_MS = 10 * 60 * 1000;
const PAGE_PREFIX = 'tl:';
/** Longest `about` the paging button can carry (custom ids hold 100 characters). */
const MAX_ABOUT_LENGTH = 40;
const DATE_OPTION_LENGTH = 10;

export const timelineCommand = defineChatInputCommand({
  definition: {
    name: 'timeline',
    description: 'Dated events of the story in order, with a picture.',
    options: [
      { name: 'from', description: `Earliest date: ${DATE_FILTER_FORMAT}`, type: ApplicationCommandOptionType.String, max_length: DATE_OPTION_LENGTH },
      { name: 'to', description: `Latest date: ${DATE_FILTER_FORMAT}`, type: ApplicationCommandOptionType.String, max_length: DATE_OPTION_LENGTH },
      { name: 'about', description: 'Only events about these words, e.g. "clashes"', type: ApplicationCommandOptionType.String, max_length: MAX_ABOUT_LENGTH },
    ],
  },
  postsPublicly: true,
  async execute(context, args) {
    const query: TimelineQuery = { from: blankToUndefined(args.from), to: blankToUndefined(args.to), query: blankToUndefined(args.about) };
    const events = runQuery(context, query);
    const reply = renderPage(context, events, query, 0, context.invocation.user.id, context.now());
    const title = context.kb.documents.length === 1 ? context.kb.documents[0]?.title : undefined;
    const picture = await renderTimelinePngAsync(events, { title: 'Timeline', ...(title ? { documentTitle: title } : {}) });
    return { kind: 'reply', reply: { ...reply, files: [{ name: 'timeline.png', data: picture, description: 'The events on a time axis' }] } };
  },
  components: [
    {
      prefix: PAGE_PREFIX,
      async handle(context): Promise<CommandResult> {
        const state = decodePageState(context.customId);
        if (!state) throw new UserError('That button no longer works. Run /timeline again.');
        if (state.userId !== context.invocation.user.id) {
          throw new UserError('Only the member who ran this /timeline can turn its pages. Run /timeline yourself to browse.');
        }
        if (context.now() - state.issuedAt > PAGE_BUTTONS_LIFETIME_MS) {
          throw new UserError('These page buttons have expired. Run /timeline again.');
        }
        const events = runQuery(context, state.query);
        return { kind: 'update', reply: renderPage(context, events, state.query, state.page, state.userId, state.issuedAt) };
      },
    },
  ],
});

function runQuery(context: CommandContext, query: TimelineQuery): TimelineEvent[] {
  let events: TimelineEvent[];
  try {
    events = queryTimeline(context.kb, query);
  } catch (error) {
    if (error instanceof DateFilterError) throw new UserError(`${error.message}.`);
    throw error;
  }
  if (events.length === 0) {
    const filters = [query.from && `from ${query.from}`, query.to && `to ${query.to}`, query.query && `about “${query.query}”`].filter(Boolean);
    throw new UserError(`No dated events ${filters.length ? filters.join(', ') : 'in the article'}. Try a wider range.`);
  }
  return events;
}

function renderPage(context: CommandContext, events: readonly TimelineEvent[], query: TimelineQuery, page: number, userId: string, issuedAt: number): Reply {
  const pages = Math.max(1, Math.ceil(events.length / EVENTS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const shown = events.slice(current * EVENTS_PER_PAGE, (current + 1) * EVENTS_PER_PAGE);
  const multipleDocuments = context.kb.documents.length > 1;
  const lines = shown.map((event) => {
    const where = multipleDocuments ? `${event.citation} · ${event.document}` : event.citation;
    return `**${formatEventDate(event)}** — ${escapeCorpusText(truncate(event.text, 220))} (${where})`;
  });
  const filters = [query.from && `from ${query.from}`, query.to && `to ${query.to}`, query.query && `about “${escapeCorpusText(query.query)}”`].filter(Boolean);
  const embed: APIEmbed = {
    title: `Timeline${filters.length ? ` (${filters.join(', ')})` : ''}`,
    description: lines.join('\n'),
    color: BRAND_COLOUR,
    footer: { text: `${events.length} event${events.length === 1 ? '' : 's'} · page ${current + 1} of ${pages} · dates resolved against each article's publication date` },
  };
  const reply: Reply = { embeds: [embed] };
  if (pages === 1) return reply;
  const button = (label: string, target: number, disabled: boolean) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    label,
    custom_id: encodePageState({ page: target, userId, issuedAt, query }),
    disabled,
  });
  return {
    ...reply,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [button('Previous', current - 1, current === 0), button('Next', current + 1, current >= pages - 1)],
      },
    ],
  };
}

interface PageState {
  readonly page: number;
  readonly userId: string;
  /** When /timeline ran, ms since the epoch: the buttons expire relative to it. */
  readonly issuedAt: number;
  readonly query: TimelineQuery;
}

/**
 * Paging state lives in the button's custom id, so any process (another shard, another endpoint
 * replica, or this one after a restart) can turn the page: tl:<page>:<user>:<issued>:<from>:<to>:<about>.
 */
export function encodePageState(state: PageState): string {
  const issued = Math.floor(state.issuedAt / 1000).toString(36);
  const id = [PAGE_PREFIX.slice(0, -1), state.page, state.userId, issued, state.query.from ?? '', state.query.to ?? '', state.query.query ?? ''].join(':');
  return id.slice(0, DiscordLimits.customId - 1);
}

export function decodePageState(customId: string): PageState | undefined {
  const parts = customId.split(':');
  if (parts.length < 7 || `${parts[0]}:` !== PAGE_PREFIX) return undefined;
  const [, page, userId, issued, from, to, ...about] = parts as [string, string, string, string, string, string, ...string[]];
  // Previous on the first page points at -1; the buttons differ by target, as custom ids must.
  const pageNumber = Math.max(0, Number(page));
  if (!Number.isInteger(pageNumber) || !/^\d+$/.test(userId)) return undefined;
  const words = about.join(':');
  return {
    page: pageNumber,
    userId,
    issuedAt: parseInt(issued, 36) * 1000,
    query: { from: from || undefined, to: to || undefined, query: words || undefined },
  };
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
