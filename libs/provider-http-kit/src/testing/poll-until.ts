/** Waits until `holds` is true, polling every 10 ms; fails after `timeoutMs` (10 s by default). */
export const pollUntil = async (holds: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`the condition did not hold within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
