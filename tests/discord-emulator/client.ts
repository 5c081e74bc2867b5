import { Client, Events, GatewayIntentBits, type ClientOptions, type IIdentifyThrottler } from 'discord.js';
import type { DiscordEmulator } from './emulator.ts';

/**
 * An identify throttler that never waits. discord.js's default (SimpleIdentifyThrottler) spaces
 * identifies 5 s apart per `max_concurrency` bucket, which would stall any test that
 * re-identifies or runs several shards. Pass it as the client's `ws.buildIdentifyThrottler`.
 */
export const noIdentifyThrottle: IIdentifyThrottler = {
  waitForIdentify: () => Promise.resolve(),
};

/** Client options that point discord.js at the emulator: `rest.api` and a no-op identify throttler. */
export function emulatorClientOptions(emulator: DiscordEmulator, options: Partial<ClientOptions> = {}): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds],
    ...options,
    rest: { ...options.rest, api: emulator.apiUrl },
    ws: { ...options.ws, buildIdentifyThrottler: () => noIdentifyThrottle },
  };
}

/** Any token logs in; this one is easy to spot in recorded requests. */
export const EMULATOR_TOKEN = 'emulated-bot-token';

/**
 * Creates a real discord.js Client against the emulator, logs it in and resolves once it emits
 * `clientReady` (every shard READY and every guild received). Destroy it after the test.
 */
export async function loginTestClient(
  emulator: DiscordEmulator,
  options: Partial<ClientOptions> = {},
  timeoutMs = 5_000,
): Promise<Client<true>> {
  const client = new Client(emulatorClientOptions(emulator, options));
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<Client<true>>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`The client was not ready within ${timeoutMs} ms.`)), timeoutMs);
    client.once(Events.ClientReady, resolve);
  });
  try {
    await Promise.race([client.login(EMULATOR_TOKEN), ready]);
    return await ready;
  } catch (error) {
    await client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
