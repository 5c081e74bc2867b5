import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';

/** A file sent with a reply (the timeline picture). */
export interface ReplyFile {
  readonly name: string;
  readonly data: Buffer;
  readonly description?: string;
}

/**
 * A reply as plain data, before the limits are enforced: what a command module produces and any
 * transport (gateway, HTTP endpoint, console) can send or print.
 */
export interface Reply {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
  readonly components?: readonly APIActionRowComponent<APIComponentInMessageActionRow>[];
  readonly files?: readonly ReplyFile[];
  /** Only the invoker sees it. */
  readonly ephemeral?: boolean;
  /** The users this reply may ping. Nobody else, ever: quoted news text can say "@everyone". */
  readonly mentionUsers?: readonly string[];
}

/** A user-facing failure that is expected (no such passage, missing permission): shown as ❌. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
