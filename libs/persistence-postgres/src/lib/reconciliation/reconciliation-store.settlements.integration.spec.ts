// The reconciliation store on PostgreSQL, settlements and runs: idempotent records, one completion,
// the append-only trigger, the window's settlements, and runs with their reports in the unit of work.
import {
  type ReconciliationReportJson,
  type ReconciliationStoreService,
  type ReconciliationWindow,
  type SettlementRecord,
  windowKeyOf,
} from '@airtime/application';
import { makeInMemoryDatabase, makeInMemoryReconciliationStore } from '@airtime/application/testing';
import {
  attemptFailed,
  attemptSucceeded,
  attemptUnknown,
  type NewTopUp,
  parseExternalId,
  transactionStatus,
} from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Effect, Either, Option } from 'effect';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import { makeOutbox } from '../outbox/outbox.adapter';
import { makeUnitOfWork } from '../unit-of-work/unit-of-work.adapter';
import { makeTopUpQueries } from '../top-ups/top-up-queries.adapter';
import { makeReconciliationRunCloser } from './reconciliation-run-closing.adapter';
import { makeReconciliationStore } from './reconciliation-store.adapter';
import { makeSeeder } from './reconciliation-world.fixture';

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E | undefined> => {
  const result = await Effect.runPromise(Effect.either(effect));
  return Either.isLeft(result) ? result.left : undefined;
};

const day = new Date('2025-03-10T00:00:00.000Z');
const nextDay = new Date('2025-03-11T00:00:00.000Z');
const at = (offsetMs: number) => new Date(day.getTime() + offsetMs);
const window: ReconciliationWindow = { providerId: 'dtone', from: day, to: nextDay };
const key = windowKeyOf(window);
const newTopUp = (id: string, now: Date): NewTopUp =>
  sampleNewTopUp({ id, externalId: Either.getOrThrow(parseExternalId(`order-${id}`)), now });

/** The reconciler's settlement of `topUpId` in the window, to COMPLETED unless said otherwise. */
const settlement = (id: string, topUpId: string, overrides: Partial<SettlementRecord> = {}): SettlementRecord => ({
  id,
  topUpId,
  providerId: 'dtone',
  providerExternalId: undefined,
  attemptNumber: 1,
  fromStatus: transactionStatus('SUBMITTED'),
  toStatus: transactionStatus('COMPLETED'),
  reason: 'provider reports COMPLETED at reconciliation',
  actor: 'reconciler',
  operator: undefined,
  windowKey: key,
  state: 'APPLYING',
  refusal: undefined,
  recordedAt: at(30 * 3_600_000),
  completedAt: undefined,
  ...overrides,
});
const byOperator = (id: string, topUpId: string, overrides: Partial<SettlementRecord> = {}) =>
  settlement(id, topUpId, { actor: 'operator', operator: 'ops@example.com', windowKey: undefined, ...overrides });

const report = (outcome: 'MATCHED' | 'MISMATCHES', note = ''): ReconciliationReportJson =>
  ({ version: 1, provider: 'dtone', outcome, note }) as unknown as ReconciliationReportJson;

describe('reconciliation store on PostgreSQL: settlements and runs', () => {
  let db: TestDatabase;
  const store = () => makeReconciliationStore(db.dataSource);
  const count = async (table: string): Promise<number> =>
    ((await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0]?.n ?? -1;

  beforeAll(async () => {
    db = await createTestDatabase();
    const seeder = makeSeeder(db.dataSource, newTopUp);
    for (const [id, startedAt] of [
      ['in-window', day],
      ['at-end', nextDay],
      ['before', at(-1)],
    ] as const) {
      const started = await seeder.start(await seeder.create(id, startedAt), startedAt, 'dtone');
      await seeder.answer(
        started,
        id === 'in-window' ? attemptUnknown('TIMEOUT_AFTER_SEND') : attemptSucceeded(`tx-${id}`),
        startedAt,
      );
    }
    // sent twice: the first attempt never reached the provider
    const first = await seeder.start(await seeder.create('two-attempts', at(1)), at(1), 'dtone');
    const failed = await seeder.answer(first, attemptFailed({ reason: 'PROVIDER_UNAVAILABLE' }), at(2));
    await seeder.start(failed, at(3_600_000), 'dtone');
  });
  afterAll(async () => db.drop());

  it('records a settlement once per (window key, top-up, target status): a repeat answers the record already there', async () => {
    const first = settlement('s-1', 'in-window', { providerExternalId: 'abc' });
    expect(await run(store().recordSettlement(first))).toEqual(first);
    const again = settlement('s-1-again', 'in-window', { reason: 'a second run', recordedAt: at(40 * 3_600_000) });
    expect(await run(store().recordSettlement(again))).toEqual(first);
    // another target status, or an operator, is another settlement
    const declined = settlement('s-2', 'in-window', { toStatus: transactionStatus('DECLINED') });
    expect(await run(store().recordSettlement(declined))).toEqual(declined);
    const operator = byOperator('s-3', 'in-window');
    expect(await run(store().recordSettlement(operator))).toEqual(operator);
    expect(await run(store().recordSettlement(byOperator('s-3-again', 'in-window', { reason: 'twice' })))).toEqual(
      operator,
    );
    expect(await run(store().recordSettlement(byOperator('s-4', 'in-window', { operator: 'other' })))).toMatchObject({
      id: 's-4',
    });
  });

  it('records a settlement once per attempt: another attempt of the top-up is another settlement; no attempt is a key of its own', async () => {
    const firstAttempt = settlement('a-1', 'two-attempts', { attemptNumber: 1 });
    const secondAttempt = settlement('a-2', 'two-attempts', { attemptNumber: 2 });
    expect(await run(store().recordSettlement(firstAttempt))).toEqual(firstAttempt);
    expect(await run(store().recordSettlement(secondAttempt))).toEqual(secondAttempt);
    expect(await run(store().recordSettlement(settlement('a-2-again', 'two-attempts', { attemptNumber: 2 })))).toEqual(
      secondAttempt,
    );
    const noAttempt = byOperator('a-none', 'two-attempts', { attemptNumber: undefined });
    expect(await run(store().recordSettlement(noAttempt))).toEqual(noAttempt);
    expect(
      await run(store().recordSettlement(byOperator('a-none-again', 'two-attempts', { attemptNumber: undefined }))),
    ).toEqual(noAttempt);
    // the attempt must be one the top-up made
    expect(
      (await failureOf(store().recordSettlement(settlement('a-3', 'two-attempts', { attemptNumber: 3 }))))?.reason,
    ).toMatch(/23503 on reconciliation_settlements_attempt_exists/);
    expect(
      (await failureOf(store().recordSettlement(settlement('a-0', 'two-attempts', { attemptNumber: 0 }))))?.reason,
    ).toMatch(/attempt number 0/);
    await run(store().completeSettlement('a-1', 'UNCHANGED', undefined, at(31 * 3_600_000)));
    await run(store().completeSettlement('a-2', 'APPLIED', undefined, at(31 * 3_600_000)));
    await run(store().completeSettlement('a-none', 'APPLIED', undefined, at(31 * 3_600_000)));
  });

  it('refuses a settlement id already used for another key, and records that are not whole', async () => {
    expect((await failureOf(store().recordSettlement(settlement('s-1', 'before'))))?.reason).toMatch(/already used/);
    expect(
      (await failureOf(store().recordSettlement(settlement('s-x', 'before', { windowKey: undefined }))))?.reason,
    ).toMatch(/window key/);
    expect((await failureOf(store().recordSettlement(settlement('s-y', 'before', { reason: '' }))))?.reason).toMatch(
      /reconciliation_settlements_reason_valid/,
    );
    expect((await failureOf(store().recordSettlement(settlement('s-z', 'no-such-top-up'))))?.reason).toMatch(/23503/);
    // a reason is 1..500 characters a terminal prints as they are: line feeds and tabs, no escape
    for (const reason of ['x'.repeat(501), 'paid \u001b[31mCOMPLETED', 'carriage\rreturn']) {
      expect((await failureOf(store().recordSettlement(settlement('s-r', 'at-end', { reason }))))?.reason).toMatch(
        /reconciliation_settlements_reason_valid/,
      );
    }
    const multiline = settlement('s-r', 'at-end', { reason: `${'x'.repeat(470)}\n\tprovider: COMPLETED` });
    expect(await run(store().recordSettlement(multiline))).toEqual(multiline);
  });

  it('completes a settlement once; the same completion again changes nothing, another is refused', async () => {
    const recorded = await run(store().recordSettlement(settlement('c-1', 'before')));
    await run(store().completeSettlement(recorded.id, 'APPLIED', undefined, at(31 * 3_600_000)));
    await run(store().completeSettlement(recorded.id, 'APPLIED', undefined, at(32 * 3_600_000)));
    expect(
      (await failureOf(store().completeSettlement(recorded.id, 'REFUSED', 'no', at(33 * 3_600_000))))?.reason,
    ).toMatch(/completed already \(APPLIED\)/);
    expect((await failureOf(store().completeSettlement('c-unknown', 'APPLIED', undefined, at(0))))?.reason).toMatch(
      /never recorded/,
    );
    await run(store().recordSettlement(settlement('c-2', 'before', { toStatus: transactionStatus('REVERSED') })));
    expect((await failureOf(store().completeSettlement('c-2', 'REFUSED', undefined, at(0))))?.reason).toMatch(/why/);
    await run(
      store().completeSettlement('c-2', 'REFUSED', `IllegalTransition ${'x'.repeat(2000)}`, at(34 * 3_600_000)),
    );
    expect(
      await run(store().recordSettlement(settlement('c-2', 'before', { toStatus: transactionStatus('REVERSED') }))),
    ).toMatchObject({
      state: 'REFUSED',
      refusal: `IllegalTransition ${'x'.repeat(1000 - 'IllegalTransition '.length)}`,
      completedAt: at(34 * 3_600_000),
    });
  });

  it('lists the unfinished settlements of a window key, and the settlements of a window by time', async () => {
    const unfinished = await run(store().unfinishedSettlements(key));
    expect(unfinished.map((s) => s.id)).toEqual(['s-1', 's-2', 's-r']);
    expect(await run(store().unfinishedSettlements('dtone/other'))).toEqual([]);
    // without a key: every settlement still APPLYING, of any window (a night never run again), operators' too
    const otherNight = settlement('w-other', 'before', { windowKey: 'dtone/other', recordedAt: at(-3_600_000) });
    await run(store().recordSettlement(otherNight));
    expect((await run(store().unfinishedSettlements())).map((s) => s.id)).toEqual([
      'w-other',
      's-1',
      's-2',
      's-3',
      's-4',
      's-r',
    ]);
    await run(store().completeSettlement('w-other', 'APPLIED', undefined, at(30 * 3_600_000)));
    // an operator's settlement of a top-up sent in the window belongs to it; one sent at its end does not
    await run(store().recordSettlement(byOperator('o-at-end', 'at-end', { recordedAt: at(1) })));
    await run(store().recordSettlement(byOperator('o-before', 'before', { recordedAt: at(2) })));
    const inWindow = await run(store().settlementsOf(window));
    expect(inWindow.map((s) => s.id)).toEqual([
      'a-1',
      'a-2',
      'a-none',
      'c-1',
      'c-2',
      's-1',
      's-2',
      's-3',
      's-4',
      's-r',
    ]);
    expect(inWindow.map((s) => s.recordedAt.getTime())).toEqual(
      [...inWindow.map((s) => s.recordedAt.getTime())].sort(),
    );
    expect(
      (await run(store().settlementsOf({ providerId: 'dtone', from: nextDay, to: at(48 * 3_600_000) }))).map(
        (s) => s.id,
      ),
    ).toEqual(['o-at-end']);
  });

  it('keeps settlements append-only but for their completion, done once (trigger)', async () => {
    await expect(
      db.dataSource.query(`UPDATE reconciliation_settlements SET reason = 'rewritten' WHERE id = 's-1'`),
    ).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM reconciliation_settlements WHERE id = 's-2'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.dataSource.query(`UPDATE reconciliation_settlements SET state = 'UNCHANGED' WHERE id = 'c-1'`),
    ).rejects.toThrow(/never rewritten/);
    await db.dataSource.query(
      `UPDATE reconciliation_settlements SET state = 'UNCHANGED', completed_at = now() WHERE id = 's-2'`,
    );
    expect((await run(store().unfinishedSettlements(key))).map((s) => s.id)).toEqual(['s-1', 's-r']);
  });

  it('runs: started, finished with report and summary, the latest of a window read back', async () => {
    expect(await run(store().latestRun(window))).toEqual(Option.none());
    await run(store().startRun({ id: 'run-1', window, startedAt: at(25 * 3_600_000) }));
    await run(store().startRun({ id: 'run-1', window, startedAt: at(25 * 3_600_000) }));
    expect((await failureOf(store().startRun({ id: 'run-1', window, startedAt: at(0) })))?.reason).toMatch(
      /already used/,
    );
    expect(Option.getOrThrow(await run(store().latestRun(window)))).toEqual({
      id: 'run-1',
      window,
      startedAt: at(25 * 3_600_000),
      finishedAt: undefined,
      outcome: undefined,
      report: undefined,
      summary: undefined,
    });
    const finished = {
      id: 'run-1',
      finishedAt: at(26 * 3_600_000),
      outcome: 'MISMATCHES',
      report: report('MISMATCHES', 'ü €'),
      summary: 'one mismatch\n',
    } as const;
    await run(store().finishRun(finished));
    await run(store().finishRun(finished));
    expect((await failureOf(store().finishRun({ ...finished, summary: 'other' })))?.reason).toMatch(/finished already/);
    expect((await failureOf(store().finishRun({ ...finished, id: 'run-never' })))?.reason).toMatch(/never started/);
    await run(store().startRun({ id: 'run-2', window, startedAt: at(27 * 3_600_000) }));
    await run(
      store().startRun({
        id: 'run-other',
        window: { ...window, providerId: 'reloadly' },
        startedAt: at(28 * 3_600_000),
      }),
    );
    expect(Option.getOrThrow(await run(store().latestRun(window))).id).toBe('run-2');
    await run(store().finishRun({ ...finished, id: 'run-2', outcome: 'MATCHED', report: report('MATCHED') }));
    const latest = Option.getOrThrow(await run(store().latestRun(window)));
    expect(latest).toMatchObject({
      id: 'run-2',
      outcome: 'MATCHED',
      report: report('MATCHED'),
      summary: 'one mismatch\n',
    });
    const first = (await db.dataSource.query(
      `SELECT report, summary FROM reconciliation_runs WHERE id = 'run-1'`,
    )) as unknown[];
    expect(first).toEqual([{ report: report('MISMATCHES', 'ü €'), summary: 'one mismatch\n' }]);
    await expect(
      db.dataSource.query(`UPDATE reconciliation_runs SET summary = 'x' WHERE id = 'run-1'`),
    ).rejects.toThrow(/never rewritten/);
    // a run that could not compare the provider's list (UNVERIFIED) is an outcome too; nothing else is
    await run(store().startRun({ id: 'run-3', window, startedAt: at(29 * 3_600_000) }));
    const finish = (outcome: string) =>
      db.dataSource.query(
        `UPDATE reconciliation_runs SET finished_at = now(), outcome = $1, report = '{"version":1}', summary = 's' WHERE id = 'run-3'`,
        [outcome],
      );
    await expect(finish('VERIFIED')).rejects.toThrow(/reconciliation_runs_outcome_valid/);
    await finish('UNVERIFIED');
    expect(Option.getOrThrow(await run(store().latestRun(window)))).toMatchObject({
      id: 'run-3',
      outcome: 'UNVERIFIED',
    });
  });

  it.each([
    ['PostgreSQL', 'pg'],
    ['the in-memory store of @airtime/application/testing', 'memory'],
  ] as const)(
    'answers whether the latest finished run of the provider lists an attempt as awaiting a decision (listedAwaitingDecision), any window: %s',
    async (_, side) => {
      // providers of this test only, so that the runs of the other tests do not count
      const provider = `listing-${side}`;
      const otherProvider = `listing-other-${side}`;
      const subject: ReconciliationStoreService =
        side === 'pg' ? store() : makeInMemoryReconciliationStore(makeInMemoryDatabase());
      const awaiting = (...entries: (readonly [string, number])[]): ReconciliationReportJson =>
        ({
          version: 1,
          provider,
          outcome: 'MISMATCHES',
          awaitingDecision: entries.map(([topUpId, attemptNumber]) => ({
            topUpId,
            attemptNumber,
            reason: 'the provider cannot be asked',
          })),
        }) as unknown as ReconciliationReportJson;
      const windowOf = (providerId: string, from: Date): ReconciliationWindow => ({
        providerId,
        from,
        to: new Date(from.getTime() + 86_400_000),
      });
      const runOf = async (
        id: string,
        runWindow: ReconciliationWindow,
        startedHour: number,
        report: ReconciliationReportJson | undefined,
      ) => {
        await run(subject.startRun({ id: `${side}-${id}`, window: runWindow, startedAt: at(startedHour * 3_600_000) }));
        if (report !== undefined)
          await run(
            subject.finishRun({
              id: `${side}-${id}`,
              finishedAt: at((startedHour + 1) * 3_600_000),
              outcome: 'MISMATCHES',
              report,
              summary: 's',
            }),
          );
      };
      const listed = (topUpId: string, attemptNumber = 2, providerId = provider) =>
        run(subject.listedAwaitingDecision({ providerId, topUpId, attemptNumber }));

      // a run still running does not count
      await runOf('night-1', windowOf(provider, day), 60, undefined);
      expect(await listed('tu-awaiting-1')).toBe(false);
      await run(
        subject.finishRun({
          id: `${side}-night-1`,
          finishedAt: at(61 * 3_600_000),
          outcome: 'MISMATCHES',
          report: awaiting(['tu-awaiting-0', 2], ['tu-awaiting-1', 2]),
          summary: 's',
        }),
      );
      expect(await listed('tu-awaiting-1')).toBe(true);
      expect(await listed('tu-awaiting-0')).toBe(true);
      // another attempt, another top-up, a prefix of one listed, a field of another name holding the id, or
      // another provider: not listed
      expect(await listed('tu-awaiting-1', 1)).toBe(false);
      expect(await listed('tu-awaiting-1', 3)).toBe(false);
      expect(await listed('tu-awaiting-2')).toBe(false);
      expect(await listed('tu-awaiting')).toBe(false);
      expect(await listed('the provider cannot be asked')).toBe(false);
      expect(await listed('tu-awaiting-1', 2, otherProvider)).toBe(false);
      // a later run of another provider, and a later run of the provider still running, change nothing
      await runOf('other-provider', windowOf(otherProvider, nextDay), 70, awaiting());
      await runOf('night-2', windowOf(provider, nextDay), 84, undefined);
      expect(await listed('tu-awaiting-1')).toBe(true);
      // the next night's run (another window) no longer lists attempt 2 of tu-awaiting-1 (it got an answer it
      // could use): the earlier listing no longer counts
      await run(
        subject.finishRun({
          id: `${side}-night-2`,
          finishedAt: at(85 * 3_600_000),
          outcome: 'MISMATCHES',
          report: awaiting(['tu-awaiting-0', 2]),
          summary: 's',
        }),
      );
      expect(await listed('tu-awaiting-1')).toBe(false);
      expect(await listed('tu-awaiting-0')).toBe(true);
      // a later run of the first window listing it again counts again
      await runOf('night-1-again', windowOf(provider, day), 108, awaiting(['tu-awaiting-1', 2]));
      expect(await listed('tu-awaiting-1')).toBe(true);
      expect(await listed('tu-awaiting-0')).toBe(false);
      if (side === 'pg') {
        // a later run that failed (no report) does not count
        await runOf('night-3', windowOf(provider, nextDay), 132, undefined);
        expect(
          await run(
            makeReconciliationRunCloser(db.dataSource).failRun({
              id: `${side}-night-3`,
              finishedAt: at(133 * 3_600_000),
              reason: 'the provider was unavailable',
            }),
          ),
        ).toBe(true);
        expect(await listed('tu-awaiting-1')).toBe(true);
      }
    },
  );

  it('writes in the unit of work: the run finished with its outbox event together, or neither', async () => {
    const unitOfWork = makeUnitOfWork(db.dataSource);
    const finish = (id: string) =>
      Effect.all([
        store().finishRun({
          id,
          finishedAt: at(50 * 3_600_000),
          outcome: 'MATCHED',
          report: report('MATCHED'),
          summary: 'ok',
        }),
        makeOutbox(db.dataSource).append({
          id: `event-${id}`,
          type: 'reconciliation.completed',
          aggregateId: id,
          payload: { runId: id },
          occurredAt: at(50 * 3_600_000),
        }),
      ]);
    await run(store().startRun({ id: 'run-uow-1', window, startedAt: at(49 * 3_600_000) }));
    await run(store().startRun({ id: 'run-uow-2', window, startedAt: at(49 * 3_600_000) }));
    const outboxBefore = await count('outbox');
    expect(await failureOf(unitOfWork.transactionally(Effect.zipRight(finish('run-uow-1'), Effect.fail('boom'))))).toBe(
      'boom',
    );
    expect(await count('outbox')).toBe(outboxBefore);
    await run(unitOfWork.transactionally(finish('run-uow-2')));
    expect(await count('outbox')).toBe(outboxBefore + 1);
    const rows = (await db.dataSource.query(
      `SELECT outcome FROM reconciliation_runs WHERE id LIKE 'run-uow-%' ORDER BY id`,
    )) as unknown[];
    expect(rows).toEqual([{ outcome: null }, { outcome: 'MATCHED' }]);
  });

  it('answers the top-ups an operator settled as failed by hand (TopUpQueries.settledByHand: they are never resent)', async () => {
    // top-ups of their own, started two days before the window, so that no other case sees them
    const seeder = makeSeeder(db.dataSource, newTopUp);
    const early = at(-2 * 86_400_000);
    const ids = ['hand-declined', 'hand-rejected', 'hand-completed', 'hand-applying', 'robot-declined', 'never'];
    for (const id of ids) await seeder.start(await seeder.create(id, early), early, 'dtone');
    const record = (
      id: string,
      topUpId: string,
      status: Parameters<typeof transactionStatus>[0],
      overrides: Partial<SettlementRecord> = {},
    ) => byOperator(id, topUpId, { toStatus: transactionStatus(status), recordedAt: early, ...overrides });
    for (const settled of [
      record('h-1', 'hand-declined', 'DECLINED-BARRED-CREDIT-PARTY'),
      record('h-2', 'hand-rejected', 'REJECTED'),
      record('h-3', 'hand-completed', 'COMPLETED'),
      settlement('h-5', 'robot-declined', { toStatus: transactionStatus('DECLINED'), recordedAt: early }),
    ]) {
      await run(store().recordSettlement(settled));
      await run(store().completeSettlement(settled.id, 'APPLIED', undefined, early));
    }
    // recorded, not applied yet (a crash in between): not a decision yet
    await run(store().recordSettlement(record('h-4', 'hand-applying', 'DECLINED')));
    const queries = makeTopUpQueries(db.dataSource);
    expect([...(await run(queries.settledByHand([...ids, 'no-such-top-up', 'nul\u0000'])))].sort()).toEqual([
      'hand-declined',
      'hand-rejected',
    ]);
    expect((await run(queries.settledByHand([]))).size).toBe(0);
  });
});
