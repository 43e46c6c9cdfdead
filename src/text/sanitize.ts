/**
 * Display names and logins come from a remote server: before anything reaches a terminal, terminal
 * escape sequences (CSI, OSC, and the rest), control characters and bidirectional overrides are
 * removed, white space is folded, and overlong text is cut.
 */
const escapeSequences = [
  /\u001b\[[0-?]*[ -/]*[@-~]/g, // CSI: colours, cursor movement
  /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, // OSC: titles, hyperlinks
  /\u001b[PX^_][^\u001b]*(?:\u001b\\)?/g, // DCS, SOS, PM, APC
  /\u009b[0-?]*[ -/]*[@-~]/g, // 8-bit CSI
  /\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g, // 8-bit OSC
  /\u001b[ -/]*[0-~]?/g, // any other escape
];
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

export const maxDisplayLength = 200;

/**
 * The same for a message of several lines (a warning or an error that quotes the server): escapes,
 * control characters and bidi overrides go, line breaks stay. Nothing is cut.
 */
export function sanitizeMessage(text: string): string {
  let clean = text;
  for (const pattern of escapeSequences) clean = clean.replace(pattern, '');
  return clean.replace(/\r\n?|\u2028|\u2029/g, '\n').replace(/(?!\n)[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g, ' ');
}

export function sanitizeText(text: string): string {
  const clean = sanitizeLine(text);
  return clean.length > maxDisplayLength ? `${clean.slice(0, maxDisplayLength - 1)}…` : clean;
}

/** The same, without the cut: for values that must stay whole (a URL, a file's settings). */
export function sanitizeLine(text: string): string {
  let clean = text;
  for (const pattern of escapeSequences) clean = clean.replace(pattern, '');
  return clean.replace(controlCharacters, ' ').replace(/\s+/g, ' ').trim();
}
