import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { ApplicationCommandOptionType, InteractionResponseType, type APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DiscordEmulator, guildIdForShard } from './discord-emulator/emulator.ts';

const SHARDS = 2;
const TOKEN = 'emulated-bot-token-for-the-sharded-bot';
const PEACEKEEPERS = 'How many peacekeepers did Russia deploy?';
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

type LogLine = Record<string, unknown> & { msg?: string };

/** `npm run start:sharded` as a child process, with its JSON log lines collected as they arrive. */
function startSharded(env: Record<string, string>) {
  const child = spawn(process.execPath, [TSX_CLI, 'src/sharded.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can take down the manager and every shard at once.
    detached: true,
  });
  const logs: LogLine[] = [];
  const text: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      text.push(line);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        return;
      }
      for (const wake of waiters) wake();
    });
  }
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    logs,
    exited,
    /** Resolves with the first log line that matches, failing with everything logged so far after `timeoutMs`. */
    waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find(predicate);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${text.join('\n')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

describe('npm run start:sharded', () => {
  it('runs one process per shard with the count from GET /gateway/bot, answers on both, restarts a crashed shard, and stops cleanly on SIGTERM', async () => {
    const guilds = [0, 1].map((shardId) => ({ id: guildIdForShard(shardId, SHARDS), name: `guild on shard ${shardId}` }));
    const emulator = await DiscordEmulator.start({ shards: SHARDS, guilds });
    const sharded = startSharded({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: emulator.apiUrl,
      // Blank keys count as unset, and dotenv leaves keys that are set alone: a developer's .env cannot leak in.
      SHARD_COUNT: '',
      INTERACTIONS_PORT: '',
      DISCORD_PUBLIC_KEY: '',
      CORPUS_DIR: 'corpus',
      COOLDOWN_SECONDS: '0',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      SUMMIT_BOT_TEST_NO_IDENTIFY_THROTTLE: '1',
    });
    onTestFinished(async () => {
      if (sharded.child.exitCode === null && sharded.child.signalCode === null && sharded.child.pid !== undefined) {
        process.kill(-sharded.child.pid, 'SIGKILL');
      }
      await emulator.close();
    });

    // The manager asked the emulator (not discord.com) how many shards to run.
    await sharded.waitForLog((line) => line.msg === 'starting shards');
    expect(sharded.logs.find((line) => line.msg === 'starting shards')).toMatchObject({ shards: SHARDS, source: 'discord' });
    const gatewayBot = emulator.requests.find((request) => request.path === '/gateway/bot');
    expect(gatewayBot?.headers.authorization).toBe(`Bot ${TOKEN}`);

    // Each worker is ready (its dispatcher attached) once it logs so, with its shard id.
    for (const shardId of [0, 1]) {
      await sharded.waitForLog((line) => line.msg === 'connected to Discord and ready' && JSON.stringify(line['shards']) === `[${shardId}]`);
    }
    expect(emulator.identifies.map((record) => [record.shardId, record.shardCount]).sort()).toEqual([
      [0, SHARDS],
      [1, SHARDS],
    ]);
    expect(emulator.identifies.every((record) => record.token === TOKEN)).toBe(true);

    const askOnShard = async (shardId: number) => {
      const interaction = emulator.dispatchInteraction({
        type: 'chatInput',
        name: 'ask',
        guildId: guilds[shardId]?.id ?? '',
        options: [{ name: 'question', type: ApplicationCommandOptionType.String, value: PEACEKEEPERS }],
      });
      expect(interaction.shardId).toBe(shardId);
      const callback = await interaction.waitForCallback(10_000);
      expect(callback.response.status).toBe(204);
      const body = callback.body as { type: number; data: { embeds: APIEmbed[] } };
      expect(body.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(body.data.embeds[0]?.description).toContain('¶27');
    };
    await askOnShard(0);
    await askOnShard(1);

    // A shard that crashes is started again (after a short backoff), identifies again, and answers.
    const started = sharded.logs.find((line) => line.msg === 'shard process started' && line['shard'] === 1);
    const identifiesBefore = emulator.identifies.length;
    process.kill(Number(started?.['pid']), 'SIGKILL');
    const exited = await sharded.waitForLog((line) => line.msg === 'shard exited; restarting it');
    expect(exited).toMatchObject({ shard: 1, signal: 'SIGKILL', restartInMs: 1_000 });
    const reidentified = await emulator.waitForIdentify((record) => record.shardId === 1, 20_000, identifiesBefore);
    expect(reidentified.shardCount).toBe(SHARDS);
    await sharded.waitForLog(
      (line) => line.msg === 'connected to Discord and ready' && JSON.stringify(line['shards']) === '[1]' && Number(line['time']) > Number(exited['time']),
    );
    await askOnShard(1);

    sharded.child.kill('SIGTERM');
    const [code, signal] = await sharded.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(sharded.logs.filter((line) => line.msg === 'shard stopping')).toHaveLength(SHARDS);
    expect(sharded.logs).toContainEqual(expect.objectContaining({ msg: 'all shards stopped', shards: SHARDS }));
    expect(sharded.logs.filter((line) => line.msg === 'shard exited; restarting it')).toHaveLength(1);
  }, 45_000);
});
