/**
 * Whether stderr gets colour: as the terminal allows (chalk's detection, which reads FORCE_COLOR), but
 * never when NO_COLOR is set to anything but an empty string (https://no-color.org). FORCE_COLOR, when
 * set, wins over NO_COLOR, as in Node.js itself.
 */
export type ColorLevel = 0 | 1 | 2 | 3;

export function colorLevel(env: Readonly<Record<string, string | undefined>>, detected: ColorLevel): ColorLevel {
  if (env.FORCE_COLOR !== undefined) return detected;
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? 0 : detected;
}
