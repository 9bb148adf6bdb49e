// `sst report --html FILE`: gather the model from the store, render the page, write it atomically
// (a reader never sees half a file; a failed write leaves the old report in place).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Store } from '../../clickhouse/client';
import { loadReportModel, type HtmlReportModel, type ModelOptions } from './model';
import { renderReport } from './templates';

export { loadReportModel, renderReport, type HtmlReportModel, type ModelOptions };

export async function writeHtmlReport(store: Store, file: string, opts: ModelOptions = {}): Promise<{ path: string; bytes: number; model: HtmlReportModel }> {
  const model = await loadReportModel(store, opts);
  const page = renderReport(model);
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, page, 'utf8');
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { path, bytes: Buffer.byteLength(page), model };
}
