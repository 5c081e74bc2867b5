import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord-api-types/v10';
import type { CommandModule, RawOption } from '../discord/command.ts';

/** A console line read as a slash command: `/timeline from:2022-09`, `/quote 28`, or a plain question. */
export type ConsoleInput =
  | { readonly kind: 'command'; readonly name: string; readonly options: RawOption[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'unknown'; readonly name: string }
  | { readonly kind: 'invalid'; readonly reason: string };

const QUIT = new Set(['/quit', '/exit']);

/**
 * Parses a line the way Discord's command bar would fill options: `name:value` pairs for the
 * command's options, and text before the first pair as the value of its first required option
 * (so `/ask How many peacekeepers?` and `/quote 28` read naturally). A line without a slash is
 * a question for /ask.
 */
export function parseConsoleLine(line: string, commands: readonly CommandModule[]): ConsoleInput {
  const text = line.trim();
  if (QUIT.has(text.toLowerCase())) return { kind: 'quit' };
  if (!text.startsWith('/')) return parseOptions('ask', text, commands);
  const [head = ''] = text.slice(1).split(/\s+/, 1);
  const name = head.toLowerCase();
  if (name === 'help' || name === '?') return { kind: 'help' };
  return parseOptions(name, text.slice(1 + head.length).trim(), commands);
}

function parseOptions(name: string, text: string, commands: readonly CommandModule[]): ConsoleInput {
  const command = commands.find((c) => c.kind === 'chatInput' && c.definition.name === name);
  if (!command || command.kind !== 'chatInput') return { kind: 'unknown', name };
  const definitions = (command.definition.options ?? []) as APIApplicationCommandOption[];
  const names = definitions.map((o) => o.name);
  const pair = new RegExp(`(?:^|\\s)(${names.map(escapeRegExp).join('|') || '(?!)'}):`, 'gi');

  const matches = [...text.matchAll(pair)];
  const values = new Map<string, string>();
  const positional = (matches[0] ? text.slice(0, matches[0].index) : text).trim();
  matches.forEach((match, i) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[i + 1]?.index ?? text.length;
    values.set((match[1] ?? '').toLowerCase(), text.slice(start, end).trim());
  });
  if (positional !== '') {
    const first = definitions.find((o) => 'required' in o && o.required) ?? definitions[0];
    if (!first) return { kind: 'invalid', reason: `/${name} takes no options` };
    if (!values.has(first.name)) values.set(first.name, positional);
  }

  const options: RawOption[] = [];
  for (const [optionName, raw] of values) {
    const definition = definitions.find((o) => o.name === optionName);
    if (!definition) continue;
    const value = convert(definition, raw);
    if (value === undefined) return { kind: 'invalid', reason: `${optionName}: expected ${describeType(definition.type)}, got "${raw}"` };
    options.push({ name: optionName, type: definition.type, value });
  }
  return { kind: 'command', name, options };
}

function convert(option: APIApplicationCommandOption, raw: string): string | number | boolean | undefined {
  switch (option.type) {
    case ApplicationCommandOptionType.Boolean:
      if (/^(?:true|yes|on)$/i.test(raw)) return true;
      if (/^(?:false|no|off)$/i.test(raw)) return false;
      return undefined;
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const n = Number(raw);
      return raw !== '' && Number.isFinite(n) ? n : undefined;
    }
    case ApplicationCommandOptionType.User:
      return /^(?:<@!?)?(\d{1,20})>?$/.exec(raw)?.[1];
    default:
      return raw;
  }
}

function describeType(type: ApplicationCommandOptionType): string {
  if (type === ApplicationCommandOptionType.Boolean) return 'true or false';
  if (type === ApplicationCommandOptionType.User) return 'a user id';
  if (type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number) return 'a number';
  return 'text';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
