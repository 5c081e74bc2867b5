import { processIo } from './io.ts';
import { runCli } from './run.ts';

// exitCode rather than process.exit(): output still buffered for a pipe must reach it first.
process.exitCode = await runCli(process.argv.slice(2), processIo());
