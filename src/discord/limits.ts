/**
 * Discord's limits, in one place (https://discord.com/developers/docs: Message, Embed,
 * Application Commands, Interactions). Everything that renders for Discord truncates against
 * these names, never against literals.
 */
export const DiscordLimits = {
  messageContent: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooterText: 2048,
  embedAuthorName: 256,
  /** All titles, descriptions, field names and values, footers and author names of a message. */
  embedTotal: 6000,
  embedsPerMessage: 10,
  componentRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  optionName: 32,
  optionDescription: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  pinsPerChannel: 250,
} as const;

/** How long an interaction may go unanswered before Discord drops it. */
export const INTERACTION_ACK_DEADLINE_MS = 3000;
/** How long an interaction token stays valid for edits and follow-ups. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** Discord JSON error codes the bot reacts to. */
export const DiscordErrorCodes = {
  unknownInteraction: 10062,
  interactionAlreadyAcknowledged: 40060,
  maxPinsReached: 30003,
  missingPermissions: 50013,
  missingAccess: 50001,
  unknownMessage: 10008,
} as const;
