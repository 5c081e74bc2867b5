import { DiscordErrorCodes } from './limits.ts';

/**
 * The JSON error code of a Discord API error, recognised by its shape rather than `instanceof`:
 * discord.js (CommonJS) loads @discordjs/rest's CommonJS build, while an ESM import gets its ES
 * module build, so the gateway's errors are instances of a different DiscordAPIError class.
 */
export function discordErrorCode(error: unknown): number | undefined {
  if (!(error instanceof Error) || !('rawError' in error) || !('code' in error)) return undefined;
  return typeof error.code === 'number' ? error.code : undefined;
}

/**
 * The interaction can no longer be answered: it expired before the first answer (10062) or
 * another process answered it (40060). Nothing more can reach the user through it.
 */
export function isDeadInteraction(error: unknown): boolean {
  const code = discordErrorCode(error);
  return code === DiscordErrorCodes.unknownInteraction || code === DiscordErrorCodes.interactionAlreadyAcknowledged;
}

/** Interaction and webhook tokens act for 15 minutes: keep them out of logs. */
export function redactTokens(url: string): string {
  return url
    .replace(/(\/interactions\/\d+\/)[^/?]+/g, '$1[redacted]')
    .replace(/(\/webhooks\/\d+\/)[^/?]+/g, '$1[redacted]');
}
