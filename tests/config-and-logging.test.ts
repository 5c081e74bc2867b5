import { Writable } from 'node:stream';
import { DiscordAPIError } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

const TOKEN = 'MTAxMDEwMTAxMDEwMTAxMDEw.GaBcDe.abcdefghijklmnopqrstuvwxyz012345';

describe('configuration', () => {
  it('needs nothing to start the console, and fills defaults', () => {
    expect(parseConfig({})).toMatchObject({ CORPUS_DIR: 'corpus', LOG_LEVEL: 'info', COOLDOWN_SECONDS: 10, SHARD_COUNT: 'auto' });
    expect(parseConfig({ DISCORD_TOKEN: '   ', DISCORD_GUILD_ID: '' }).DISCORD_TOKEN).toBeUndefined();
  });

  it('reports every problem at once, by key, without echoing the token', () => {
    const bad = { DISCORD_TOKEN: 'oops', DISCORD_GUILD_ID: 'abc', INTERACTIONS_PORT: '99999', LOG_LEVEL: 'loud', COOLDOWN_SECONDS: '-1', SHARD_COUNT: 'two' };
    let error: unknown;
    try {
      parseConfig(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'INTERACTIONS_PORT', 'SHARD_COUNT', 'LOG_LEVEL', 'COOLDOWN_SECONDS']);
    expect((error as Error).message).not.toContain('oops');
  });

  it('requires the public key when serving the HTTP endpoint', () => {
    expect(() => parseConfig({ DISCORD_TOKEN: TOKEN, INTERACTIONS_PORT: '8080' })).toThrow(/DISCORD_PUBLIC_KEY: is required when INTERACTIONS_PORT is set/);
    expect(parseConfig({ DISCORD_TOKEN: TOKEN, INTERACTIONS_PORT: '8080', DISCORD_PUBLIC_KEY: 'ab'.repeat(32) }).INTERACTIONS_PORT).toBe(8080);
  });
});

describe('logging', () => {
  function capture() {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    return { logger: createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stream), read: () => text };
  }

  it('writes one JSON object per line', () => {
    const { logger, read } = capture();
    logger.info({ guilds: 2 }, 'ready');
    logger.warn('careful');
    const lines = read().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['msg'])).toEqual(['ready', 'careful']);
    expect(lines[0]).toMatchObject({ app: 'summit-bot', guilds: 2 });
  });

  it('keeps interaction tokens and reply bodies of failed REST calls out of the log', () => {
    const { logger, read } = capture();
    const secret = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDpzZWNyZXQtdG9rZW4';
    const error = new DiscordAPIError({ code: 10062, message: 'Unknown interaction' }, 10062, 404, 'POST', `https://discord.com/api/v10/interactions/123456789/${secret}/callback`, {
      body: { type: 4, data: { content: 'the whole reply' } },
    });
    logger.error({ err: error, token: TOKEN }, 'interaction failed');
    const logged = read();
    expect(logged).toContain('/interactions/123456789/[redacted]/callback');
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('the whole reply');
    expect(logged).not.toContain(TOKEN);
  });
});
