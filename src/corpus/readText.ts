import { readFile } from 'node:fs/promises';
import { CorpusError } from './errors.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a file as strict UTF-8. Invalid bytes are an error naming the line they are on, rather
 * than replacement characters quietly served as article text.
 */
export async function readUtf8File(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CorpusError(file, undefined, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return decodeUtf8(bytes, file);
}

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new CorpusError(file, lineOfFirstInvalidByte(bytes), 'the file is not valid UTF-8 text');
  }
}

function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        strictUtf8.decode(bytes.subarray(lineStart, i));
      } catch {
        return line;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return line;
}
