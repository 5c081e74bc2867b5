import type { IncomingMessage } from 'node:http';

/** Discord's interaction payloads are a few kilobytes; anything near this is not from Discord. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  | { readonly kind: 'ok'; readonly body: Buffer }
  /** Declared or streamed past the limit: answer 413 and stop reading. */
  | { readonly kind: 'too-large' }
  /** The client went away or the stream failed before the end. */
  | { readonly kind: 'aborted' };

/**
 * Reads a request body of at most `limit` bytes. A Content-Length over the limit is refused
 * before a byte is read; a body without one (chunked) is counted as it streams and refused the
 * moment it passes the limit, so a large upload never sits in memory.
 */
export function readLimitedBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ kind: 'too-large' });

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: BodyResult) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        request.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'ok', body: Buffer.concat(chunks, received) });
    const onError = () => finish({ kind: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onError);
  });
}
