/**
 * GitHub's no-reply commit emails name the account: `ID+login@users.noreply.github.com`, or the older
 * `login@users.noreply.github.com`; an app's bot, `ID+name[bot]@users.noreply.github.com`.
 * https://docs.github.com/account-and-profile/setting-up-and-managing-your-personal-account-on-github/managing-email-preferences/setting-your-commit-email-address
 */
const noreplyPattern = /^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?)@users\.noreply\.github\.com$/i;

export function loginFromNoreplyEmail(email: string): string | null {
  return noreplyPattern.exec(email.trim())?.[1] ?? null;
}
