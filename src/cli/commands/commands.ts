import type { CommandModule } from '../../discord/command.ts';
import { defineCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { wrap } from '../format.ts';
import { write } from '../io.ts';
import { toJsonOutput } from '../json.ts';
import type { TextStyle } from '../terminal.ts';

type Definition = CommandModule['definition'];

/** ApplicationCommandType.ChatInput, the default when a definition gives no type. */
const CHAT_INPUT = 1;

/** What the listing reads of an option, whatever its type; absent fields are simply not shown. */
interface OptionView {
  readonly name: string;
  readonly description: string;
  readonly type: number;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[];
  readonly options?: readonly OptionView[];
}

/** Names of Discord's numeric enums, for people (the JSON keeps the numbers). */
interface EnumNames {
  readonly commandType: (type: number) => string;
  readonly optionType: (type: number) => string;
  readonly context: (context: number) => string;
  /** A permission bit set ("2251799813685248") as flag names ("PinMessages"). */
  readonly permissions: (bits: string) => string;
}

export const commandsCommand = defineCommand({
  usage: ['commands [--json]'],
  summary: 'show the application commands the deploy script registers with Discord',
  details: [
    '--json         print the exact array deploy-commands sends to Discord (a bulk PUT), as JSON',
    'needs no corpus and no Discord keys',
  ],
  options: {
    json: { type: 'boolean', default: false },
  },
  async run({ name, values, positionals, io }) {
    if (positionals.length > 0) throw new UsageError(`${name}: takes no arguments (got "${positionals.join(' ')}")`);
    // The Discord command modules load discord.js: only this command pays for that.
    const { commandDefinitions } = await import('../../../commands/index.ts');
    const definitions = commandDefinitions();
    if (values.json) return write(io.stdout, toJsonOutput(definitions));
    const api = await import('discord-api-types/v10');
    const names: EnumNames = {
      commandType: (type) => api.ApplicationCommandType[type] ?? `type ${type}`,
      optionType: (type) => (api.ApplicationCommandOptionType[type] ?? `type ${type}`).toLowerCase(),
      context: (context) => api.InteractionContextType[context] ?? `context ${context}`,
      permissions: (bits) => {
        const value = BigInt(bits);
        const flags = Object.entries(api.PermissionFlagsBits).filter(([, bit]) => (value & bit) === bit);
        return value === 0n ? 'administrators only' : flags.map(([flag]) => flag).join(', ') || bits;
      },
    };
    await write(io.stdout, formatDefinitions(definitions, names, io.style));
  },
});

/** Each command: how it is invoked, its description, who may see it, and its options. */
function formatDefinitions(definitions: readonly Definition[], names: EnumNames, style: TextStyle): string {
  const blocks = definitions.map((definition) => {
    const type = definition.type ?? CHAT_INPUT;
    const heading = type === CHAT_INPUT ? `/${definition.name}` : `"${definition.name}" (${names.commandType(type).toLowerCase()} context menu)`;
    const description = 'description' in definition ? definition.description : '';
    const lines = [heading, ...(description ? wrap(description, style.width, '  ', [], style) : [])];
    const permissions = definition.default_member_permissions ?? undefined;
    const access = [
      permissions === undefined ? undefined : `by default for members with ${names.permissions(permissions)}`,
      definition.contexts ? `in: ${definition.contexts.map(names.context).join(', ')}` : undefined,
      definition.nsfw ? 'age-restricted' : undefined,
    ].filter((part) => part !== undefined);
    if (access.length > 0) lines.push(`  (${access.join('; ')})`);
    const options: readonly OptionView[] = ('options' in definition ? definition.options : undefined) ?? [];
    lines.push(...options.flatMap((option) => formatOption(option, names, style, '  ')));
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

function formatOption(option: OptionView, names: EnumNames, style: TextStyle, indent: string): string[] {
  const traits = [
    names.optionType(option.type),
    option.required ? 'required' : undefined,
    option.autocomplete ? 'autocomplete' : undefined,
    option.min_length === undefined ? undefined : `at least ${option.min_length} characters`,
    option.max_length === undefined ? undefined : `at most ${option.max_length} characters`,
    option.min_value === undefined ? undefined : `≥ ${option.min_value}`,
    option.max_value === undefined ? undefined : `≤ ${option.max_value}`,
    option.choices?.length ? `choices: ${option.choices.map((choice) => choice.name).join(', ')}` : undefined,
  ].filter((trait) => trait !== undefined);
  return [
    `${indent}${option.name} — ${traits.join(', ')}`,
    ...wrap(option.description, style.width, `${indent}  `, [], style),
    ...(option.options ?? []).flatMap((sub) => formatOption(sub, names, style, `${indent}  `)),
  ];
}
