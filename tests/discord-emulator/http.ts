import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { discordError, DiscordErrorCode, type EmulatorResponse } from './errors.ts';

/** A file part of a multipart body. */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  filename: string;
  size: number;
  contentType: string;
  data: Buffer;
}

/** One REST request as the emulator saw it, with the answer it gave. */
export interface RecordedRequest {
  /** Arrival order, from 0. */
  index: number;
  method: string;
  /** The path after `/api/v10`, each segment URL-decoded: `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The path exactly as sent (`/api/v10/webhooks/1/tok/messages/%40original`). */
  rawPath: string;
  /** The matched route, e.g. `POST /interactions/:interaction/:token/callback`; null if none matched. */
  route: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body; undefined if none. */
  body: unknown;
  /** Non-file, non-payload_json multipart fields. */
  fields: Record<string, string>;
  files: RecordedFile[];
  receivedAt: number;
  /** True when a `failNext` rule answered instead of the route. */
  injected: boolean;
  response: { status: number; body: unknown; headers: Record<string, string> };
}

export type RequestContext = Omit<RecordedRequest, 'response' | 'injected' | 'index' | 'route' | 'params' | 'receivedAt'> & {
  params: Record<string, string>;
};

export type RouteHandler = (request: RequestContext) => EmulatorResponse | Promise<EmulatorResponse>;

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: RouteHandler;
}

/** Routes by method and path segments; `:name` matches one segment. The first match wins. */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): void {
    this.#routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler });
  }

  match(method: string, segments: string[]): { route: Route; params: Record<string, string> } | 'method-not-allowed' | null {
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : null;
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

/** The body of a request, parsed as Discord does: JSON, or multipart with `payload_json` and `files[n]`. */
export async function readBody(
  request: IncomingMessage,
): Promise<{ body: unknown; fields: Record<string, string>; files: RecordedFile[]; error?: EmulatorResponse }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = request.headers['content-type'] ?? '';
  const empty = { body: undefined, fields: {}, files: [] };
  if (raw.length === 0) return empty;
  try {
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const fields: Record<string, string> = {};
      const files: RecordedFile[] = [];
      let body: unknown;
      for (const [field, value] of form) {
        if (typeof value === 'string') {
          if (field === 'payload_json') body = JSON.parse(value);
          else fields[field] = value;
        } else {
          files.push({
            field,
            filename: value.name,
            size: value.size,
            contentType: value.type,
            data: Buffer.from(await value.arrayBuffer()),
          });
        }
      }
      return { body, fields, files };
    }
    return { ...empty, body: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ...empty, error: discordError(DiscordErrorCode.InvalidJson) };
  }
}

export function writeResponse(response: ServerResponse, answer: EmulatorResponse): Record<string, string> {
  const headers: Record<string, string> = { ...answer.headers };
  let payload: string | undefined;
  if (answer.body !== undefined && answer.status !== 204) {
    payload = JSON.stringify(answer.body);
    headers['content-type'] = 'application/json';
  }
  response.writeHead(answer.status, headers);
  response.end(payload);
  return headers;
}
