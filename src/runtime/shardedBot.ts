import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DiscordAPIError, REST } from '@discordjs/rest';
import { Routes, type RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { ShardingManager, type Shard } from 'discord.js';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { typescriptExecArgv } from './typescriptChild.ts';

/** The script each shard's process runs: one gateway bot for one shard. */
export const SHARD_WORKER = fileURLToPath(new URL('./shardWorker.ts', import.meta.url));

/** Discord lets each identify bucket start one session per 5 s; a little margin on top. */
const IDENTIFY_INTERVAL_MS = 5_500;
/** How long a shard may take from spawn to ready before the next one starts anyway. */
const READY_TIMEOUT_MS = 60_000;
/** A crashing shard is restarted after 1 s, doubling up to a minute while it keeps crashing. */
const RESPAWN_BASE_DELAY_MS = 1_000;
const RESPAWN_MAX_DELAY_MS = 60_000;
/** A shard that ran this long before exiting counts as healthy again: its next restart is quick. */
const HEALTHY_RUN_MS = 60_000;
/** How long stopped shards get to close their gateway sessions before they are killed. */
const STOP_GRACE_MS = 10_000;

export interface ShardPlan {
  readonly totalShards: number;
  /** Shards that may identify at the same time (`session_start_limit.max_concurrency`). */
  readonly maxConcurrency: number;
  readonly source: 'discord' | 'config';
}

/**
 * How many shards to run: SHARD_COUNT, or Discord's recommendation from `GET /gateway/bot`.
 * discord.js's own 'auto' asks discord.com directly and ignores DISCORD_API_URL, so the count is
 * read here, through the same REST base as everything else. The call also proves the token works
 * before any process is spawned, and refuses to start more sessions than Discord has left today
 * (running out of session starts makes Discord reset the token).
 */
export async function planShards(config: Config): Promise<ShardPlan> {
  if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set: sharding runs the gateway bot, which must log in');
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  let gateway: RESTGetAPIGatewayBotResult;
  try {
    gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) throw new Error('Discord refused DISCORD_TOKEN (401): copy the token again from the Developer Portal, Bot page', { cause: error });
    throw new Error(`could not read the recommended shard count (GET /gateway/bot): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const totalShards = config.SHARD_COUNT === 'auto' ? Math.max(1, gateway.shards) : config.SHARD_COUNT;
  const limit = gateway.session_start_limit;
  if (limit.remaining < totalShards) {
    throw new Error(
      `Discord allows ${limit.remaining} more gateway session starts until the limit resets in ${Math.ceil(limit.reset_after / 60_000)} min; ${totalShards} shards need ${totalShards}`,
    );
  }
  return { totalShards, maxConcurrency: Math.max(1, limit.max_concurrency), source: config.SHARD_COUNT === 'auto' ? 'discord' : 'config' };
}

export interface ShardedBot {
  readonly manager: ShardingManager;
  readonly plan: ShardPlan;
  /** Resolves once every shard has reported ready at least once. */
  readonly ready: Promise<void>;
  /** Stops respawning, asks every shard to close its session (SIGTERM), and waits for them to exit. */
  stop(): Promise<void>;
}

/**
 * Runs the gateway bot as one child process per shard under discord.js's ShardingManager.
 * Shards start one identify interval apart (per concurrency bucket) and each waits for the
 * previous to be ready, as Discord requires; a shard that exits is restarted with a backoff, so a
 * shard that crashes at once cannot hammer Discord with logins.
 */
export async function startShardedBot(options: {
  config: Config;
  logger: Logger;
  /** Default: the shard worker next to this module, run through tsx. */
  workerFile?: string;
}): Promise<ShardedBot> {
  const { config, logger } = options;
  const plan = await planShards(config);
  const noThrottle = config.SUMMIT_BOT_TEST_NO_IDENTIFY_THROTTLE;
  const manager = new ShardingManager(options.workerFile ?? SHARD_WORKER, {
    totalShards: plan.totalShards,
    shardList: [...Array(plan.totalShards).keys()],
    mode: 'process',
    // Restarts are ours (with a backoff); discord.js's own restart is immediate and unbounded.
    respawn: false,
    // The workers are TypeScript.
    execArgv: typescriptExecArgv(),
    ...(config.DISCORD_TOKEN ? { token: config.DISCORD_TOKEN } : {}),
  });
  logger.info({ shards: plan.totalShards, source: plan.source, maxConcurrency: plan.maxConcurrency }, 'starting shards');

  let stopping = false;
  const crashes = new Map<number, number>();
  const readyShards = new Set<number>();
  let allReady = () => {};
  const ready = new Promise<void>((resolve) => (allReady = resolve));

  const watch = (shard: Shard) => {
    let startedAt = Date.now();
    shard.on('spawn', () => {
      startedAt = Date.now();
      logger.info({ shard: shard.id, pid: shard.process?.pid }, 'shard process started');
    });
    shard.on('ready', () => {
      readyShards.add(shard.id);
      logger.info({ shard: shard.id, ready: readyShards.size, of: plan.totalShards }, 'shard ready');
      if (readyShards.size === plan.totalShards) allReady();
    });
    shard.on('reconnecting', () => logger.warn({ shard: shard.id }, 'shard reconnecting'));
    shard.on('death', (exited) => {
      if (stopping) return;
      // Process mode (set above): every shard is a child process.
      const child = exited as ChildProcess;
      const ranMs = Date.now() - startedAt;
      const count = ranMs >= HEALTHY_RUN_MS ? 1 : (crashes.get(shard.id) ?? 0) + 1;
      crashes.set(shard.id, count);
      const delayMs = Math.min(RESPAWN_MAX_DELAY_MS, RESPAWN_BASE_DELAY_MS * 2 ** (count - 1));
      logger.error({ shard: shard.id, exitCode: child.exitCode, signal: child.signalCode, ranMs, restartInMs: delayMs }, 'shard exited; restarting it');
      setTimeout(() => {
        if (stopping) return;
        shard.spawn(READY_TIMEOUT_MS).catch((error: unknown) => logger.error({ err: error, shard: shard.id }, 'restarted shard did not become ready'));
      }, delayMs).unref();
    });
    shard.on('error', (error: Error) => logger.error({ err: error, shard: shard.id }, 'shard error'));
  };

  const spawnAll = async () => {
    const spacingMs = noThrottle ? 0 : Math.ceil(IDENTIFY_INTERVAL_MS / plan.maxConcurrency);
    for (const id of [...Array(plan.totalShards).keys()]) {
      if (stopping) return;
      const shard = manager.createShard(id);
      watch(shard);
      const started = Date.now();
      // Without the throttle (tests only), every shard starts at once.
      const spawned = shard.spawn(noThrottle ? -1 : READY_TIMEOUT_MS);
      await spawned.catch((error: unknown) => logger.error({ err: error, shard: id }, 'shard did not become ready; starting the next one'));
      const wait = spacingMs - (Date.now() - started);
      if (wait > 0 && id < plan.totalShards - 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  void spawnAll();

  return {
    manager,
    plan,
    ready,
    async stop() {
      if (stopping) return;
      // Any spawn in progress sees `stopping` and starts nothing more; its process is among these.
      stopping = true;
      const children = manager.shards.map((shard) => shard.process).filter((child): child is ChildProcess => child !== null);
      await Promise.all(children.map((child) => stopChild(child)));
      logger.info({ shards: children.length }, 'all shards stopped');
    },
  };
}

/** SIGTERM, then SIGKILL if the shard has not exited within the grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
