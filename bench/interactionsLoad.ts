/**
 * Load test of the HTTP interactions endpoint: 2,000 signed `/ask` interactions, 50 in flight,
 * over keep-alive connections, as Discord would deliver them to one replica. Prints throughput,
 * p50/p99 latency and the error count; exits 1 on any error.
 *
 *   npx tsx bench/interactionsLoad.ts [--requests 2000] [--concurrency 50]
 *
 * Client and endpoint share one process (and one core for the JavaScript), so the numbers are a
 * floor for a replica that has its own process.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { KnowledgeBase } from '../src/knowledgeBase.ts';
import { createLogger } from '../src/logger.ts';
import { startHttpEndpoint } from '../src/runtime/httpEndpoint.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '100' },
    corpus: { type: 'string', default: 'corpus' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = Number(values.warmup);

const questions = (JSON.parse(readFileSync(new URL('../tests/eval/questions.json', import.meta.url), 'utf8')) as { questions: { question: string }[] }).questions.map(
  (q) => q.question,
);

const keys = generateKeyPairSync('ed25519');
const publicKeyHex = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const config = parseConfig({ DISCORD_PUBLIC_KEY: publicKeyHex, LOG_LEVEL: 'error', LOG_FORMAT: 'json' });
const knowledgeBase = await KnowledgeBase.open(values.corpus);
const endpoint = await startHttpEndpoint({ config, knowledgeBase: () => knowledgeBase, logger: createLogger(config), host: '127.0.0.1', port: 0 });
const target = new URL(endpoint.interactionsUrl);

const APPLICATION_ID = '100000000000000001';
/** A distinct member per request, as many members asking at once would be (no cooldown hits). */
function interaction(index: number): { body: Buffer; headers: Record<string, string> } {
  const id = String(200000000000000000n + BigInt(index));
  const payload = {
    id,
    application_id: APPLICATION_ID,
    type: 2,
    token: `bench-token-${index}`,
    version: 1,
    guild_id: '300000000000000001',
    channel_id: '300000000000000002',
    member: { user: { id: String(400000000000000000n + BigInt(index)), username: `member${index}` }, permissions: '2248473465835073' },
    app_permissions: '2248473465835073',
    data: { id: '500000000000000001', name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: questions[index % questions.length] }] },
  };
  const body = Buffer.from(JSON.stringify(payload));
  // Signed up front, so the client spends its time sending, not signing.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), keys.privateKey).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-signature-ed25519': signature,
      'x-signature-timestamp': timestamp,
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

interface Outcome {
  readonly ms: number;
  readonly error?: string;
  readonly answered?: boolean;
}

function send(prepared: { body: Buffer; headers: Record<string, string> }): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const outgoing = request(target, { method: 'POST', agent, headers: prepared.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const ms = performance.now() - started;
        if (response.statusCode !== 200) return resolve({ ms, error: `HTTP ${response.statusCode}` });
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: number; data?: { embeds?: unknown[]; content?: string } };
          if (answer.type !== 4) return resolve({ ms, error: `interaction response type ${answer.type}` });
          if (answer.data?.content?.startsWith('❌') || answer.data?.content?.startsWith('Sorry')) {
            return resolve({ ms, error: `error reply: ${answer.data.content}` });
          }
          resolve({ ms, answered: (answer.data?.embeds?.length ?? 0) > 0 });
        } catch {
          resolve({ ms, error: 'the answer is not JSON' });
        }
      });
      response.on('error', (error) => resolve({ ms: performance.now() - started, error: error.message }));
    });
    outgoing.on('error', (error) => resolve({ ms: performance.now() - started, error: error.message }));
    outgoing.end(prepared.body);
  });
}

async function run(count: number, offset: number): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const prepared = Array.from({ length: count }, (_, i) => interaction(offset + i));
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      while (next < prepared.length) {
        const item = prepared[next++];
        if (item) outcomes.push(await send(item));
      }
    }),
  );
  return { outcomes, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

await run(WARMUP, 0);
const cpuBefore = process.cpuUsage();
const { outcomes, seconds } = await run(REQUESTS, WARMUP);
const cpu = process.cpuUsage(cpuBefore);
// On a shared machine wall-clock throughput depends on the neighbours; CPU time per request does not.
const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / outcomes.length;
const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
const errors = outcomes.filter((o) => o.error !== undefined);
const answered = outcomes.filter((o) => o.answered).length;

console.log(`HTTP interactions endpoint: ${REQUESTS} signed /ask requests, ${CONCURRENCY} in flight, keep-alive (after ${WARMUP} warm-up)`);
console.log(`  Node ${process.version}, ${questions.length} distinct questions, client and endpoint in one process`);
console.log(`  throughput  ${(outcomes.length / seconds).toFixed(0)} req/s  (${seconds.toFixed(2)} s)`);
console.log(`  latency     p50 ${percentile(latencies, 50).toFixed(1)} ms   p99 ${percentile(latencies, 99).toFixed(1)} ms   max ${(latencies.at(-1) ?? 0).toFixed(1)} ms`);
console.log(`  CPU         ${cpuMsPerRequest.toFixed(2)} ms per request, client included (≈ ${(1000 / cpuMsPerRequest).toFixed(0)} req/s per busy core); load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`);
console.log(`  answers     ${answered} with a cited excerpt, ${outcomes.length - answered - errors.length} "not covered"`);
console.log(`  errors      ${errors.length}`);
const byMessage = new Map<string, number>();
for (const { error } of errors) byMessage.set(error ?? '', (byMessage.get(error ?? '') ?? 0) + 1);
for (const [message, n] of [...byMessage].slice(0, 5)) console.log(`    ${n} × ${message}`);

agent.destroy();
await endpoint.close();
process.exitCode = errors.length === 0 && outcomes.length === REQUESTS ? 0 : 1;
