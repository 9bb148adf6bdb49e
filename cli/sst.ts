#!/usr/bin/env node
// `sst`: the lineage store from the command line. Loads spans (OTLP-JSON lines) into ClickHouse
// (chDB under .sst/clickhouse, or SST_CLICKHOUSE_URL) and answers what personal data the services
// collect, store and share, per category, destination and subject.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cmdFingerprint, cmdIngest, cmdLineage, cmdReport, cmdShares, cmdSql, GATES } from './commands';
import type { Context, Io } from './context';
import { errorLine, exitCodeFor, EXIT_USAGE } from './errors';

function packageVersion(): string {
  for (const up of ['..', '../..']) {
    try { return (JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { version: string }).version; } catch { /* next */ }
  }
  return '0.0.0';
}

function processIo(): Io {
  return {
    out: (t) => { process.stdout.write(t); },
    err: (t) => { process.stderr.write(t); },
    errIsTty: Boolean(process.stderr.isTTY),
  };
}

/** Builds the program; `run` is called with the action's exit code. */
export function buildProgram(io: Io, env: NodeJS.ProcessEnv, cwd: string, run: (p: Promise<number>) => void): Command {
  const program = new Command();
  let ctx: Context = { cwd, env, io };
  const storeOpt = (): Context => {
    const opts = program.opts<{ store?: string }>();
    ctx = { ...ctx, storeDir: opts.store };
    return ctx;
  };
  program
    .name('sst')
    .description('Where personal data goes: load spans into the lineage store (chDB, or ClickHouse at SST_CLICKHOUSE_URL) and ask what is collected, stored and shared.')
    .version(packageVersion(), '-V, --version')
    .option('--store <dir>', 'chDB data directory (default .sst/clickhouse; ignored with SST_CLICKHOUSE_URL)')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      // Commander's own errors (unknown flag, missing argument) as one `sst:` line.
      // (split/trim, not /\s*\n\s*/: that backtracks quadratically on long runs of spaces in an argument)
      outputError: (s, write) => write(`sst: ${s.slice(0, 4096).replace(/^error:\s*/, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ')}\n`),
    })
    .exitOverride();

  program.command('ingest')
    .description('load OTLP-JSON lines (spool files or collector `file` exporter output) into the store; incremental')
    .argument('[paths...]', 'files or directories (default: SST_SPOOL_DIR or .sst/spool)')
    .option('--json', 'print the load statistics as JSON')
    .action((paths: string[], o: { json?: boolean }) => run(cmdIngest(storeOpt(), { paths, json: o.json })));

  program.command('report')
    .description('what is collected, stored and shared, by category and destination')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--fail-on <gate>', 'exit 1 when the gate trips (for CI)').choices([...GATES]))
    .option('--html <file>', 'also write a self-contained HTML report (flow diagram, shares, storage, subject timelines)')
    .option('--subject <id>', 'HTML report: show this subject\'s timeline (fingerprint id; repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--subjects <n>', 'HTML report: without --subject, show the n subjects with the most destinations (default 3)')
    .option('--no-ingest', 'do not load new spool lines first')
    .action((o: { json?: boolean; failOn?: (typeof GATES)[number]; html?: string; subject?: string[]; subjects?: string; ingest: boolean }) => run(cmdReport(storeOpt(), o)));

  program.command('shares')
    .description('personal data that left the process, newest first')
    .option('--vendor <name>', 'only this vendor (catalog name) or destination host')
    .option('--category <name>', 'only shares carrying this category')
    .option('--since <when>', 'only since a duration ago (30m, 1h, 7d) or an ISO date/time')
    .option('--limit <n>', 'at most n shares (default 100)')
    .option('--json', 'print the shares as JSON')
    .option('--no-ingest', 'do not load new spool lines first')
    .action((o: { vendor?: string; category?: string; since?: string; limit?: string; json?: boolean; ingest: boolean }) => run(cmdShares(storeOpt(), o)));

  program.command('lineage')
    .description("one subject's data through the system: collect → store → load → share, in time order")
    .option('--value <value>', 'the personal value (fingerprinted locally with the key, never stored or printed; `-` reads stdin)')
    .option('--fingerprint <id>', 'a fingerprint id from a span or `sst fingerprint`')
    .option('--category <name>', 'the value\'s category (default: try email, phone, then the others)')
    .option('--region <cc>', 'default phone region for national numbers (default: config, else US)')
    .option('--spans', 'also list every span, in time order')
    .option('--json', 'print the lineage as JSON')
    .option('--no-ingest', 'do not load new spool lines first')
    .action((o: { value?: string; fingerprint?: string; category?: string; region?: string; spans?: boolean; json?: boolean; ingest: boolean }) => run(cmdLineage(storeOpt(), o)));

  program.command('sql')
    .description('run a read-only SQL query on the store (tables otel_traces, sst_flows, sst_shares, sst_lineage, …)')
    .argument('<query>', 'SELECT / WITH / SHOW / DESCRIBE / EXPLAIN statement')
    .option('--json', 'print the rows as JSON')
    .action((sql: string, o: { json?: boolean }) => run(cmdSql(storeOpt(), { sql, json: o.json })));

  program.command('fingerprint')
    .description('the fingerprint id(s) of a value, computed locally with the key (the value is not printed)')
    .argument('<value>', 'the value (`-` reads stdin)')
    .option('--category <name>', 'only this category (prints the bare id)')
    .option('--region <cc>', 'default phone region for national numbers')
    .option('--json', 'print as JSON')
    .action((value: string, o: { category?: string; region?: string; json?: boolean }) => run(cmdFingerprint(storeOpt(), { value, ...o })));

  return program;
}

export async function main(argv: string[], io: Io = processIo(), env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram(io, env, cwd, (p) => { pending = p; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (!pending) { program.outputHelp(); return EXIT_USAGE; }
    return await pending;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander already printed its one-line error otherwise.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.err(errorLine(e) + '\n');
    if (env.SST_DEBUG === '1' && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return exitCodeFor(e);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(errorLine(e) + '\n');
    process.exitCode = exitCodeFor(e);
  });
}
