// `sst report --html FILE`: the hook the demo issue fills in (it receives the same ReportData the
// text and JSON reports print). Until then the option says so instead of writing a file.
import type { ReportData } from '../clickhouse/queries';
import { UsageError } from './errors';

export function writeHtmlReport(_data: ReportData, _file: string): void {
  throw new UsageError('--html lands with the demo issue; no HTML report was written (use --json for now)');
}
