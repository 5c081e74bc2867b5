import { loadConfigOrExit } from './config.ts';
import { createLogger } from './logger.ts';
import { startShardedBot } from './runtime/shardedBot.ts';

/**
 * `npm run start:sharded`: the gateway bot as one process per shard (needed past 2,500 servers).
 * SIGINT and SIGTERM stop every shard cleanly, then this process exits 0.
 */

const config = loadConfigOrExit();
const logger = createLogger(config);

let bot;
try {
  bot = await startShardedBot({ config, logger });
} catch (error) {
  logger.fatal({ err: error }, 'could not start the shards');
  process.exit(1);
}

const sharded = bot;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping all shards');
    sharded.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shards did not stop cleanly');
        process.exit(1);
      },
    );
  });
}
