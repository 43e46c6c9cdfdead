/**
 * Typed errors that carry their exit code (SPEC §6). Everything below `main.ts` throws these;
 * only `main.ts` prints them and exits.
 */

export const exitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  rateLimited: 75,
  interrupted: 130,
  terminated: 143,
} as const;

export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? exitCodes.failed;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, { exitCode: exitCodes.usage });
    this.name = 'UsageError';
  }
}

/**
 * GitHub could not be reached, or kept failing: the run stops, and a rerun `when` (later, in a few
 * minutes) goes on. Whether progress was saved is for `main.ts` to say: it knows what was kept.
 */
export class RetryLaterError extends CliError {
  constructor(
    message: string,
    readonly when: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'RetryLaterError';
  }
}

/** The primary rate limit ran out: progress is saved and a rerun after `resetAt` resumes. */
export class RateLimitedError extends CliError {
  readonly resetAt: Date;
  readonly resource: string;

  constructor(resetAt: Date, resource: string) {
    super(`the GitHub ${resource} rate limit is exhausted`, { exitCode: exitCodes.rateLimited });
    this.name = 'RateLimitedError';
    this.resetAt = resetAt;
    this.resource = resource;
  }
}
