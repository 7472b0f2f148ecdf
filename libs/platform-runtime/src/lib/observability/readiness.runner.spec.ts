import { brokerReadiness, databaseReadiness, runReadinessChecks } from './readiness.runner';

describe('readiness checks', () => {
  it('is ready when every check passes, and reports each check by name', async () => {
    const report = await runReadinessChecks({ a: async () => ({ ok: true }), b: async () => ({ ok: true }) }, 100);
    expect(report).toEqual({ ok: true, checks: { a: { ok: true }, b: { ok: true } } });
  });

  it('fails a check that rejects or does not answer in time, and is then not ready', async () => {
    const report = await runReadinessChecks(
      {
        up: async () => ({ ok: true }),
        broken: async () => Promise.reject(new Error('postgres://user:secret@db/x')),
        slow: () => new Promise(() => undefined),
      },
      30,
    );
    expect(report).toEqual({
      ok: false,
      checks: {
        up: { ok: true },
        broken: { ok: false, detail: 'check failed' },
        slow: { ok: false, detail: 'no answer within 30 ms' },
      },
    });
  });

  it('is ready with no checks', async () => {
    expect(await runReadinessChecks({}, 10)).toEqual({ ok: true, checks: {} });
  });

  it('checks the database with SELECT 1 and the broker by its connection state', async () => {
    const queries: string[] = [];
    const database = databaseReadiness({ query: async (sql: string) => queries.push(sql) });
    expect(await database()).toEqual({ ok: true });
    expect(queries).toEqual(['SELECT 1']);
    expect(await brokerReadiness({ state: () => 'connected' })()).toEqual({ ok: true });
    expect(await brokerReadiness({ state: () => 'reconnecting' })()).toEqual({ ok: false, detail: 'reconnecting' });
  });
});
