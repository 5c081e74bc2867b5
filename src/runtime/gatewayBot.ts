import { Events, type Client, type ClientOptions } from 'discord.js';
import { COMMANDS } from '../../commands/index.ts';
import type { Config } from '../config.ts';
import { restChannelActions } from '../discord/channelActions.ts';
import { Cooldown } from '../discord/cooldown.ts';
import { Dispatcher } from '../discord/dispatcher.ts';
import { attachDispatcher, createGatewayClient } from '../discord/gateway.ts';
import type { KnowledgeBase } from '../knowledgeBase.ts';
import type { Logger } from '../logger.ts';

export interface GatewayBot {
  readonly client: Client;
  /** Resolves once the client is ready and answering. */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Logs in over the gateway and answers interactions until stopped. `clientOptions` lets tests
 * pass an identify throttler; everything else comes from the config.
 */
export function startGatewayBot(options: {
  config: Config;
  knowledgeBase: () => KnowledgeBase;
  logger: Logger;
  clientOptions?: Partial<ClientOptions>;
  /** The clock for button expiry and cooldowns; tests move it instead of waiting. */
  now?: () => number;
}): GatewayBot {
  const { config, logger } = options;
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
  const client = createGatewayClient({
    ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
    ...(options.clientOptions ? { extra: options.clientOptions } : {}),
  });

  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, (readyClient) => {
      const dispatcher = new Dispatcher({
        commands: COMMANDS,
        knowledgeBase: options.knowledgeBase,
        logger,
        cooldown: new Cooldown(config.COOLDOWN_SECONDS, options.now),
        channel: restChannelActions(readyClient.rest, readyClient.user.id),
        ...(options.now ? { now: options.now } : {}),
      });
      attachDispatcher(readyClient, dispatcher, logger);
      logger.info(
        { user: readyClient.user.tag, guilds: readyClient.guilds.cache.size, shards: readyClient.shard?.ids ?? [0] },
        'connected to Discord and ready',
      );
      resolve();
    });
  });

  client.login(config.DISCORD_TOKEN).catch((error: unknown) => {
    logger.fatal({ err: error }, 'could not log in to Discord (is DISCORD_TOKEN right?)');
    process.exitCode = 1;
    void client.destroy();
  });

  return {
    client,
    ready,
    async stop() {
      await client.destroy();
    },
  };
}
