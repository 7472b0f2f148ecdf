// One run of the reconciler, as `npm run reconcile` makes it: read the
// arguments and the configuration (exit 2 naming what is wrong), prove the
// report folder writable (exit 2), build the container (the database opened,
// refused when not migrated), run the window (reconcileWindow: the runs a
// killed process left open closed, then reconcileDay, a failed run's row
// finished FAILED) with the progress on stderr, write the report files
// (JSON, summary, metrics) atomically, push the metrics when a Pushgateway is
// configured, print the summary (or the JSON with --json) on stdout, and
// answer the exit status of the outcome (0 matched, 1 mismatches or
// unverified, 2 invalid input or credentials the provider refused, 3 another
// run of the window holds it or the run failed). The container is closed
// whatever happens. main.ts runs it; the specs run it in-process and as a
// child process.
import { ReconcileProviderMismatch, type ReconcileDayResult, type ReconciliationReport } from '@airtime/application';
import { makeReconciliationRunCloser, redactUrl } from '@airtime/persistence-postgres';
import type { Env, PlatformLogger, ProviderLayer } from '@airtime/platform-runtime';
import { DTONE_PROVIDER_ID } from '@airtime/provider-dtone';
import { AFRICASTALKING_PROVIDER_ID } from '@airtime/provider-africastalking';
import { ENGAGESPARK_PROVIDER_ID } from '@airtime/provider-engagespark';
import { Either, Exit } from 'effect';
import { performance } from 'node:perf_hooks';
import { CREDENTIAL_VARIABLES, endOfFailure, exitCodeOf, type RunEnd } from './cli/exit-code.table';
import { parseReconcileArguments, RECONCILE_USAGE, type ReconcileRun } from './cli/reconcile-arguments.input';
import { buildContainer, closeContainer } from './composition/container';
import { TOKENS } from './composition/tokens';
import type { ReconcilerConfig } from './config/reconciler.config';
import { reconcilerConfigFrom } from './config/reconciler.config';
import { pushFailureOf, pushRunMetrics, recordRun, type RunMetrics } from './observability/run-metrics';
import { type ProgressStream, progressOn, timedProgress } from './progress/phase-progress';
import { failureOf, reconcileWindow } from './run/reconcile-window.use-case';
import {
  prepareReportFolder,
  recreateReportFolder,
  reportBaseName,
  reportFilePaths,
  writeFileAtomically,
  writeReportFiles,
} from './report/report-files';
import { ReportFolderUnusable } from './report/report-files.errors';

export interface ReconcilerIo {
  /** The arguments after `--`. */
  readonly argv: readonly string[];
  readonly env: Env;
  /** The summary, or the JSON report with --json. */
  readonly stdout: { readonly write: (text: string) => unknown };
  /** Progress (bars on a terminal), the outcome line and problems. */
  readonly stderr: ProgressStream;
  /** The wall clock the default window (yesterday, UTC) is taken from. */
  readonly now: () => Date;
}

export interface ReconcilerAppOptions {
  /** Replacements for tests. */
  readonly logger?: PlatformLogger | undefined;
  readonly provider?: ProviderLayer | undefined;
}

const PREFIX = 'reconcile';

/**
 * The id of the provider reconciled: Africa's Talking's or engageSPARK's for
 * theirs (`--provider`), else the DT One adapter's (PROVIDER: DT One, or the
 * DVS simulator over HTTP).
 */
export const configuredProviderId = (config: ReconcilerConfig): string => {
  switch (config.provider.kind) {
    case 'africastalking':
      return AFRICASTALKING_PROVIDER_ID;
    case 'engagespark':
      return ENGAGESPARK_PROVIDER_ID;
    default:
      return DTONE_PROVIDER_ID;
  }
};

/** A failure's message, one line, with the database URL's password masked. */
const messageOf = (error: unknown, config: ReconcilerConfig): string => {
  const text = error instanceof Error ? error.message : String(error);
  const url = config.database.url;
  return text.split(url).join(redactUrl(url)).split('\n')[0] ?? text;
};

interface Run {
  readonly io: ReconcilerIo;
  readonly config: ReconcilerConfig;
  readonly command: ReconcileRun;
  readonly providerId: string;
  readonly options: ReconcilerAppOptions;
}

const line = (io: ReconcilerIo, text: string): void => {
  io.stderr.write(`${PREFIX}: ${text}\n`);
};

/** The line told on stderr when a run of the window is already in progress (exit 3, nothing done). */
export const WINDOW_BUSY_LINE = 'another run of this window is in progress; try again when it ends';

/** The outcome line: the outcome and the report file, and what could not be compared when something could not. */
const outcomeLine = (report: ReconciliationReport, reportFile: string | undefined): string => {
  const notCompared = report.unverified.map((item) => item.what);
  const unverified = notCompared.length === 0 ? '' : ` (not compared: ${notCompared.join(', ')}; see the report)`;
  return `${report.outcome}: report ${reportFile ?? '-'}${unverified}`;
};

/** Pushes the run's metrics when a Pushgateway is configured; a failure is told, never the outcome. */
const push = async (run: Run, metrics: RunMetrics, providerId: string): Promise<void> => {
  if (run.config.pushgatewayUrl === undefined) return;
  try {
    await pushRunMetrics(metrics, run.config.pushgatewayUrl, providerId);
  } catch (error) {
    const host = new URL(run.config.pushgatewayUrl).host;
    line(run.io, `warning: the metrics were not pushed to PUSHGATEWAY_URL (${host}): ${pushFailureOf(error)}`);
  }
};

const reconcile = async (run: Run): Promise<number> => {
  const { io, config, command } = run;
  const started = performance.now();
  const container = await buildContainer({ config, logger: run.options.logger, provider: run.options.provider });
  const metrics = container.get(TOKENS.metrics);
  const progress = timedProgress(progressOn(io.stderr), () => performance.now());
  const reportDir = command.reportDir ?? config.reportDir;
  const { providerId } = run;
  /** Records, writes and pushes the run's metrics and files; `result` undefined: the run failed. */
  const finish = async (result?: ReconcileDayResult): Promise<string | undefined> => {
    recordRun(metrics, {
      providerId,
      outcome: result?.report.outcome ?? 'FAILED',
      counts: result?.report.counts,
      phaseSeconds: progress.durations(),
      runSeconds: (performance.now() - started) / 1_000,
      window: command,
      finishedAt: new Date(),
    });
    const prom = await metrics.registry.metrics();
    const base = reportBaseName(providerId, command.from, command.to);
    await push(run, metrics, providerId);
    if (result === undefined) {
      // a failed run has no report: its metrics file says it failed
      await recreateReportFolder(reportDir);
      await writeFileAtomically(reportFilePaths(reportDir, base).prom, prom);
      return undefined;
    }
    const paths = await writeReportFiles(reportDir, base, {
      report: result.report,
      summary: result.summary,
      metrics: prom,
    });
    return paths.json;
  };
  try {
    const runtime = await container.getAsync(TOKENS.runtime);
    const closer = makeReconciliationRunCloser(await container.getAsync(TOKENS.dataSource));
    const exit = await runtime.runPromiseExit(
      reconcileWindow(
        {
          providerId,
          from: command.from,
          to: command.to,
          settleAfterMs: config.settleAfterMs,
          decisionAfterMs: config.decisionAfterMs,
        },
        progress,
        { closer, reasonOf: (error) => messageOf(error, config) },
      ),
    );
    if (Exit.isFailure(exit)) {
      const error = failureOf(exit.cause);
      const failed = endOfFailure(error);
      if (failed === 'CREDENTIALS') {
        await finish().catch(() => undefined);
        const variables = CREDENTIAL_VARIABLES[providerId] ?? `the credentials of ${providerId}`;
        line(io, `the provider refused our credentials (${variables}): ${messageOf(error, config)}`);
        return exitCodeOf(failed);
      }
      if (failed === 'INVALID') {
        const message = messageOf(error, config);
        line(
          io,
          error instanceof ReconcileProviderMismatch
            ? `--provider: ${message}`
            : `${message} (npm run reconcile -- --help)`,
        );
        return exitCodeOf(failed);
      }
      // nothing was done: no report, no metrics (the run in progress writes and pushes its own)
      if (failed === 'BUSY') {
        line(io, WINDOW_BUSY_LINE);
        return exitCodeOf(failed);
      }
      await finish().catch(() => undefined);
      line(io, `FAILED: ${messageOf(error, config)} (run it again: it resumes)`);
      return exitCodeOf('FAILED');
    }
    const { report, summary } = exit.value;
    const end: RunEnd = report.outcome;
    const reportFile = await finish(exit.value);
    // formatSummary's text ends with a newline
    io.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : summary);
    line(io, outcomeLine(report, reportFile));
    return exitCodeOf(end);
  } catch (error) {
    await finish().catch(() => undefined);
    line(io, `FAILED: ${messageOf(error, config)}`);
    return exitCodeOf('FAILED');
  } finally {
    await closeContainer(container);
  }
};

/**
 * Runs the reconciler once (see the header) and answers its exit status:
 * 0 MATCHED, 1 MISMATCHES or UNVERIFIED, 2 bad arguments, configuration or
 * input, 3 busy (another run of the window is in progress) or failed.
 * Never rejects.
 */
export const runReconciler = async (io: ReconcilerIo, options: ReconcilerAppOptions = {}): Promise<number> => {
  const parsed = parseReconcileArguments(io.argv, io.now());
  if (Either.isLeft(parsed)) {
    line(io, `${parsed.left} (npm run reconcile -- --help)`);
    return exitCodeOf('INVALID');
  }
  if (parsed.right.kind === 'help') {
    io.stdout.write(`${RECONCILE_USAGE}\n`);
    return exitCodeOf('MATCHED');
  }
  const config = reconcilerConfigFrom(io.env, parsed.right.providerId);
  if (Either.isLeft(config)) {
    io.stderr.write(`${PREFIX}: invalid configuration\n${config.left.problems.map((p) => `  ${p}\n`).join('')}`);
    return exitCodeOf('INVALID');
  }
  const providerId = configuredProviderId(config.right);
  if (parsed.right.providerId !== undefined && parsed.right.providerId !== providerId) {
    line(
      io,
      `--provider: expected ${providerId} (the provider PROVIDER configures), ${AFRICASTALKING_PROVIDER_ID} or ${ENGAGESPARK_PROVIDER_ID}`,
    );
    return exitCodeOf('INVALID');
  }
  // the report folder is proved writable before anything runs: a run that cannot leave its report does not start
  const reportDir = parsed.right.reportDir ?? config.right.reportDir;
  try {
    await prepareReportFolder(reportDir);
  } catch (error) {
    const variable = parsed.right.reportDir === undefined ? 'RECONCILE_REPORT_DIR' : '--report-dir';
    line(io, `${variable}: ${error instanceof ReportFolderUnusable ? error.message : String(error)}`);
    return exitCodeOf('INVALID');
  }
  try {
    return await reconcile({ io, config: config.right, command: parsed.right, providerId, options });
  } catch (error) {
    line(io, `FAILED: ${messageOf(error, config.right)}`);
    return exitCodeOf('FAILED');
  }
};
