import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord-api-types/v10';
import type { RawOption } from './command.ts';
import { UserError } from './reply.ts';

/**
 * Reads an interaction's options against the command's definition: the only place arguments
 * are checked, so handlers receive exactly the types their definition declares. Payloads from
 * the HTTP endpoint are signed but still untrusted in shape.
 */
export function parseArguments(definition: { options?: readonly APIApplicationCommandOption[] }, raw: readonly RawOption[] = []): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const option of definition.options ?? []) {
    const given = raw.find((r) => r.name === option.name);
    if (given?.value === undefined) {
      if ('required' in option && option.required) throw new UserError(`The option “${option.name}” is required.`);
      continue;
    }
    args[option.name] = checkValue(option, given.value);
  }
  return args;
}

function checkValue(option: APIApplicationCommandOption, value: string | number | boolean): unknown {
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      if (typeof value !== 'string') break;
      if (option.max_length !== undefined && value.length > option.max_length) {
        throw new UserError(`“${option.name}” can be at most ${option.max_length} characters.`);
      }
      return value;
    case ApplicationCommandOptionType.Boolean:
      if (typeof value === 'boolean') return value;
      break;
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case ApplicationCommandOptionType.User:
      if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return value;
      break;
    default:
      return value;
  }
  throw new UserError(`The option “${option.name}” has a value of the wrong kind.`);
}
