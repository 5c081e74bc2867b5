import type { REST } from '@discordjs/rest';
import { InteractionResponseType, MessageFlags, Routes, type APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { Responder } from '../../discord/dispatcher.ts';
import type { MessagePayload } from '../../discord/render.ts';
import type { ReplyFile } from '../../discord/reply.ts';
import type { InteractionRoute } from './interaction.ts';
import { contentTypeOf, jsonAnswer, multipartAnswer, withAttachments, type HttpAnswer } from './multipart.ts';

/**
 * Where an interaction stands: not yet answered (the HTTP response is still open), answered with
 * a message or choices, or deferred — as a loading message (type 5) or as a silent
 * acknowledgement of a button (type 6).
 */
type State = 'pending' | 'answered' | 'deferred-message' | 'deferred-update';

/**
 * Answers one interaction received over HTTP. The first answer is the HTTP response itself;
 * anything after it (the reply to a deferral, follow-ups) goes to the interaction's webhook over
 * REST, which needs no bot token: the interaction token in the URL authorises it.
 */
export class HttpResponder implements Responder {
  #state: State = 'pending';
  readonly #route: InteractionRoute;
  readonly #rest: REST;
  readonly #send: (answer: HttpAnswer) => Promise<void>;

  /** `send` writes the HTTP response; it is called at most once. */
  constructor(route: InteractionRoute, rest: REST, send: (answer: HttpAnswer) => Promise<void>) {
    this.#route = route;
    this.#rest = rest;
    this.#send = send;
  }

  get acknowledged(): boolean {
    return this.#state !== 'pending';
  }

  /** True until the HTTP response has been written (or is being written). */
  get pending(): boolean {
    return this.#state === 'pending';
  }

  async defer(ephemeral: boolean): Promise<void> {
    if (this.#state !== 'pending') return;
    await this.#answer('deferred-message', {
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: ephemeral ? MessageFlags.Ephemeral : 0 },
    });
  }

  /** A button's silent acknowledgement: the message stays as it is until `update` edits it. */
  async deferUpdate(): Promise<void> {
    if (this.#state !== 'pending') return;
    await this.#answer('deferred-update', { type: InteractionResponseType.DeferredMessageUpdate });
  }

  async reply(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    switch (this.#state) {
      case 'pending':
        await this.#answer('answered', { type: InteractionResponseType.ChannelMessageWithSource, data: withAttachments(payload, files) }, files);
        return;
      case 'deferred-message':
        // The loading message already has its visibility; an edit cannot change flags.
        await this.#editOriginal(withoutFlags(payload), files);
        this.#state = 'answered';
        return;
      case 'deferred-update':
      case 'answered':
        await this.#followUp(payload, files);
    }
  }

  async update(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    if (this.#state === 'pending') {
      await this.#answer('answered', { type: InteractionResponseType.UpdateMessage, data: withAttachments(withoutFlags(payload), files) }, files);
      return;
    }
    // After a deferral, @original is the button's message (type 6) or the loading message (type 5).
    await this.#editOriginal(withoutFlags(payload), files);
    this.#state = 'answered';
  }

  async followUp(payload: MessagePayload): Promise<void> {
    if (this.#state === 'pending') await this.reply(payload, []);
    else await this.#followUp(payload, []);
  }

  async autocomplete(choices: readonly APIApplicationCommandOptionChoice[]): Promise<void> {
    if (this.#state !== 'pending') throw new Error('the autocomplete choices came after the interaction was answered');
    await this.#answer('answered', { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [...choices] } });
  }

  /** The state changes before the first await, so a deferral racing an answer sees it at once. */
  async #answer(next: State, response: { type: InteractionResponseType; data?: object }, files: readonly ReplyFile[] = []): Promise<void> {
    this.#state = next;
    await this.#send(files.length > 0 ? multipartAnswer(response, files) : jsonAnswer(200, response));
  }

  async #editOriginal(payload: Omit<MessagePayload, 'flags'>, files: readonly ReplyFile[]): Promise<void> {
    const { applicationId, token } = this.#route;
    await this.#rest.patch(Routes.webhookMessage(applicationId, token, '@original'), {
      body: withAttachments(payload, files),
      files: restFiles(files),
      auth: false,
    });
  }

  async #followUp(payload: MessagePayload, files: readonly ReplyFile[]): Promise<void> {
    const { applicationId, token } = this.#route;
    await this.#rest.post(Routes.webhook(applicationId, token), { body: withAttachments(payload, files), files: restFiles(files), auth: false });
  }
}

function withoutFlags(payload: MessagePayload): Omit<MessagePayload, 'flags'> {
  const { flags: _flags, ...rest } = payload;
  return rest;
}

function restFiles(files: readonly ReplyFile[]) {
  return files.map((file) => ({ name: file.name, data: file.data, contentType: contentTypeOf(file.name) }));
}
