// Preloaded into a chipwatch process by the intake tests (node -r): on exit, writes the process's peak
// resident set size in KB to the file named by CHIPWATCH_TEST_RSS_FILE.
const { writeFileSync } = require('node:fs');
process.on('exit', () => writeFileSync(process.env.CHIPWATCH_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)));
