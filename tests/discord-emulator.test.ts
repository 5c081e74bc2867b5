import { once } from 'node:events';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayOpcodes,
  InteractionResponseType,
  MessageFlags,
  OverwriteType,
  PermissionFlagsBits,
  Routes,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { WebSocket } from 'ws';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EMULATOR_TOKEN, emulatorClientOptions, loginTestClient } from './discord-emulator/client.ts';
import {
  discordError,
  DiscordEmulator,
  DiscordErrorCode,
  guildIdForShard,
  rateLimited,
  type DiscordEmulatorOptions,
} from './discord-emulator/emulator.ts';

/** An emulator and a logged-in real discord.js Client, both torn down when the test ends. */
async function connect(options: DiscordEmulatorOptions = {}): Promise<{ emulator: DiscordEmulator; client: Client<true> }> {
  const emulator = await DiscordEmulator.start(options);
  const clients: Client[] = [];
  // One hook, so the client is destroyed before the emulator goes away (else it would try to reconnect).
  onTestFinished(async () => {
    for (const client of clients) await client.destroy();
    await emulator.close();
  });
  const client = await loginTestClient(emulator);
  clients.push(client);
  return { emulator, client };
}

/** Runs `handle` on the next interaction the client emits; resolves with what it returned (or rejects with what it threw). */
function onNextInteraction<T>(client: Client, handle: (interaction: Interaction) => Promise<T>): Promise<T> {
  return once(client, Events.InteractionCreate).then(([interaction]) => handle(interaction as Interaction));
}

describe('Discord emulator: login', () => {
  it('lets an unmodified discord.js Client log in with any token and caches the guild and its channel', async () => {
    const { emulator, client } = await connect();

    expect(client.isReady()).toBe(true);
    expect(client.user.id).toBe(emulator.botUser.id);
    expect(client.application.id).toBe(emulator.applicationId);
    const guild = client.guilds.cache.get(emulator.defaultGuild.id);
    expect(guild?.available).toBe(true);
    const channel = client.channels.cache.get(emulator.defaultChannel.id);
    expect(channel?.type).toBe(ChannelType.GuildText);
    expect(guild?.members.me?.id).toBe(emulator.botUser.id);
    // The bot's permissions in the channel come from @everyone, its managed role and the overwrites.
    expect(guild?.members.me?.permissionsIn(emulator.defaultChannel.id).has(PermissionFlagsBits.PinMessages)).toBe(true);

    const gatewayInfo = emulator.requests.find((request) => request.path === '/gateway/bot');
    expect(gatewayInfo?.headers.authorization).toBe(`Bot ${EMULATOR_TOKEN}`);
    expect(emulator.identifies).toHaveLength(1);
    expect(emulator.identifies[0]).toMatchObject({ shardId: 0, shardCount: 1, token: EMULATOR_TOKEN });
    const sent = emulator.frames.filter((frame) => frame.direction === 'out').map((frame) => frame.t ?? `op${frame.op}`);
    expect(sent).toEqual(['op10', 'READY', 'GUILD_CREATE']);
    expect(emulator.gatewayConnections[0]?.query).toMatchObject({ v: '10', encoding: 'json' });
    expect(emulator.unhandledRequests).toEqual([]);
  });

  it('acknowledges heartbeats with op 11', async () => {
    const { emulator } = await connect({ heartbeatIntervalMs: 40 });
    // Only heartbeats after clientReady: the first may go out (with d: null) before READY arrives.
    const since = emulator.frames.length;
    const heartbeat = await emulator.waitForFrame((frame) => frame.direction === 'in' && frame.op === GatewayOpcodes.Heartbeat, 5_000, since);
    const ack = await emulator.waitForFrame((frame) => frame.direction === 'out' && frame.op === GatewayOpcodes.HeartbeatAck, 5_000, since);
    expect(emulator.frames.indexOf(ack)).toBe(emulator.frames.indexOf(heartbeat) + 1);
    // discord.js sends the last sequence number it saw (READY=1, GUILD_CREATE=2).
    expect(heartbeat.d).toBe(2);
  });

  it('serves the REST basics a bot reads at start-up', async () => {
    const { emulator, client } = await connect();
    const application = await client.application.fetch();
    expect(application.id).toBe(emulator.applicationId);
    const me = (await client.rest.get(Routes.user('@me'))) as { id: string; bot: boolean };
    expect(me).toMatchObject({ id: emulator.botUser.id, bot: true });
  });

  it('refuses compressed or non-JSON gateway connections with a clear reason', async () => {
    const emulator = await DiscordEmulator.start();
    onTestFinished(() => emulator.close());
    const socket = new WebSocket(`${emulator.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
    expect(code).toBe(4002);
    expect(reason.toString()).toContain('compress=zlib-stream is not supported');
    expect(emulator.protocolErrors).toHaveLength(1);
  });
});

describe('Discord emulator: interactions', () => {
  it('delivers a chat-input command to interactionCreate and records the reply at the callback route', async () => {
    const { emulator, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`unexpected ${interaction.type}`);
      expect(interaction.commandName).toBe('ask');
      expect(interaction.options.getString('question', true)).toBe('Who met in Sochi?');
      expect(interaction.channel?.id).toBe(emulator.defaultChannel.id);
      expect(interaction.inCachedGuild()).toBe(true);
      expect(interaction.memberPermissions?.has(PermissionFlagsBits.SendMessages)).toBe(true);
      expect(interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages)).toBe(false);
      expect(interaction.appPermissions.has(PermissionFlagsBits.PinMessages)).toBe(true);
      await interaction.reply({ content: 'Putin, Aliyev and Pashinyan. @everyone', allowedMentions: { parse: [] } });
    });
    const interaction = emulator.dispatchInteraction({
      type: 'chatInput',
      name: 'ask',
      options: [{ name: 'question', type: ApplicationCommandOptionType.String, value: 'Who met in Sochi?' }],
    });
    await handled;

    const callback = await interaction.waitForCallback();
    expect(callback.response.status).toBe(204);
    expect(callback.query).toEqual({ with_response: 'false' });
    // Interaction callbacks are authorised by the token in the URL, not the bot token.
    expect(callback.headers.authorization).toBeUndefined();
    expect(callback.body).toMatchObject({
      type: InteractionResponseType.ChannelMessageWithSource,
      data: { content: 'Putin, Aliyev and Pashinyan. @everyone', allowed_mentions: { parse: [] } },
    });
    const message = interaction.originalMessage();
    expect(message).toMatchObject({
      channel_id: emulator.defaultChannel.id,
      author: { id: emulator.botUser.id },
      mention_everyone: false,
      interaction_metadata: { id: interaction.id, user: { id: emulator.defaultUser.id } },
    });
  });

  it('answers a reply after the 3 s deadline with 10062 Unknown interaction', async () => {
    const { emulator, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isRepliable()) throw new Error('not repliable');
      emulator.advanceClock(3_001);
      return interaction.reply({ content: 'too late' });
    });
    emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    const error = await handled.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: DiscordErrorCode.UnknownInteraction, status: 404 });
  });

  it('makes the deadline configurable', async () => {
    const { emulator, client } = await connect({ interactionDeadlineMs: 0 });
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isRepliable()) throw new Error('not repliable');
      emulator.advanceClock(1);
      return interaction.deferReply();
    });
    emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    await expect(handled).rejects.toMatchObject({ code: DiscordErrorCode.UnknownInteraction });
  });

  it('answers a second acknowledgement with 40060', async () => {
    const { emulator, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isRepliable()) throw new Error('not repliable');
      await interaction.reply({ content: 'first' });
      // discord.js refuses a second reply itself, so send the second callback over REST, as a
      // second bot process answering the same interaction would.
      return client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'second' } },
        auth: false,
      });
    });
    emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    const error = await handled.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: DiscordErrorCode.InteractionAlreadyAcknowledged, status: 400 });
  });

  it('supports defer, edit (with @original URL-encoded), follow-ups, fetchReply and files', async () => {
    const { emulator, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a command');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({
        content: 'Here is the summary.',
        files: [{ attachment: Buffer.from('summary text'), name: 'summary.txt' }],
      });
      const reply = await interaction.fetchReply();
      const followUp = await interaction.followUp({ content: 'And one more thing.', flags: MessageFlags.Ephemeral });
      return { reply, followUp };
    });
    const interaction = emulator.dispatchInteraction({ type: 'chatInput', name: 'summary' });
    const { reply, followUp } = await handled;

    expect(reply.content).toBe('Here is the summary.');
    expect(reply.flags.has(MessageFlags.Ephemeral)).toBe(true);
    expect(reply.attachments.first()?.name).toBe('summary.txt');
    expect(followUp.content).toBe('And one more thing.');
    const edit = await emulator.waitForRequest((request) => request.method === 'PATCH');
    expect(edit.rawPath).toMatch(/\/messages\/%40original$/);
    expect(edit.path).toBe(`/webhooks/${emulator.applicationId}/${interaction.token}/messages/@original`);
    expect(edit.files).toEqual([expect.objectContaining({ field: 'files[0]', filename: 'summary.txt', size: 12 })]);
    expect(edit.body).toMatchObject({ content: 'Here is the summary.' });
    expect(interaction.followUpMessageIds).toEqual([followUp.id]);
  });

  it('routes autocomplete, message context-menu and button interactions to the right discord.js classes', async () => {
    const { emulator, client } = await connect();

    const autocomplete = onNextInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('not autocomplete');
      expect(interaction.options.getFocused(true)).toMatchObject({ name: 'passage', value: 'soch' });
      await interaction.respond([{ name: 'Sochi, 31 October', value: 'p1' }]);
    });
    const typed = emulator.dispatchInteraction({
      type: 'autocomplete',
      name: 'quote',
      options: [{ name: 'passage', type: ApplicationCommandOptionType.String, value: 'soch', focused: true }],
    });
    await autocomplete;
    await typed.waitForAcknowledgement();
    expect(typed.autocompleteChoices).toEqual([{ name: 'Sochi, 31 October', value: 'p1' }]);

    const target = emulator.createMessage(emulator.defaultChannel.id, { content: 'What did they agree?' });
    const contextMenu = onNextInteraction(client, async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) throw new Error('not a message context menu');
      expect(interaction.targetMessage.content).toBe('What did they agree?');
      return interaction.reply({
        content: 'Answer',
        components: [
          {
            type: ComponentType.ActionRow,
            components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: 'more', label: 'More' }],
          },
        ],
        withResponse: true,
      });
    });
    emulator.dispatchInteraction({ type: 'messageContextMenu', name: 'Ask the article', targetMessageId: target.id });
    const response = await contextMenu;
    const answer = response.resource?.message;
    expect(answer?.content).toBe('Answer');

    const button = onNextInteraction(client, async (interaction) => {
      if (!interaction.isButton()) throw new Error('not a button');
      expect(interaction.customId).toBe('more');
      expect(interaction.message.id).toBe(answer?.id);
      await interaction.update({ content: 'Answer, expanded', components: [] });
    });
    emulator.dispatchInteraction({ type: 'component', messageId: answer?.id ?? '', customId: 'more' });
    await button;
    expect(emulator.message(answer?.id ?? '')?.content).toBe('Answer, expanded');
  });

  it('rejects more than 25 autocomplete choices with 50035 Invalid Form Body', async () => {
    const { emulator, client } = await connect();
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('not autocomplete');
      const choices = Array.from({ length: 26 }, (_, index) => ({ name: `choice ${index}`, value: `${index}` }));
      return interaction.respond(choices);
    });
    emulator.dispatchInteraction({
      type: 'autocomplete',
      name: 'quote',
      options: [{ name: 'passage', type: ApplicationCommandOptionType.String, value: '', focused: true }],
    });
    await expect(handled).rejects.toMatchObject({ code: DiscordErrorCode.InvalidFormBody, status: 400 });
  });
});

describe('Discord emulator: REST failures and rate limits', () => {
  it('retries a 429 with Retry-After and then delivers the reply', async () => {
    const { emulator, client } = await connect();
    emulator.failNext({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, ...rateLimited(0.05) });
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isRepliable()) throw new Error('not repliable');
      await interaction.reply({ content: 'after the rate limit' });
    });
    const interaction = emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    await handled;

    const attempts = emulator.requests.filter((request) => request.path === interaction.callbackPath);
    expect(attempts.map((request) => request.response.status)).toEqual([429, 204]);
    expect(attempts[0]?.injected).toBe(true);
    // discord.js waited out Retry-After (0.05 s plus its 50 ms offset) before retrying.
    expect((attempts[1]?.receivedAt ?? 0) - (attempts[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(90);
    expect(interaction.originalMessage()?.content).toBe('after the rate limit');
  });

  it('retries a 429 on a channel route too (sequential bucket handler)', async () => {
    const { emulator, client } = await connect();
    emulator.failNext({ method: 'POST', path: `/channels/${emulator.defaultChannel.id}/messages`, ...rateLimited(0.05) });
    const channel = client.channels.cache.get(emulator.defaultChannel.id) as TextChannel;
    const sent = await channel.send({ content: 'hello', allowedMentions: { parse: [] } });
    expect(sent.content).toBe('hello');
    const statuses = emulator.requests.filter((request) => request.method === 'POST').map((request) => request.response.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('pins with the new route, lists pins in the new shape, and surfaces 50013 and 30003', async () => {
    const { emulator, client } = await connect();
    const channel = client.channels.cache.get(emulator.defaultChannel.id) as TextChannel;
    const message = await channel.send({ content: 'Summary', allowedMentions: { parse: [] } });
    await message.pin();
    const pin = await emulator.waitForRequest((request) => request.method === 'PUT');
    expect(pin.path).toBe(`/channels/${channel.id}/messages/pins/${message.id}`);
    const pins = await channel.messages.fetchPins();
    expect(pins.items.map((item) => item.message.id)).toEqual([message.id]);
    expect(pins.hasMore).toBe(false);

    emulator.failNext({ method: 'PUT', path: /\/pins\//, ...discordError(DiscordErrorCode.MaximumPins) });
    await expect(message.pin()).rejects.toMatchObject({ code: DiscordErrorCode.MaximumPins, status: 400 });
    emulator.failNext({ method: 'PUT', path: /\/pins\//, ...discordError(DiscordErrorCode.MissingPermissions) });
    await expect(message.pin()).rejects.toMatchObject({ code: DiscordErrorCode.MissingPermissions, status: 403 });
  });

  it('enforces channel permission overwrites (no PIN_MESSAGES → 50013) and reports them in app_permissions', async () => {
    const { emulator, client } = await connect();
    const guild = emulator.defaultGuild;
    emulator.updateChannel(emulator.defaultChannel.id, {
      permissionOverwrites: [
        { id: guild.botRoleId, type: OverwriteType.Role, allow: '0', deny: PermissionFlagsBits.PinMessages.toString() },
      ],
    });
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('not a command');
      expect(interaction.appPermissions.has(PermissionFlagsBits.PinMessages)).toBe(false);
      // CHANNEL_UPDATE reached the cache too.
      expect(interaction.guild?.members.me?.permissionsIn(interaction.channelId).has(PermissionFlagsBits.PinMessages)).toBe(false);
      const response = await interaction.reply({ content: 'Summary', withResponse: true });
      return response.resource?.message?.pin();
    });
    emulator.dispatchInteraction({ type: 'chatInput', name: 'summary' });
    await expect(handled).rejects.toMatchObject({ code: DiscordErrorCode.MissingPermissions, status: 403 });
  });

  it('stores bulk-overwritten guild commands and rejects invalid ones with 50035', async () => {
    const { emulator, client } = await connect();
    const guildId = emulator.defaultGuild.id;
    const commands = await client.application.commands.set(
      [
        { name: 'ask', description: 'Ask the article', options: [{ name: 'question', description: 'Your question', type: ApplicationCommandOptionType.String, required: true }] },
        { name: 'Quote this', type: ApplicationCommandType.Message },
      ],
      guildId,
    );
    expect(commands.map((command) => command.name).sort()).toEqual(['Quote this', 'ask']);
    expect(emulator.guildCommands.get(guildId)).toHaveLength(2);
    const interaction = emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    expect((interaction.payload['data'] as { id: string }).id).toBe(commands.find((command) => command.name === 'ask')?.id);

    await expect(client.application.commands.set([{ name: 'Ask', description: 'Upper case is not allowed' }], guildId)).rejects.toMatchObject({
      code: DiscordErrorCode.InvalidFormBody,
    });
    expect(emulator.guildCommands.get(guildId)).toHaveLength(2);
  });
  it('checks message limits as Discord does: 2000 characters, 6000 embed characters, no empty messages', async () => {
    const { emulator, client } = await connect();
    const channel = client.channels.cache.get(emulator.defaultChannel.id) as TextChannel;
    const tooLong = channel.send({ content: 'x'.repeat(2001) });
    await expect(tooLong).rejects.toMatchObject({
      code: DiscordErrorCode.InvalidFormBody,
      rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    const bigEmbeds = Array.from({ length: 2 }, () => ({ description: 'y'.repeat(3001) }));
    await expect(channel.send({ embeds: bigEmbeds })).rejects.toMatchObject({ code: DiscordErrorCode.InvalidFormBody });
    await expect(channel.send({ content: '' })).rejects.toMatchObject({ code: DiscordErrorCode.CannotSendEmptyMessage });
    expect(emulator.channelMessages(channel.id)).toEqual([]);
    // Quoted "@everyone" pings only when allowed mentions let it.
    const quiet = await channel.send({ content: 'He said @everyone', allowedMentions: { parse: [] } });
    const loud = await channel.send({ content: 'He said @everyone' });
    expect(emulator.message(quiet.id)?.mention_everyone).toBe(false);
    expect(emulator.message(loud.id)?.mention_everyone).toBe(true);
  });
});

describe('Discord emulator: gateway sessions', () => {
  it('lets discord.js resume after a 4000 close, replaying what it missed, and keeps answering', async () => {
    const { emulator, client } = await connect();
    const resumed = once(client, Events.ShardResume);
    await emulator.closeGateway(4000);

    // Dispatched while the client is disconnected: kept and replayed on RESUME.
    const missed = onNextInteraction(client, async (interaction) => {
      if (!interaction.isRepliable()) throw new Error('not repliable');
      await interaction.reply({ content: 'answered after resume' });
    });
    const interaction = emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    const resume = await emulator.waitForResume();
    await resumed;
    await missed;
    expect(resume).toMatchObject({ accepted: true, replayed: 1, seq: 2 });
    const resumeFrame = emulator.frames.find((frame) => frame.direction === 'in' && frame.op === GatewayOpcodes.Resume);
    expect(resumeFrame?.d).toMatchObject({ session_id: emulator.identifies[0]?.sessionId, seq: 2 });
    expect(emulator.gatewayConnections.at(-1)?.path).toBe('/resume-gateway');
    expect(interaction.originalMessage()?.content).toBe('answered after resume');
    expect(emulator.identifies).toHaveLength(1);

    const after = onNextInteraction(client, async (next) => {
      if (!next.isRepliable()) throw new Error('not repliable');
      await next.reply({ content: 'still here' });
    });
    const second = emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    await after;
    expect((await second.waitForCallback()).response.status).toBe(204);
  });

  it('makes discord.js identify again when the session cannot be resumed', async () => {
    const { emulator, client } = await connect();
    await emulator.closeGateway(4000, { invalidateSession: true });
    await emulator.waitForIdentify(() => true, 5_000, 1);
    const handled = onNextInteraction(client, async (interaction) => {
      if (!interaction.isRepliable()) throw new Error('not repliable');
      await interaction.reply({ content: 'fresh session' });
    });
    // The new session's READY and GUILD_CREATE went out with the IDENTIFY answer, before this.
    emulator.dispatchInteraction({ type: 'chatInput', name: 'ask' });
    await handled;
    expect(emulator.resumes[0]?.accepted).toBe(false);
    expect(emulator.identifiedShardIds).toEqual([0, 0]);
  });

  it('supports several shards and sends each guild’s interactions to its shard', async () => {
    const shardCount = 2;
    const guildOnShard1 = guildIdForShard(1, shardCount);
    const emulator = await DiscordEmulator.start({
      shards: shardCount,
      guilds: [{ id: guildIdForShard(0, shardCount), name: 'zero' }, { id: guildOnShard1, name: 'one' }],
    });
    // 'auto' takes the shard count from GET /gateway/bot; the default is one shard.
    const client = new Client(emulatorClientOptions(emulator, { shards: 'auto' }));
    onTestFinished(async () => {
      await client.destroy();
      await emulator.close();
    });
    const ready = once(client, Events.ClientReady);
    await client.login(EMULATOR_TOKEN);
    await ready;

    expect([...emulator.identifiedShardIds].sort()).toEqual([0, 1]);
    expect(emulator.identifies.every((record) => record.shardCount === shardCount)).toBe(true);
    expect(client.guilds.cache.get(guildOnShard1)?.shardId).toBe(1);

    const handled = onNextInteraction(client, async (interaction) => {
      expect(interaction.guild?.shardId).toBe(1);
      if (!interaction.isRepliable()) throw new Error('not repliable');
      await interaction.reply({ content: 'from shard 1' });
    });
    const interaction = emulator.dispatchInteraction({ type: 'chatInput', name: 'ask', guildId: guildOnShard1 });
    expect(interaction.shardId).toBe(1);
    await handled;
    const dispatchFrame = emulator.frames.find((frame) => frame.t === 'INTERACTION_CREATE');
    expect(dispatchFrame?.shardId).toBe(1);
  });
});
