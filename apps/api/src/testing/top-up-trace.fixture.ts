// What the database of an API must show for every top-up it wrote (no
// consumer runs in these specs, so none is sent): its request, one hold of
// its cost (REFUSED exactly when it is REJECTED), its AUTHORIZE journal entry
// unless refused, and its topup.created event; each key written once, and no
// hold or request without its top-up.
import type { ApiHarness } from './api-harness.fixture';

export interface TopUpRow {
  readonly id: string;
  readonly account_id: string;
  readonly external_id: string;
  readonly status_class: string;
  readonly cost_minor: string;
  /** Its stored requests, holds (and their statuses), AUTHORIZE journal entries and topup.created events. */
  readonly trace: string;
}

/** Every top-up, with what came with it, ordered by (account, external id). */
export const topUpTraces = (harness: ApiHarness): Promise<TopUpRow[]> =>
  harness.db.dataSource.query(
    `SELECT t.id, t.account_id, t.external_id, t.status_class, t.cost_minor::text AS cost_minor,
            concat_ws(' ',
              (SELECT count(*) FROM top_up_requests r WHERE r.top_up_id = t.id
                  AND r.account_id = t.account_id AND r.external_id = t.external_id) || ' request',
              (SELECT count(*) FROM ledger_holds h WHERE h.transaction_id = t.id
                  AND h.amount_minor = t.cost_minor AND h.account_id = t.account_id) || ' hold',
              (SELECT string_agg(h.status, ',') FROM ledger_holds h WHERE h.transaction_id = t.id),
              (SELECT count(*) FROM ledger_journal j WHERE j.reference = t.id AND j.kind = 'AUTHORIZE') || ' authorized',
              (SELECT count(*) FROM outbox o WHERE o.aggregate_id = t.id AND o.type = 'topup.created') || ' event'
            ) AS trace
       FROM top_ups t ORDER BY t.account_id, t.external_id`,
  );

/** The trace a top-up must have: refused and unheld when REJECTED, held otherwise. */
export const expectedTrace = (row: TopUpRow): string =>
  row.status_class === 'REJECTED'
    ? '1 request 1 hold REFUSED 0 authorized 1 event'
    : '1 request 1 hold HELD 1 authorized 1 event';

/** Every key written once, every top-up traced, no hold or request without its top-up; answers the rows. */
export const expectEveryKeyOnceAndTraced = async (harness: ApiHarness): Promise<TopUpRow[]> => {
  const rows = await topUpTraces(harness);
  const keys = rows.map((row) => `${row.account_id}/${row.external_id}`);
  expect(new Set(keys).size).toBe(keys.length);
  for (const row of rows) expect([row.external_id, row.trace]).toEqual([row.external_id, expectedTrace(row)]);
  const [orphans] = (await harness.db.dataSource.query(
    `SELECT (SELECT count(*) FROM ledger_holds h WHERE NOT EXISTS (SELECT 1 FROM top_ups t WHERE t.id = h.transaction_id))
          + (SELECT count(*) FROM top_up_requests r WHERE NOT EXISTS (SELECT 1 FROM top_ups t WHERE t.id = r.top_up_id))
          AS n`,
  )) as { n: string }[];
  expect(orphans?.n).toBe('0');
  return rows;
};
