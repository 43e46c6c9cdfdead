/**
 * The one place that talks HTTP: Octokit's request, used as a plain GET with our headers. It answers
 * with status, headers and body; every decision about them lives in the helper. Redirects are not
 * followed here, so the helper can refuse to send the token to another host.
 */
import { Octokit } from '@octokit/rest';
import { RequestError } from '@octokit/request-error';

export interface TransportResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Raw text of a 2xx body (null for 204 and redirects). */
  text: string | null;
  /** Octokit's parsed body of an error response (an object, or its text). */
  errorBody: unknown;
}

export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** GET unless said; GraphQL is a POST with a JSON body. */
  method?: 'GET' | 'POST';
  body?: unknown;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A failure with no HTTP answer: connection refused or reset, DNS, timeout. Retried with backoff. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** A body larger than we will read: no page of a GitHub listing comes near it. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the response body is larger than ${Math.round(limitBytes / 1024 / 1024)} MiB`);
    this.name = 'BodyTooLargeError';
  }
}

const silentLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Past this size, a body is read only while no other large one is: a listing's pages come side by
 * side, and a server that sends dozens of pages just under `maxBodyBytes` would otherwise have them
 * all in memory at once (each held as bytes, then text, then parsed). The others wait, with no more
 * than this much each, until the one being read is done.
 */
export const largeBodyBytes = 4 * 1024 * 1024;

/** One large body read at a time: a queue of the readers waiting their turn. */
class OneAtATime {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }
}

export function createOctokitTransport(options: { apiUrl: string; token: string | null; userAgent: string; maxBodyBytes: number }): Transport {
  const octokit = new Octokit({
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    log: silentLog,
    request: { redirect: 'manual' },
    ...(options.token ? { auth: options.token } : {}),
  });
  const largeBodies = new OneAtATime();

  return async ({ url, headers, timeoutMs, method = 'GET', body }) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await octokit.request({
        method,
        url,
        headers,
        ...(body === undefined ? {} : { data: body }),
        request: { signal, parseSuccessResponseBody: false },
      });
      const stream = response.data as unknown;
      const readable = response.status >= 200 && response.status < 300 && response.status !== 204;
      const text = readable && stream instanceof ReadableStream ? await readText(stream, options.maxBodyBytes, largeBodies) : null;
      if (!readable && stream instanceof ReadableStream) await stream.cancel().catch(() => {});
      return { status: response.status, headers: response.headers as Record<string, string | undefined>, text, errorBody: null };
    } catch (error) {
      if (error instanceof RequestError && error.response) {
        return {
          status: error.status,
          headers: error.response.headers as Record<string, string | undefined>,
          text: null,
          errorBody: error.response.data,
        };
      }
      if (error instanceof BodyTooLargeError) throw error;
      throw new NetworkError(describeNetworkError(error, signal, timeoutMs), { cause: error });
    }
  };
}

async function readText(stream: ReadableStream<Uint8Array>, maxBytes: number, largeBodies: OneAtATime): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let large = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
      if (!large && size > largeBodyBytes) {
        large = true;
        await largeBodies.acquire();
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    if (large) largeBodies.release();
  }
}

function describeNetworkError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no complete answer within ${Math.round(timeoutMs / 1000)} s`;
  // Octokit wraps fetch's TypeError("fetch failed"), which wraps the socket's error: use the deepest.
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
