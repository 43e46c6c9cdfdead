/**
 * A duration as a person reads it: `300 ms`, `1.5 s`, `12 s`, `2 min 05 s`, `1 h 02 min`. Estimates
 * (`roundTo` a minute) keep whole seconds, and drop them from a minute up: `about 45 min`, not
 * `about 44 min 38 s`.
 */
export function formatDuration(ms: number, roundTo: 'second' | 'minute' = 'second'): string {
  if (roundTo === 'second' && ms > 0 && ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return roundTo === 'minute' ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 100) / 10} s`;
  const pad = (value: number): string => String(value).padStart(2, '0');
  if (roundTo === 'minute') {
    const minutes = Math.round(ms / 60_000);
    return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
  }
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${pad(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}
