/**
 * The token never reaches a terminal or a log: a server that quotes it back (in an error message, a
 * redirect it asks for) has it already, but the people who read the CI log do not. Each secret
 * given, wherever it appears in the text, becomes `***`; so does the user name and password of any
 * URL (`https://user:secret@host/…` → `https://***@host/…`).
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let clean = text;
  for (const secret of secrets) {
    // A short value would blank out ordinary words; tokens are far longer.
    if (secret.length >= 8) clean = clean.split(secret).join('***');
  }
  // Up to the authority's last `@`: a password may hold one.
  return clean.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}

/** The tokens a run may send, as the environment holds them. */
export function secretsOf(env: Readonly<Record<string, string | undefined>>): string[] {
  return ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'].flatMap((name) => {
    const value = env[name]?.trim();
    return value ? [value] : [];
  });
}
