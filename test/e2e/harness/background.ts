// Test files start their app runs at load time (both modes in parallel, one start per file) and
// each test awaits the outcome it needs. A run that fails must fail only the tests that await
// it, not crash the file with an unhandled rejection before they do.
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  const p = work();
  p.catch(() => undefined);
  return p;
}
