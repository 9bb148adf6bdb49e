// Errors already reported on the `sst:` line by the exporter that met them, so the exit flush that
// rejects with the same error stays quiet: one line per fault, not two. Dependency-free, because
// the exit handling loads it before (and without) the SDK.
const reported = new WeakSet<object>();

export function markReported(e: unknown): void {
  if (typeof e === 'object' && e !== null) reported.add(e);
}

export function alreadyReported(e: unknown): boolean {
  return typeof e === 'object' && e !== null && reported.has(e);
}

let failing = false;

/** The OTLP exporter's last export failed (and it said so): the exit path need not say it again. */
export function setExportFailing(v: boolean): void { failing = v; }
export function exportFailing(): boolean { return failing; }
