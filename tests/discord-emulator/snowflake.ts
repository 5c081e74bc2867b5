/** Discord's epoch: the first millisecond of 2015. Snowflakes count milliseconds from here. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Makes Discord snowflakes: 42 bits of milliseconds since the Discord epoch, 5 bits worker,
 * 5 bits process, 12 bits increment. Ids made by one generator are unique and increase with time
 * (and with the increment inside one millisecond), as Discord's do, so sorting by id sorts by age.
 */
export class SnowflakeGenerator {
  #increment = 0n;
  #lastTimestamp = 0n;
  readonly #now: () => number;
  readonly #worker: bigint;

  constructor(options: { now?: () => number; worker?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#worker = BigInt(options.worker ?? 1) & 0x1fn;
  }

  /** The next id; `timestampMs` forces the time part (e.g. to place a guild on a given shard). */
  next(timestampMs?: number): string {
    // One increment for every id, forced or not, so ids never repeat within a millisecond.
    this.#increment = (this.#increment + 1n) & 0xfffn;
    let timestamp: bigint;
    if (timestampMs === undefined) {
      // Never go back in time, so ids from one generator strictly increase.
      timestamp = BigInt(Math.floor(this.#now()));
      if (timestamp < this.#lastTimestamp) timestamp = this.#lastTimestamp;
      if (timestamp === this.#lastTimestamp && this.#increment === 0n) timestamp += 1n;
      this.#lastTimestamp = timestamp;
    } else {
      timestamp = BigInt(Math.floor(timestampMs));
    }
    return (((timestamp - DISCORD_EPOCH) << 22n) | (this.#worker << 17n) | this.#increment).toString();
  }
}

/** When a snowflake was made (milliseconds since the Unix epoch). */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The shard Discord routes a guild's events to: `(guild_id >> 22) % shard_count`. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A guild id that lands on `shardId` of `shardCount` (its millisecond part is chosen for that). */
export function guildIdForShard(shardId: number, shardCount: number, generator = new SnowflakeGenerator()): string {
  const base = Date.now() - 86_400_000;
  const offset = (((shardId - ((base - Number(DISCORD_EPOCH)) % shardCount)) % shardCount) + shardCount) % shardCount;
  return generator.next(base + offset);
}
