import { DiscordLimits as Limits } from '../support/discordLimits.ts';
import type { FieldProblem } from './errors.ts';

/**
 * The limits Discord enforces on what a bot sends (the shared test-side table,
 * tests/support/discordLimits.ts), checked the way Discord answers: a list of problems that
 * becomes one 400 Invalid Form Body (50035). Only limits a bot can plausibly hit are checked;
 * everything else is accepted as sent.
 */
export { Limits };

type Path = (string | number)[];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function maxLength(problems: FieldProblem[], path: Path, value: unknown, max: number): number {
  if (typeof value !== 'string') return 0;
  if (value.length > max) {
    problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
  return value.length;
}

function lengthBetween(problems: FieldProblem[], path: Path, value: unknown, min: number, max: number): void {
  if (typeof value !== 'string' || value.length === 0) {
    if (min > 0) problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return;
  }
  if (value.length < min || value.length > max) {
    problems.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  }
}

function maxItems(problems: FieldProblem[], path: Path, value: unknown, max: number): unknown[] {
  if (!Array.isArray(value)) return [];
  if (value.length > max) {
    problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
  return value;
}

/** Problems with a message body (create or edit), at paths under `prefix` (e.g. `['data']`). */
export function messageProblems(body: Record<string, unknown>, prefix: Path = []): FieldProblem[] {
  const problems: FieldProblem[] = [];
  maxLength(problems, [...prefix, 'content'], body['content'], Limits.content);

  const embeds = maxItems(problems, [...prefix, 'embeds'], body['embeds'], Limits.embeds);
  let total = 0;
  embeds.forEach((embed, index) => {
    if (!isRecord(embed)) return;
    const at = [...prefix, 'embeds', index];
    total += maxLength(problems, [...at, 'title'], embed['title'], Limits.embedTitle);
    total += maxLength(problems, [...at, 'description'], embed['description'], Limits.embedDescription);
    if (isRecord(embed['footer'])) {
      total += maxLength(problems, [...at, 'footer', 'text'], embed['footer']['text'], Limits.embedFooter);
    }
    if (isRecord(embed['author'])) {
      total += maxLength(problems, [...at, 'author', 'name'], embed['author']['name'], Limits.embedAuthorName);
    }
    maxItems(problems, [...at, 'fields'], embed['fields'], Limits.embedFields).forEach((field, fieldIndex) => {
      if (!isRecord(field)) return;
      const fieldAt = [...at, 'fields', fieldIndex];
      lengthBetween(problems, [...fieldAt, 'name'], field['name'], 1, Limits.embedFieldName);
      lengthBetween(problems, [...fieldAt, 'value'], field['value'], 1, Limits.embedFieldValue);
      total += typeof field['name'] === 'string' ? field['name'].length : 0;
      total += typeof field['value'] === 'string' ? field['value'].length : 0;
    });
  });
  if (total > Limits.embedTotal) {
    problems.push({
      path: [...prefix, 'embeds'],
      code: 'MAX_EMBED_SIZE_EXCEEDED',
      message: `Embed size exceeds maximum size of ${Limits.embedTotal}`,
    });
  }

  const isComponentsV2 = typeof body['flags'] === 'number' && (body['flags'] & (1 << 15)) !== 0;
  const rows = isComponentsV2 ? [] : maxItems(problems, [...prefix, 'components'], body['components'], Limits.actionRows);
  rows.forEach((row, rowIndex) => {
    if (!isRecord(row)) return;
    const rowAt = [...prefix, 'components', rowIndex, 'components'];
    maxItems(problems, rowAt, row['components'], Limits.componentsPerRow).forEach((component, index) => {
      if (!isRecord(component)) return;
      maxLength(problems, [...rowAt, index, 'custom_id'], component['custom_id'], Limits.customId);
      maxLength(problems, [...rowAt, index, 'label'], component['label'], Limits.buttonLabel);
    });
  });
  return problems;
}

/** Whether a message body would show nothing (Discord answers 50006 Cannot send an empty message). */
export function isEmptyMessage(body: Record<string, unknown>, fileCount: number): boolean {
  const nonEmpty = (value: unknown) => (Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.length > 0);
  return (
    fileCount === 0 &&
    !nonEmpty(body['content']) &&
    !nonEmpty(body['embeds']) &&
    !nonEmpty(body['components']) &&
    !nonEmpty(body['sticker_ids']) &&
    body['poll'] === undefined
  );
}

/** Problems with an autocomplete result (`{ choices }`), at paths under `data`. */
export function autocompleteProblems(data: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const choices = maxItems(problems, ['data', 'choices'], data['choices'], Limits.autocompleteChoices);
  choices.forEach((choice, index) => choiceProblems(problems, ['data', 'choices', index], choice));
  return problems;
}

function choiceProblems(problems: FieldProblem[], at: Path, choice: unknown): void {
  if (!isRecord(choice)) return;
  lengthBetween(problems, [...at, 'name'], choice['name'], 1, Limits.choiceName);
  maxLength(problems, [...at, 'value'], choice['value'], Limits.choiceValue);
}

// Discord's pattern for chat-input command and option names.
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function nameProblems(problems: FieldProblem[], at: Path, name: unknown, chatInput: boolean): void {
  if (!chatInput) {
    lengthBetween(problems, at, name, 1, Limits.commandName);
    return;
  }
  if (typeof name !== 'string' || !CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    problems.push({ path: at, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
}

const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const STRING = 3;

function optionProblems(problems: FieldProblem[], at: Path, options: unknown): void {
  const list = maxItems(problems, at, options, Limits.commandOptions);
  let sawOptional = false;
  list.forEach((option, index) => {
    if (!isRecord(option)) return;
    const optionAt = [...at, index];
    nameProblems(problems, [...optionAt, 'name'], option['name'], true);
    lengthBetween(problems, [...optionAt, 'description'], option['description'], 1, Limits.commandDescription);
    const choices = maxItems(problems, [...optionAt, 'choices'], option['choices'], Limits.optionChoices);
    choices.forEach((choice, choiceIndex) => choiceProblems(problems, [...optionAt, 'choices', choiceIndex], choice));
    if (option['autocomplete'] === true && choices.length > 0) {
      problems.push({
        path: [...optionAt, 'autocomplete'],
        code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES',
        message: 'Autocomplete cannot be set with choices',
      });
    }
    if (option['type'] === STRING && typeof option['max_length'] === 'number') {
      const max = option['max_length'];
      if (max < 1 || max > Limits.stringMaxLength) {
        problems.push({
          path: [...optionAt, 'max_length'],
          code: 'NUMBER_TYPE_MAX',
          message: `int value should be between 1 and ${Limits.stringMaxLength}.`,
        });
      }
    }
    if (option['type'] === SUB_COMMAND || option['type'] === SUB_COMMAND_GROUP) {
      optionProblems(problems, [...optionAt, 'options'], option['options']);
      return;
    }
    if (option['required'] === true && sawOptional) {
      problems.push({
        path: [...optionAt, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (option['required'] !== true) sawOptional = true;
  });
  const names = list.filter(isRecord).map((option) => option['name']);
  if (new Set(names).size !== names.length) {
    problems.push({ path: at, code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
  }
}

/** Problems with one application command (POST/PATCH) at `at`. */
export function commandProblems(command: unknown, at: Path = []): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isRecord(command)) {
    problems.push({ path: at, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
    return problems;
  }
  const type = command['type'] ?? 1;
  const chatInput = type === 1;
  nameProblems(problems, [...at, 'name'], command['name'], chatInput);
  if (chatInput) {
    lengthBetween(problems, [...at, 'description'], command['description'], 1, Limits.commandDescription);
    optionProblems(problems, [...at, 'options'], command['options']);
  } else {
    if (typeof command['description'] === 'string' && command['description'] !== '') {
      problems.push({
        path: [...at, 'description'],
        code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION',
        message: 'Context menu commands cannot have description',
      });
    }
    if (Array.isArray(command['options']) && command['options'].length > 0) {
      problems.push({
        path: [...at, 'options'],
        code: 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS',
        message: 'Context menu commands cannot have options',
      });
    }
  }
  return problems;
}

/** Problems with a bulk overwrite (PUT of the whole command list). */
export function commandListProblems(commands: unknown): FieldProblem[] {
  if (!Array.isArray(commands)) {
    return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  }
  const problems = commands.flatMap((command, index) => commandProblems(command, [index]));
  const key = (command: unknown) => (isRecord(command) ? `${String(command['type'] ?? 1)}:${String(command['name'])}` : '');
  const keys = commands.map(key);
  if (new Set(keys).size !== keys.length) {
    problems.push({ path: [], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
  }
  const count = (type: number) => commands.filter((command) => isRecord(command) && (command['type'] ?? 1) === type).length;
  if (count(1) > Limits.chatInputCommands) {
    problems.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${Limits.chatInputCommands} or fewer in length.` });
  }
  for (const type of [2, 3]) {
    if (count(type) > Limits.contextMenuCommands) {
      problems.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${Limits.contextMenuCommands} or fewer in length.` });
    }
  }
  return problems;
}
