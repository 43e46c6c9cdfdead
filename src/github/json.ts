/** Looking into parsed JSON whose shape is not known yet. No imports: every module may use it. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `errors` of a GraphQL answer (each an object: `type`, `path`, `message`…); none if it has none. */
export function graphqlErrors(json: unknown): Array<Record<string, unknown>> {
  return isRecord(json) && Array.isArray(json.errors) ? json.errors.filter(isRecord) : [];
}

/** GitHub's `message` in an error body (or the start of a body that is only text); '' if none. */
export function messageOf(body: unknown): string {
  if (isRecord(body) && typeof body.message === 'string') return body.message;
  return typeof body === 'string' ? body.slice(0, 200) : '';
}
