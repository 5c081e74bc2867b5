import './runtime/heapTuning.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { CONNECT_HINT, runConsole } from './console/console.ts';
import { CorpusErrors } from './corpus/errors.ts';
import { KnowledgeBase } from './knowledgeBase.ts';
import { createLogger, type Logger } from './logger.ts';
import { watchCorpus } from './runtime/corpusWatcher.ts';
import { openInChildProcess } from './runtime/indexInChildProcess.ts';
import { childEntry } from './runtime/typescriptChild.ts';

/** The child that rebuilds the index when the corpus changes. */
const INDEX_CHILD = childEntry(import.meta.url, './runtime/indexChild.ts', 'indexChild');

async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const cacheDir = config.INDEX_CACHE_DIR === undefined ? {} : { cacheDir: config.INDEX_CACHE_DIR };
  const servesHttp = config.INTERACTIONS_PORT !== undefined;
  if (!config.DISCORD_TOKEN && !servesHttp) {
    process.stderr.write(`${CONNECT_HINT}\n`);
    return runConsole({ corpusDir: config.CORPUS_DIR, ...cacheDir });
  }

  const logger = createLogger(config);
  let kb: KnowledgeBase;
  try {
    kb = await KnowledgeBase.open(config.CORPUS_DIR, cacheDir);
  } catch (error) {
    if (error instanceof CorpusErrors) {
      logger.fatal({ problems: error.errors.map((e) => e.message) }, 'the corpus is invalid; not starting');
      return 1;
    }
    throw error;
  }
  logger.info({ documents: kb.documents.length, passages: kb.index.passageCount }, 'corpus loaded');
  guardProcess(logger);

  // Files added, changed or removed in the corpus folder are picked up without a restart: each
  // interaction answers from whichever knowledge base is current when it starts.
  const live = watchCorpus({
    dir: config.CORPUS_DIR,
    initial: kb,
    logger,
    // Built in a child process: this one keeps answering while it runs.
    load: (dir, signal) => openInChildProcess(dir, { entry: INDEX_CHILD, logger, signal, ...cacheDir }),
  });
  const knowledgeBase = () => live.current();

  // Transports are loaded only when used: the console should not pay for discord.js's start-up.
  if (servesHttp) {
    const { startHttpEndpoint } = await import('./runtime/httpEndpoint.ts');
    const endpoint = await startHttpEndpoint({ config, knowledgeBase, logger });
    await stopOnSignal(logger, async () => {
      await live.close();
      await endpoint.close();
    });
    return 0;
  }
  const { startGatewayBot } = await import('./runtime/gatewayBot.ts');
  const bot = startGatewayBot({ config, knowledgeBase, logger });
  await stopOnSignal(logger, async () => {
    await live.close();
    await bot.stop();
  });
  return 0;
}

/**
 * A stray rejection or exception outside any interaction is logged; the process keeps serving
 * rather than dropping every other member's interactions.
 */
function guardProcess(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'uncaught exception'));
}

/** Resolves after SIGINT or SIGTERM, once `stop` has run. */
function stopOnSignal(logger: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      stop()
        .catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'))
        .finally(resolve);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

process.exitCode = await main();
