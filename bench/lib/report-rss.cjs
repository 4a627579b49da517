// Preloaded into a benchmarked process (node --require): on exit, report its peak resident memory on
// stderr as one line "__maxrss_kb=N" for the parent to read. CommonJS, so measuring a process does not
// start Node's ES-module loader in it (~5 ms) when the process itself would not.
process.on('exit', () => {
  process.stderr.write(`\n__maxrss_kb=${process.resourceUsage().maxRSS}\n`);
});
