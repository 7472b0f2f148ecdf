// The readiness of an app's dependencies, as its health endpoints report
// it (the API's GET /readyz, the consumer's /healthz): each check answers
// whether it passes and why not, a check slower than its timeout or one
// that rejects fails, and the app is ready when every check passes.
import type { BrokerConnection } from '@airtime/messaging-rabbitmq';

/** One check's state: whether it passes, and why not (a kind or a state, never a URL or a secret). */
export interface ReadinessState {
  readonly ok: boolean;
  readonly detail?: string | undefined;
}

/** One readiness check. */
export type ReadinessCheck = () => Promise<ReadinessState>;

export interface ReadinessReport {
  /** Every check passed. */
  readonly ok: boolean;
  /** Each check's state, by name. */
  readonly checks: Readonly<Record<string, ReadinessState>>;
}

const withTimeout = async (check: ReadinessCheck, timeoutMs: number): Promise<ReadinessState> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessState>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([check().catch(() => ({ ok: false, detail: 'check failed' })), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Runs `checks` at once, each given `timeoutMs` (a slower one fails with
 * `no answer within <timeoutMs> ms`, a rejected one with `check failed`).
 * Never rejects.
 */
export const runReadinessChecks = async (
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
): Promise<ReadinessReport> => {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await withTimeout(check, timeoutMs)] as const),
  );
  return { ok: results.every(([, result]) => result.ok), checks: Object.fromEntries(results) };
};

/** The database answers a `SELECT 1` (`dataSource`: a TypeORM DataSource, or anything that queries alike). */
export const databaseReadiness =
  (dataSource: { readonly query: (sql: string) => Promise<unknown> }): ReadinessCheck =>
  async () => {
    await dataSource.query('SELECT 1');
    return { ok: true };
  };

/** The broker connection is connected (its state is the detail otherwise). */
export const brokerReadiness =
  (connection: Pick<BrokerConnection, 'state'>): ReadinessCheck =>
  async () => {
    const state = connection.state();
    return state === 'connected' ? { ok: true } : { ok: false, detail: state };
  };
