// Preloaded into a benchmarked process (node --import): on exit, report its peak resident memory on
// stderr as one line "__maxrss_kb=N" for the parent to read.
process.on('exit', () => {
  process.stderr.write(`\n__maxrss_kb=${process.resourceUsage().maxRSS}\n`);
});
