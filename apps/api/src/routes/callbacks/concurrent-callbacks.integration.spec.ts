// Concurrent DVS callbacks through the API share units of work (issue 12):
// the top-up changes they make go through one change writer
// (CHANGE_BATCH_MAX), as the workers' do. A burst of callbacks for pending
// top-ups, half of them sent twice at once, is answered alike by an API
// that batches (the default) and by one that writes each change alone
// (CHANGE_BATCH_MAX=1): every top-up final once, each hold captured or
// voided once, one final event each. The batched API must really have
// shared units of work: top-ups changed in one transaction share their
// rows' xmin (one by one they never do).
import { type ApiHarness, startApiHarness } from '../../testing/api-harness.fixture';
import { dvsTransaction, type PendingTopUp, pendingTopUp } from '../../testing/pending-top-up.fixture';

/** How many pending top-ups a burst completes: the phone's last digits choose the simulator's outcome. */
const BURST = 16;
/** 300: completed after 5 simulated minutes; 303: declined (barred party). */
const phoneOf = (index: number) => `+6391712${String(index).padStart(2, '0')}${index % 4 === 3 ? '303' : '300'}`;

interface Burst {
  /** Each callback's answer, with the index of its top-up in the burst. */
  readonly answers: readonly { readonly status: number; readonly body: unknown; readonly topUp: number | undefined }[];
  readonly finals: readonly string[];
  readonly settlements: readonly string[];
  readonly finalEvents: number;
  readonly largestUnit: number;
}

/** Sends a burst of callbacks at once (every other one twice) and reads what it did. */
const burst = async (api: ApiHarness): Promise<Burst> => {
  await api.openAccount('team-burst', '100000.00');
  const key = await api.issueKey('team-burst');
  const pending: PendingTopUp[] = [];
  for (let index = 0; index < BURST; index += 1)
    pending.push(await pendingTopUp(api, key, `burst-${index}`, phoneOf(index)));
  const bodies = [];
  for (const [index, one] of pending.entries()) {
    await api.simulator.untilTransaction(
      one.providerExternalId,
      index % 4 === 3 ? 'DECLINED-BARRED-CREDIT-PARTY' : 'COMPLETED',
    );
    bodies.push({ one, body: await dvsTransaction(api, one.transactionId) });
  }
  const posts = bodies.flatMap(({ one, body }, index) =>
    index % 2 === 0
      ? [
          { one, body },
          { one, body },
        ]
      : [{ one, body }],
  );
  const answered = await Promise.all(
    posts.map(({ one, body }) => api.request('POST', `/callbacks/dtone/${one.token}`, { body })),
  );
  const ids = pending.map((one) => one.topUpId);
  const finals = (await api.db.dataSource.query(
    `SELECT id, status FROM top_ups WHERE id = ANY($1::text[]) ORDER BY id`,
    [ids],
  )) as { id: string; status: string }[];
  const settlements = (await api.db.dataSource.query(
    `SELECT reference, kind FROM ledger_journal WHERE reference = ANY($1::text[]) AND kind IN ('CAPTURE', 'VOID')
      ORDER BY reference, kind`,
    [ids],
  )) as { reference: string; kind: string }[];
  const [events] = (await api.db.dataSource.query(
    `SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = ANY($1::text[])
        AND type IN ('topup.completed', 'topup.failed')`,
    [ids],
  )) as { n: number }[];
  const [unit] = (await api.db.dataSource.query(
    `SELECT COALESCE(max(n), 0)::int AS largest
       FROM (SELECT count(*) AS n FROM top_ups WHERE id = ANY($1::text[]) GROUP BY xmin::text) c`,
    [ids],
  )) as { largest: number }[];
  const position = new Map(ids.map((id, index) => [id, index]));
  return {
    answers: answered.map((answer, index) => ({
      status: answer.status,
      body: answer.body,
      topUp: position.get(posts[index]?.one.topUpId ?? ''),
    })),
    finals: finals.map((row) => `${position.get(row.id)} ${row.status}`).sort(),
    settlements: settlements.map((row) => `${position.get(row.reference)} ${row.kind}`).sort(),
    finalEvents: events?.n ?? 0,
    largestUnit: unit?.largest ?? 0,
  };
};

describe('concurrent DVS callbacks share units of work (CHANGE_BATCH_MAX)', () => {
  let batched: ApiHarness | undefined;
  let oneByOne: ApiHarness | undefined;

  afterAll(async () => {
    await batched?.close();
    await oneByOne?.close();
  });

  it('a burst with twins: answered and written alike batched and one by one, each top-up settled once', async () => {
    // one API at a time (each with its database, pool and simulator), so that the run stays within its connections
    batched = await startApiHarness({ label: 'api-callbacks-batched' });
    const together = await burst(batched);
    await batched.close();
    batched = undefined;
    oneByOne = await startApiHarness({ label: 'api-callbacks-alone', environment: { CHANGE_BATCH_MAX: '1' } });
    const alone = await burst(oneByOne);

    // every callback answered 200; of two at once for one top-up, one applied it and the other changed nothing
    for (const run of [together, alone]) {
      expect(run.answers.every((answer) => answer.status === 200)).toBe(true);
      const applied = run.answers.filter((answer) => JSON.stringify(answer.body) === '{"result":"applied"}');
      expect(new Set(applied.map((answer) => answer.topUp)).size).toBe(BURST);
      expect(applied).toHaveLength(BURST);
    }
    expect(together.finals).toEqual(alone.finals);
    expect(together.finals.filter((row) => row.endsWith(' COMPLETED'))).toHaveLength(BURST - BURST / 4);
    // each hold settled once: a capture for a completed top-up, a void for a declined one
    expect(together.settlements).toEqual(alone.settlements);
    expect(together.settlements).toHaveLength(BURST);
    expect([together.finalEvents, alone.finalEvents]).toEqual([BURST, BURST]);

    // the batched API shared units of work; one by one never did
    expect(together.largestUnit).toBeGreaterThan(1);
    expect(alone.largestUnit).toBe(1);
  }, 120_000);
});
