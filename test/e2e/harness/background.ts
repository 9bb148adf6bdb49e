// Test files start their app runs at load time and each test awaits the outcome it needs. A run
// that fails must fail only the tests that await it, not crash the file with an unhandled
// rejection before they do. Runs go through a small queue: eight Node apps booting at once on a
// 2-core machine make every one of them slow enough to miss its READY deadline.
const MAX_PARALLEL = 2;
let running = 0;
const waiting: Array<() => void> = [];

function release(): void {
  running--;
  waiting.shift()?.();
}

export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  const p = new Promise<void>((resolve) => {
    if (running < MAX_PARALLEL) resolve();
    else waiting.push(resolve);
  }).then(() => {
    running++;
    return work().finally(release);
  });
  p.catch(() => undefined);
  return p;
}
