import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { ReplyFile } from '../../discord/reply.ts';

/** An HTTP answer ready to write: what the endpoint sends back to Discord. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
};

export function contentTypeOf(filename: string): string {
  return CONTENT_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A message body that sends files: `attachments` names each `files[n]` part by its index, which
 * is how Discord matches a file to its filename and description.
 */
export function withAttachments<T extends object>(data: T, files: readonly ReplyFile[]): T & { attachments?: unknown[] } {
  if (files.length === 0) return data;
  return {
    ...data,
    attachments: files.map((file, id) => ({ id, filename: file.name, ...(file.description ? { description: file.description } : {}) })),
  };
}

/**
 * `multipart/form-data` with the JSON in `payload_json` and each file as `files[n]`: the shape
 * Discord accepts for an interaction response that uploads files.
 */
export function multipartAnswer(payload: unknown, files: readonly ReplyFile[]): HttpAnswer {
  const boundary = `summit-bot-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(payload)}\r\n`,
    ),
  ];
  files.forEach((file, index) => {
    const filename = file.name.replace(/["\r\n\\]/g, '_');
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files[${index}]"; filename="${filename}"\r\nContent-Type: ${contentTypeOf(file.name)}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { status: 200, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(parts) };
}
