import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { Responder } from '../../src/discord/dispatcher.ts';
import type { MessagePayload } from '../../src/discord/render.ts';
import type { ReplyFile } from '../../src/discord/reply.ts';

export interface Sent {
  readonly kind: 'reply' | 'update' | 'followUp' | 'defer' | 'autocomplete';
  readonly payload?: MessagePayload;
  readonly files?: readonly ReplyFile[];
  readonly choices?: readonly APIApplicationCommandOptionChoice[];
  readonly ephemeral?: boolean;
}

/** A transport that keeps what the dispatcher sends, as Discord would receive it. */
export class RecordingResponder implements Responder {
  readonly sent: Sent[] = [];
  private answered = false;
  failReplies = false;

  get acknowledged(): boolean {
    return this.answered;
  }

  async defer(ephemeral: boolean): Promise<void> {
    this.answered = true;
    this.sent.push({ kind: 'defer', ephemeral });
  }

  async reply(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    if (this.failReplies) throw new Error('Unknown interaction');
    this.answered = true;
    this.sent.push({ kind: 'reply', payload, files });
  }

  async update(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    this.answered = true;
    this.sent.push({ kind: 'update', payload, files });
  }

  async followUp(payload: MessagePayload): Promise<void> {
    if (this.failReplies) throw new Error('Unknown interaction');
    this.sent.push({ kind: 'followUp', payload });
  }

  async autocomplete(choices: readonly APIApplicationCommandOptionChoice[]): Promise<void> {
    this.answered = true;
    this.sent.push({ kind: 'autocomplete', choices });
  }

  /** The last message-bearing answer. */
  get last(): Sent {
    const message = [...this.sent].reverse().find((s) => s.payload || s.choices);
    if (!message) throw new Error(`nothing was sent (${JSON.stringify(this.sent)})`);
    return message;
  }
}
