import { CliError } from '../errors.js';

/** GitHub answered with a status the helper does not handle itself; callers decide (404, 410, 422…). */
export class HttpStatusError extends CliError {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly githubMessage: string,
  ) {
    super(`GitHub answered ${status} for ${url}${githubMessage ? `: ${githubMessage}` : ''}`);
    this.name = 'HttpStatusError';
  }
}
