import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';
import { redactTokens } from './discord/discordErrors.ts';

export type { Logger };

/**
 * JSON lines for production and log collectors; readable lines on a terminal. Never logs the
 * token: pino's redaction covers the places a token could be attached.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>, destination: NodeJS.WritableStream = process.stderr): Logger {
  const format = config.LOG_FORMAT ?? ((destination as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
  const options = {
    level: config.LOG_LEVEL,
    base: { app: 'summit-bot' },
    redact: { paths: ['token', '*.token', 'config.DISCORD_TOKEN', 'headers.authorization'], censor: '[redacted]' },
    serializers: { err: serializeError },
  };
  if (format === 'pretty') {
    return pino(options, pretty({ destination, colorize: (destination as { isTTY?: boolean }).isTTY ?? false, sync: true, ignore: 'pid,hostname,app' }));
  }
  return pino(options, destination);
}

/**
 * Errors as pino serializes them, minus what must not reach a log: discord.js REST errors carry
 * the request URL (with the interaction token in it) and the request body (the whole reply).
 */
function serializeError(error: unknown): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (typeof serialized['url'] === 'string') serialized['url'] = redactTokens(serialized['url']);
  if (typeof serialized['stack'] === 'string') serialized['stack'] = redactTokens(serialized['stack']);
  if (typeof serialized['message'] === 'string') serialized['message'] = redactTokens(serialized['message']);
  delete serialized['requestBody'];
  return serialized;
}
