// Peak resident set size of the benchmark process, sampled on a timer.

/** Samples process.memoryUsage().rss every `everyMs` (bytes); `peak()` is the largest seen, `stop()` ends sampling. */
export const startRssSampler = (everyMs = 100): { readonly peak: () => number; readonly stop: () => void } => {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  timer.unref();
  return {
    peak: () => Math.max(peak, process.memoryUsage().rss),
    stop: () => clearInterval(timer),
  };
};
