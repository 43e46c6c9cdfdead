/**
 * GraphQL's secondary limit on points: "No more than 2,000 points per minute are allowed for the
 * GraphQL API endpoint." A run that sends queries as fast as its slots allow (a query of 1 point
 * every 25 ms at four in flight) would pass it; the pacer holds a query back until the minute before
 * it has room.
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api#secondary-rate-limits
 */
export const pointsPacerDefaults = {
  pointsPerMinute: 2000,
  windowMs: 60_000,
};

export interface PointsPacer {
  /**
   * Takes room for a query of `points` at `nowMs`: 0 when there is room (and it is taken), else how
   * long to wait before asking again.
   */
  take(points: number, nowMs: number): number;
}

export function createPointsPacer(pointsPerMinute = pointsPacerDefaults.pointsPerMinute, windowMs = pointsPacerDefaults.windowMs): PointsPacer {
  const sent: Array<{ atMs: number; points: number }> = [];
  let used = 0;
  return {
    take(points, nowMs) {
      while (sent.length > 0 && (sent[0]?.atMs ?? 0) <= nowMs - windowMs) used -= sent.shift()?.points ?? 0;
      // A query larger than the whole minute's room can only go alone.
      if (used + points <= pointsPerMinute || sent.length === 0) {
        sent.push({ atMs: nowMs, points });
        used += points;
        return 0;
      }
      let toFree = used + points - pointsPerMinute;
      for (const entry of sent) {
        toFree -= entry.points;
        if (toFree <= 0) return Math.max(1, entry.atMs + windowMs - nowMs);
      }
      return windowMs;
    },
  };
}
