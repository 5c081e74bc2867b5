import { once } from 'node:events';
import { EXIT_FAILURE, EXIT_OK } from './errors.ts';
import { styleFor, type TextStyle } from './terminal.ts';

/** Where a command reads and writes; process streams in production, the same in tests. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** How human-readable output is styled for this stdout. */
  readonly style: TextStyle;
}

export function processIo(): CliIo {
  exitQuietlyOnBrokenPipe(process.stdout);
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, style: styleFor(process.stdout) };
}

/**
 * Writes and waits when the stream's buffer is full, so a long batch fed through a slow pipe
 * does not pile up in memory.
 */
export async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * A reader that stops early (`| head`) closes the pipe; the next write fails with EPIPE. That is
 * the reader's choice, not an error: stop at once and quietly, as Unix tools do.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    process.stderr.write(`summit-bot: cannot write output: ${error.message}\n`);
    process.exit(EXIT_FAILURE);
  });
}
