/**
 * Discord's JSON error codes the emulator answers with, and helpers to build error responses
 * in Discord's shape: `{ message, code }` (plus `errors` for 50035, `retry_after` for 429).
 */
export const DiscordErrorCode = {
  UnknownChannel: 10003,
  UnknownGuild: 10004,
  UnknownMember: 10007,
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  UnknownApplicationCommand: 10063,
  UnknownInteraction: 10062,
  MaximumPins: 30003,
  Unauthorized: 40001,
  InteractionAlreadyAcknowledged: 40060,
  MissingAccess: 50001,
  CannotEditOtherUsersMessage: 50005,
  CannotSendEmptyMessage: 50006,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
  InvalidFormBody: 50035,
  InvalidJson: 50109,
} as const;

export type DiscordErrorCode = (typeof DiscordErrorCode)[keyof typeof DiscordErrorCode];

const errorDefaults: Record<DiscordErrorCode, { status: number; message: string }> = {
  10003: { status: 404, message: 'Unknown Channel' },
  10004: { status: 404, message: 'Unknown Guild' },
  10007: { status: 404, message: 'Unknown Member' },
  10008: { status: 404, message: 'Unknown Message' },
  10015: { status: 404, message: 'Unknown Webhook' },
  10062: { status: 404, message: 'Unknown interaction' },
  10063: { status: 404, message: 'Unknown application command' },
  30003: { status: 400, message: 'Maximum number of pins reached (250)' },
  40001: { status: 401, message: 'Unauthorized' },
  40060: { status: 400, message: 'Interaction has already been acknowledged.' },
  50001: { status: 403, message: 'Missing Access' },
  50005: { status: 403, message: 'Cannot edit a message authored by another user' },
  50006: { status: 400, message: 'Cannot send an empty message' },
  50013: { status: 403, message: 'Missing Permissions' },
  50027: { status: 401, message: 'Invalid Webhook Token' },
  50035: { status: 400, message: 'Invalid Form Body' },
  50109: { status: 400, message: 'The request body contains invalid JSON.' },
};

/** What a route handler (or a scripted failure) answers. */
export interface EmulatorResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A Discord error response: `discordError(50013)` is 403 `{ message: 'Missing Permissions', code: 50013 }`. */
export function discordError(
  code: DiscordErrorCode,
  overrides: { message?: string; status?: number; errors?: unknown } = {},
): EmulatorResponse & { body: { message: string; code: number; errors?: unknown } } {
  const defaults = errorDefaults[code];
  return {
    status: overrides.status ?? defaults.status,
    body: {
      message: overrides.message ?? defaults.message,
      code,
      ...(overrides.errors === undefined ? {} : { errors: overrides.errors }),
    },
  };
}

/**
 * A 429 as Discord sends it for a per-route limit. discord.js waits `Retry-After` seconds (plus its
 * 50 ms offset) and retries; the emulator accepts fractional seconds so tests stay fast (Discord
 * itself sends whole seconds in the header and the precise value in the body).
 */
export function rateLimited(retryAfterSeconds = 0.1, options: { global?: boolean } = {}): EmulatorResponse {
  const global = options.global ?? false;
  return {
    status: 429,
    headers: {
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-scope': global ? 'global' : 'user',
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
  };
}

/** One problem found in a request body, at a path such as `['data', 'embeds', 0, 'title']`. */
export interface FieldProblem {
  path: (string | number)[];
  code: string;
  message: string;
}

/** 400 Invalid Form Body, with Discord's nested `errors` object (`{ content: { _errors: [...] } }`). */
export function invalidFormBody(problems: FieldProblem[]): EmulatorResponse {
  const errors: Record<string, unknown> = {};
  for (const problem of problems) {
    let node = errors;
    for (const key of problem.path) {
      const name = String(key);
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    }
    const list = (node['_errors'] ??= []) as { code: string; message: string }[];
    list.push({ code: problem.code, message: problem.message });
  }
  return discordError(DiscordErrorCode.InvalidFormBody, { errors });
}
