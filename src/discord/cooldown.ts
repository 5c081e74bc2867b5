/**
 * A per-member pause between commands that post publicly, so one member cannot flood a channel.
 * It lives in the process: with several shards or endpoint replicas each keeps its own, which
 * bounds a member to one post per pause per process — enough against accidental floods.
 */
export class Cooldown {
  private readonly lastPost = new Map<string, number>();
  private readonly durationMs: number;
  private readonly now: () => number;

  constructor(seconds: number, now: () => number = Date.now) {
    this.durationMs = seconds * 1000;
    this.now = now;
  }

  /** Milliseconds the member must still wait; 0 when they may post (and the post is recorded). */
  take(userId: string): number {
    if (this.durationMs <= 0) return 0;
    const now = this.now();
    const last = this.lastPost.get(userId);
    if (last !== undefined && now - last < this.durationMs) return this.durationMs - (now - last);
    this.lastPost.set(userId, now);
    this.prune(now);
    return 0;
  }

  /** Forgets members whose pause is over, so the map does not grow with every member ever seen. */
  private prune(now: number): void {
    if (this.lastPost.size < 10_000) return;
    for (const [user, at] of this.lastPost) if (now - at >= this.durationMs) this.lastPost.delete(user);
  }
}
