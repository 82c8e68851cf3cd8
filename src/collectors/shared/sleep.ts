/**
 * Waits `ms` milliseconds (negative counts as 0) for retry back-offs and rate-limit
 * pacing, or rejects with the signal's reason as soon as the run is aborted (Ctrl-C,
 * timeout), so no collector keeps a process alive waiting.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
