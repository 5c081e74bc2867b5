import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * The only reader of the environment: `.env` (via dotenv) first, then zod over the result, with
 * every problem reported at once by key name. Secrets never appear in an error message.
 */

/** An empty or blank variable (as `.env.example` leaves them) counts as unset. */
const setting = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.trim() || undefined : value), schema);

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const port = z.coerce
  .number()
  .int('must be a port number (1-65535)')
  .min(1, 'must be a port number (1-65535)')
  .max(65535, 'must be a port number (1-65535)');

const environmentSchema = z
  .object({
    DISCORD_TOKEN: setting(
      z
        .string()
        .regex(/^[\w.-]{20,}$/, 'does not look like a bot token (copy it from the Developer Portal, Bot page)')
        .optional(),
    ),
    DISCORD_APPLICATION_ID: setting(snowflake.optional()),
    DISCORD_GUILD_ID: setting(snowflake.optional()),
    DISCORD_PUBLIC_KEY: setting(
      z.string().regex(/^[0-9a-f]{64}$/i, "must be the 64 hex characters of the application's public key").optional(),
    ),
    DISCORD_API_URL: setting(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    INTERACTIONS_PORT: setting(port.optional()),
    INTERACTIONS_HOST: setting(z.string().default('0.0.0.0')),
    SHARD_COUNT: setting(
      z
        .union([z.literal('auto'), z.coerce.number().int().min(1)], { error: 'must be a whole number of shards, or "auto"' })
        .default('auto'),
    ),
    CORPUS_DIR: setting(z.string().default('corpus')),
    // Where the built index is saved between starts; unset: .cache/index/ in the project.
    INDEX_CACHE_DIR: setting(z.string().optional()),
    LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
    LOG_FORMAT: setting(z.enum(['json', 'pretty']).optional()),
    COOLDOWN_SECONDS: setting(
      z.coerce.number().min(0, 'must be 0 or more seconds').max(3600, 'must be at most 3600 seconds').default(10),
    ),
    // Test-only: shards identify at once, without discord.js's 5 s spacing (the emulator allows it; Discord does not).
    SUMMIT_BOT_TEST_NO_IDENTIFY_THROTTLE: setting(z.stringbool({ error: 'must be 1 or 0' }).default(false)),
  })
  .superRefine((env, ctx) => {
    if (env.INTERACTIONS_PORT !== undefined && env.DISCORD_PUBLIC_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DISCORD_PUBLIC_KEY'],
        message: 'is required when INTERACTIONS_PORT is set (requests must be verified)',
      });
    }
  });

export type Config = Readonly<z.infer<typeof environmentSchema>>;

/** Every problem with the configuration, one line per key; never the values of secrets. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses a given environment (tests pass their own); does not read `.env`. */
export function parseConfig(environment: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const key = issue.path.map(String).join('.') || 'environment';
      return `${key}: ${issue.message}`;
    }),
  );
}

/** Loads `.env` (without overriding what the environment already sets) and parses it. */
export function loadConfig(): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}

/**
 * For entry points: the config, or the list of problems on stderr and exit status 1. A process
 * with a bad configuration must not half-start.
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
