// Preloaded into the CLI (NODE_OPTIONS=--require) by test/faults/pagination-attacks.test.ts: on exit,
// however the process ends but a kill, writes its peak resident set size (bytes) where it is told.
const fs = require('node:fs');
const target = process.env.OCTOHATRACK_TEST_PEAK_RSS_FILE;
if (target) {
  const write = () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  process.on('exit', write);
}
