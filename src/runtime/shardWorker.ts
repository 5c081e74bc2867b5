import './heapTuning.ts';
import { loadConfigOrExit } from '../config.ts';
import { KnowledgeBase } from '../knowledgeBase.ts';
import { createLogger } from '../logger.ts';
import { watchCorpus } from './corpusWatcher.ts';
import { startGatewayBot } from './gatewayBot.ts';
import { openInChildProcess } from './indexInChildProcess.ts';

/**
 * One shard: the script the ShardingManager (src/sharded.ts) runs in each child process.
 * discord.js reads the shard id and count the manager passes (SHARDS, SHARD_COUNT) when the
 * client is created, so this is the plain gateway bot.
 */

const config = loadConfigOrExit();
const logger = createLogger(config);
// Each shard follows the corpus folder itself, as `npm start` does: a changed article reaches
// every shard without a restart.
const cacheDir = config.INDEX_CACHE_DIR === undefined ? {} : { cacheDir: config.INDEX_CACHE_DIR };
const live = watchCorpus({
  dir: config.CORPUS_DIR,
  initial: await KnowledgeBase.open(config.CORPUS_DIR, cacheDir),
  logger,
  // Built in a child process, as `npm start` does: the shard keeps answering meanwhile.
  load: (dir, signal) => openInChildProcess(dir, { entry: new URL('./indexChild.ts', import.meta.url), logger, signal, ...cacheDir }),
});
const bot = startGatewayBot({
  config,
  knowledgeBase: () => live.current(),
  logger,
  ...(config.SUMMIT_BOT_TEST_NO_IDENTIFY_THROTTLE
    ? { clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: () => Promise.resolve() }) } } }
    : {}),
});

let stopping = false;
async function stop(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ reason, shards: bot.client.shard?.ids }, 'shard stopping');
  try {
    await live.close();
    await bot.stop();
  } catch (error) {
    logger.error({ err: error }, 'shard did not close cleanly');
  }
  process.exit(0);
}

process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
// The manager went away (the IPC channel closed): a shard alone would be an orphan.
process.once('disconnect', () => void stop('manager disconnected'));
// discord.js reports shard events to the manager over IPC; once it is gone, those sends fail here.
process.on('error', (error) => logger.debug({ err: error }, 'IPC error'));
