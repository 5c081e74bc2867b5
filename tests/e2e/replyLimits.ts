import { InteractionResponseType } from 'discord.js';
import type { RecordedRequest } from '../discord-emulator/emulator.ts';
// Discord's documented numbers, not the bot's own (src/discord/limits.ts): the sweep checks the bot against Discord.
import { DiscordLimits as Discord } from '../support/discordLimits.ts';

/** A message (or autocomplete result) the bot sent, wherever it went. */
export interface SentReply {
  readonly request: RecordedRequest;
  readonly kind: 'interaction callback' | 'reply edit' | 'follow-up' | 'channel message' | 'channel message edit';
  /** The message body, or the autocomplete `data` for callback type 8. */
  readonly body: Record<string, unknown>;
  readonly callbackType?: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every reply payload among the recorded requests: interaction callbacks that carry data, webhook edits and follow-ups, channel messages. */
export function sentReplies(requests: readonly RecordedRequest[]): SentReply[] {
  const replies: SentReply[] = [];
  for (const request of requests) {
    const body = isRecord(request.body) ? request.body : {};
    if (request.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(request.path)) {
      const type = body['type'];
      // Deferrals (5, 6) carry at most flags; PONG and modals are not messages.
      const carriesData =
        type === InteractionResponseType.ChannelMessageWithSource ||
        type === InteractionResponseType.UpdateMessage ||
        type === InteractionResponseType.ApplicationCommandAutocompleteResult;
      if (carriesData) replies.push({ request, kind: 'interaction callback', body: isRecord(body['data']) ? body['data'] : {}, callbackType: type });
    } else if (request.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/[^/]+$/.test(request.path)) {
      replies.push({ request, kind: 'reply edit', body });
    } else if (request.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(request.path)) {
      replies.push({ request, kind: 'follow-up', body });
    } else if (request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path)) {
      replies.push({ request, kind: 'channel message', body });
    } else if (request.method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/.test(request.path)) {
      replies.push({ request, kind: 'channel message edit', body });
    }
  }
  return replies;
}

/** What is wrong with one sent reply, as readable lines (empty when it is within every limit). */
export function replyProblems(reply: SentReply): string[] {
  const where = `#${reply.request.index} ${reply.request.method} ${reply.kind}`;
  const problems =
    reply.callbackType === InteractionResponseType.ApplicationCommandAutocompleteResult ? choiceProblems(reply.body) : messageProblems(reply.body);
  return problems.map((problem) => `${where}: ${problem}`);
}

function tooLong(problems: string[], what: string, value: unknown, max: number, min = 0): number {
  if (value === undefined) {
    if (min > 0) problems.push(`${what} is missing`);
    return 0;
  }
  if (typeof value !== 'string') {
    problems.push(`${what} is not a string`);
    return 0;
  }
  if (value.length > max) problems.push(`${what} has ${value.length} characters (max ${max})`);
  if (value.length < min) problems.push(`${what} has ${value.length} characters (min ${min})`);
  return value.length;
}

function list(problems: string[], what: string, value: unknown, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${what} is not an array`);
    return [];
  }
  if (value.length > max) problems.push(`${what} has ${value.length} items (max ${max})`);
  return value;
}

export function messageProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  tooLong(problems, 'content', body['content'], Discord.content);

  let total = 0;
  list(problems, 'embeds', body['embeds'], Discord.embeds).forEach((embed, e) => {
    if (!isRecord(embed)) return;
    total += tooLong(problems, `embeds[${e}].title`, embed['title'], Discord.embedTitle);
    total += tooLong(problems, `embeds[${e}].description`, embed['description'], Discord.embedDescription);
    if (isRecord(embed['footer'])) total += tooLong(problems, `embeds[${e}].footer.text`, embed['footer']['text'], Discord.embedFooter);
    if (isRecord(embed['author'])) total += tooLong(problems, `embeds[${e}].author.name`, embed['author']['name'], Discord.embedAuthorName);
    list(problems, `embeds[${e}].fields`, embed['fields'], Discord.embedFields).forEach((field, f) => {
      if (!isRecord(field)) return;
      total += tooLong(problems, `embeds[${e}].fields[${f}].name`, field['name'], Discord.embedFieldName, 1);
      total += tooLong(problems, `embeds[${e}].fields[${f}].value`, field['value'], Discord.embedFieldValue, 1);
    });
  });
  if (total > Discord.embedTotal) problems.push(`embeds total ${total} characters (max ${Discord.embedTotal})`);

  list(problems, 'components', body['components'], Discord.actionRows).forEach((row, r) => {
    if (!isRecord(row)) return;
    list(problems, `components[${r}]`, row['components'], Discord.componentsPerRow).forEach((component, c) => {
      if (!isRecord(component)) return;
      tooLong(problems, `components[${r}][${c}].custom_id`, component['custom_id'], Discord.customId);
      tooLong(problems, `components[${r}][${c}].label`, component['label'], Discord.buttonLabel);
    });
  });

  // Quoted news text can say "@everyone": every message must lock mentions down explicitly.
  const mentions = body['allowed_mentions'];
  if (!isRecord(mentions)) {
    problems.push('allowed_mentions is missing');
  } else {
    const parse = mentions['parse'];
    if (!Array.isArray(parse) || parse.length !== 0) problems.push(`allowed_mentions.parse is ${JSON.stringify(parse)}, not []`);
    if (mentions['roles'] !== undefined) problems.push('allowed_mentions.roles is set');
    const users = mentions['users'];
    if (users !== undefined && (!Array.isArray(users) || users.some((id) => typeof id !== 'string' || !/^\d{17,20}$/.test(id)))) {
      problems.push(`allowed_mentions.users is ${JSON.stringify(users)}`);
    }
  }
  return problems;
}

export function choiceProblems(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  list(problems, 'choices', data['choices'], Discord.autocompleteChoices).forEach((choice, index) => {
    if (!isRecord(choice)) return;
    tooLong(problems, `choices[${index}].name`, choice['name'], Discord.choiceName, 1);
    const value = choice['value'];
    if (typeof value === 'string') tooLong(problems, `choices[${index}].value`, value, Discord.choiceValue, 1);
  });
  return problems;
}
