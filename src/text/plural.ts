/** `1 person`, `2 people`, `1,204 requests`: a count (grouped in thousands, as elsewhere) and its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
