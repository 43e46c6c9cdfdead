/**
 * Reading what GitHub sent: the JSON text parsed, then checked and trimmed by the caller's Shape. A body
 * that is not JSON, or not of the expected shape, is a clear CliError naming the URL, never a crash.
 */
import { CliError } from '../errors.js';

/** Validates a response body and trims it to what the collectors read; throws ShapeError. */
export type Shape<T> = (body: unknown) => T;

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** The same shape, for a body that may be a remembered "nothing there" (null). */
export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (body) => (body === null ? null : shape(body));
}

export function parseJSON(text: string | null, url: string): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch {
    throw new CliError(`GitHub sent a response that is not JSON for ${url} (${describeText(text)})`);
  }
}

export function applyShape(json: unknown, shape: Shape<unknown>, url: string): unknown {
  try {
    return shape(json);
  } catch (error) {
    if (error instanceof ShapeError) throw new CliError(`GitHub sent an unexpected response for ${url}: ${error.message}`);
    throw error;
  }
}

function describeText(text: string | null): string {
  if (!text) return 'an empty body';
  return `${text.length} bytes starting ${JSON.stringify(text.slice(0, 40))}`;
}
