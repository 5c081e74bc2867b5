/**
 * Discord's documented limits on what a bot sends (https://discord.com/developers/docs: Message,
 * Embed, Component, Interaction and Application Command pages), for the test side alone: the
 * Discord emulator enforces them (tests/discord-emulator/validation.ts) and the reply sweep checks
 * every recorded reply against them (tests/e2e/replyLimits.ts).
 *
 * Written out here on purpose rather than imported from src/discord/limits.ts: the tests check the
 * bot against Discord's numbers, not against its own constants, so a wrong number in the product
 * fails a test instead of moving the test along with it.
 */
export const DiscordLimits = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthorName: 256,
  /** All titles, descriptions, field names and values, footers and author names of a message. */
  embedTotal: 6000,
  actionRows: 5,
  componentsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  optionChoices: 25,
  stringMaxLength: 6000,
  chatInputCommands: 100,
  contextMenuCommands: 5,
} as const;
