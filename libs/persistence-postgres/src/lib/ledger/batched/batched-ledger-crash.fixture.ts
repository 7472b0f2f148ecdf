// The parent's side of the batched ledger store's kill -9 test: bundles the
// child program (batched-ledger-crash-child.fixture.ts) once with esbuild,
// runs the bundle in a plain node process (under a second to start, where
// tsx as a loader took about three) and SIGKILLs it once it has
// answered a given number of movements; waits until the server has ended
// the child's sessions; reads a run's rows back in one snapshot; and lists
// what is wrong with them: balances against the journal, holds against
// their journal entries, and every answer the child gave against what the
// database kept.
import {
  accountKey,
  emptyLedger,
  type Hold,
  type JournalEntry,
  type Ledger,
  type LedgerAccount,
  type LedgerStoreService,
  type Refusal,
} from '@airtime/domain';
import { Effect } from 'effect';
import type { DataSource } from 'typeorm';
import { type BundledEntry, bundleEntry } from '../../../testing/entry-bundle.fixture';
import { spawnBundledChild } from '../../shared/tsx-child.fixture';
import { bigintOf } from '../../unit-of-work/sql';
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  accountOf,
  entryOf,
  type HoldRow,
  JOURNAL_COLUMNS,
  type JournalRow,
} from '../ledger-rows.mapper';
import {
  answerOf,
  type AnsweredEntry,
  type CrashAnswer,
  type CrashHeader,
  type CrashLine,
  type CrashOperation,
  type CrashWorkerSettings,
  runOperation,
} from './batched-ledger-crash-child.fixture';

/**
 * The child program bundled with its workspace libs into one file in a
 * temporary folder (about a second; `dispose` removes it). Bundle it once
 * per spec file and hand it to every `runCrashWorker`.
 */
export const bundleCrashWorker = (): Promise<BundledEntry> =>
  bundleEntry({
    entry: 'libs/persistence-postgres/src/lib/ledger/batched/batched-ledger-crash-child.fixture.ts',
    tsconfig: 'libs/persistence-postgres/tsconfig.lib.json',
    name: 'batched-ledger-crash',
  });

/** What a killed child answered. */
export interface CrashRun {
  readonly header: CrashHeader;
  /** Every complete line the child wrote, in order. */
  readonly lines: readonly CrashLine[];
  /** How the child ended (the kill: signal SIGKILL). */
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Runs the child with `settings` and SIGKILLs it `killDelayMs` after its
 * `killAfter`-th answer line (0: in the same tick). Resolves once the child
 * is gone and its stdout is read to the end; rejects when it exits before
 * the kill or does not get there within `timeoutMs`.
 */
export const runCrashWorker = (options: {
  /** The child program, from `bundleCrashWorker`. */
  readonly worker: BundledEntry;
  readonly settings: CrashWorkerSettings;
  readonly killAfter: number;
  readonly killDelayMs: number;
  readonly timeoutMs?: number | undefined;
}): Promise<CrashRun> =>
  new Promise((resolve, reject) => {
    const child = spawnBundledChild(options.worker.file, {
      BATCHED_LEDGER_CRASH_MAIN: '1',
      BATCHED_LEDGER_CRASH_SETTINGS: JSON.stringify(options.settings),
    });
    let header: CrashHeader | undefined;
    const lines: CrashLine[] = [];
    let tail = '';
    let stderr = '';
    let killing = false;
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      killing = true;
      kill();
      reject(new Error(`the crash worker did not answer ${options.killAfter} movements in time; stderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('utf8');
      const complete = text.split('\n');
      tail = complete.pop() ?? '';
      for (const line of complete) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          killing = true;
          kill();
          reject(new Error(`the crash worker wrote a line that is not JSON: ${line.slice(0, 200)}`));
          return;
        }
        if (header === undefined) header = parsed as CrashHeader;
        else lines.push(parsed as CrashLine);
      }
      if (!killing && lines.length >= options.killAfter) {
        killing = true;
        if (options.killDelayMs === 0) kill();
        else setTimeout(kill, options.killDelayMs);
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (!killing || header === undefined) {
        reject(new Error(`the crash worker exited (${code ?? signal}) before the kill; stderr: ${stderr}`));
        return;
      }
      resolve({ header, lines, signal, code, stderr });
    });
  });

/** Waits until the server has no session left of `applicationName` (a killed client's transactions ended). */
export const waitForSessionsGone = async (
  dataSource: DataSource,
  applicationName: string,
  timeoutMs = 20_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE application_name = $1`,
      [applicationName],
    )) as { sessions: number }[];
    if ((row?.sessions ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`sessions of ${applicationName} still open after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 20));
  }
};

/** A run's rows (ids starting with its prefix), as pg returns them. */
export interface StoredRows {
  readonly accounts: readonly AccountRow[];
  readonly holds: readonly HoldRow[];
  /** In sequence order. */
  readonly journal: readonly JournalRow[];
}

/** Reads a run's accounts, holds and journal in one REPEATABLE READ transaction (one snapshot). */
export const readStoredRows = async (dataSource: DataSource, prefix: string): Promise<StoredRows> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const like = [`${prefix}%`];
    const accounts = (await runner.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE account_id LIKE $1 ORDER BY account_id`,
      like,
    )) as AccountRow[];
    const holds = (await runner.query(
      `SELECT transaction_id, account_id, currency, amount_minor::text, status, captured_minor::text, refusal
         FROM ledger_holds WHERE transaction_id LIKE $1 OR account_id LIKE $1 ORDER BY transaction_id`,
      like,
    )) as HoldRow[];
    const journal = (await runner.query(
      `SELECT ${JOURNAL_COLUMNS} FROM ledger_journal WHERE account_id LIKE $1 OR reference LIKE $1 ORDER BY sequence`,
      like,
    )) as JournalRow[];
    await runner.commitTransaction();
    return { accounts, holds, journal };
  } finally {
    await runner.release();
  }
};

const movementKey = (kind: string, reference: string) => `${kind} ${reference}`;

const sumBy = (rows: readonly JournalRow[], pick: (row: JournalRow) => bigint) =>
  rows.reduce((sum, row) => sum + pick(row), 0n);

/**
 * What is wrong with a run's rows, one sentence each (empty when sound):
 * each account's balances and totals against the sums of its journal and
 * its open holds, and the rules of its CHECK constraints; each hold's status
 * against its journal entries (REFUSED: none; HELD: AUTHORIZE; VOIDED:
 * AUTHORIZE, VOID; CAPTURED: AUTHORIZE, CAPTURE; REVERSED: AUTHORIZE,
 * CAPTURE, REVERSE; amounts and account alike); every entry of a
 * transaction has its hold, every deposit one entry.
 */
export const rowViolations = (rows: StoredRows): string[] => {
  const out: string[] = [];
  const byAccount = new Map<string, JournalRow[]>();
  const byReference = new Map<string, JournalRow[]>();
  for (const row of rows.journal) {
    const account = accountKey(row.account_id, row.currency.trim());
    byAccount.set(account, [...(byAccount.get(account) ?? []), row]);
    if (row.kind !== 'DEPOSIT') byReference.set(row.reference, [...(byReference.get(row.reference) ?? []), row]);
  }
  const openHolds = new Map<string, bigint>();
  for (const hold of rows.holds) {
    if (hold.status !== 'HELD') continue;
    const account = accountKey(hold.account_id, hold.currency.trim());
    openHolds.set(account, (openHolds.get(account) ?? 0n) + bigintOf(hold.amount_minor));
  }
  const knownAccounts = new Set<string>();
  for (const account of rows.accounts) {
    const key = accountKey(account.account_id, account.currency.trim());
    knownAccounts.add(key);
    const entries = byAccount.get(key) ?? [];
    const of = (kind: string) => sumBy(entries, (row) => (row.kind === kind ? bigintOf(row.amount_minor) : 0n));
    const expected: Record<string, bigint> = {
      available_minor: sumBy(entries, (row) => bigintOf(row.available_delta_minor)),
      holding_minor: sumBy(entries, (row) => bigintOf(row.holding_delta_minor)),
      funded_minor: of('DEPOSIT'),
      captured_minor: of('CAPTURE'),
      reversed_minor: of('REVERSE'),
    };
    for (const [column, sum] of Object.entries(expected)) {
      const stored = bigintOf(account[column as keyof AccountRow] as string);
      if (stored !== sum) out.push(`account ${key}: ${column} is ${stored}, its journal sums to ${sum}`);
    }
    const available = bigintOf(account.available_minor);
    const holding = bigintOf(account.holding_minor);
    const credit = bigintOf(account.credit_limit_minor);
    if (holding !== (openHolds.get(key) ?? 0n))
      out.push(`account ${key}: holding ${holding}, its HELD holds sum to ${openHolds.get(key) ?? 0n}`);
    if (credit < 0n || holding < 0n || available < -credit)
      out.push(`account ${key}: available ${available}, holding ${holding}, credit limit ${credit}`);
    if (
      available + holding + bigintOf(account.captured_minor) - bigintOf(account.reversed_minor) !==
      bigintOf(account.funded_minor)
    )
      out.push(`account ${key}: not balanced`);
  }
  for (const key of byAccount.keys()) if (!knownAccounts.has(key)) out.push(`journal entries on no account ${key}`);
  const lifecycle: Record<HoldRow['status'], string> = {
    REFUSED: '',
    HELD: 'AUTHORIZE',
    VOIDED: 'AUTHORIZE VOID',
    CAPTURED: 'AUTHORIZE CAPTURE',
    REVERSED: 'AUTHORIZE CAPTURE REVERSE',
  };
  const held = new Set<string>();
  for (const hold of rows.holds) {
    const id = hold.transaction_id;
    held.add(id);
    const entries = byReference.get(id) ?? [];
    const kinds = entries.map((row) => row.kind).join(' ');
    if (kinds !== lifecycle[hold.status]) out.push(`hold ${id} is ${hold.status} with journal entries "${kinds}"`);
    if ((hold.status === 'REFUSED') !== (hold.refusal !== null))
      out.push(`hold ${id} is ${hold.status} with refusal ${JSON.stringify(hold.refusal)}`);
    for (const row of entries)
      if (row.account_id !== hold.account_id || row.currency !== hold.currency)
        out.push(`hold ${id} on ${hold.account_id}, its ${row.kind} on ${row.account_id}`);
    const amount = bigintOf(hold.amount_minor);
    const entry = (kind: string) => entries.find((row) => row.kind === kind);
    const authorization = entry('AUTHORIZE');
    if (authorization && bigintOf(authorization.amount_minor) !== amount)
      out.push(`hold ${id} of ${amount}, authorized ${authorization.amount_minor}`);
    const capture = entry('CAPTURE');
    const captured = hold.captured_minor === null ? undefined : bigintOf(hold.captured_minor);
    if ((capture === undefined ? undefined : bigintOf(capture.amount_minor)) !== captured)
      out.push(`hold ${id}: captured ${hold.captured_minor}, its CAPTURE ${capture?.amount_minor}`);
    const reversal = entry('REVERSE');
    if (reversal && capture && reversal.amount_minor !== capture.amount_minor)
      out.push(`hold ${id}: reversed ${reversal.amount_minor} of a capture of ${capture.amount_minor}`);
  }
  for (const reference of byReference.keys()) if (!held.has(reference)) out.push(`entries of ${reference}, no hold`);
  return out;
};

/** A run's rows as the domain's ledger (journal renumbered 1, 2, ... in sequence order), for `checkInvariants`. */
export const storedLedgerOf = async (rows: StoredRows): Promise<Ledger> => {
  const journal = rows.journal.map((row, index) =>
    entryOf({ ...row, currency: row.currency.trim(), sequence: `${index + 1}` }),
  );
  const entries = new Map(journal.map((entry) => [movementKey(entry.kind, entry.reference), entry]));
  const entry = (kind: string, reference: string) => entries.get(movementKey(kind, reference));
  const accounts = new Map<string, LedgerAccount>();
  for (const row of rows.accounts) {
    const account = await Effect.runPromise(accountOf(row));
    accounts.set(accountKey(account.accountId, account.currency.code), account);
  }
  const holds = new Map<string, Hold>();
  const refusals = new Map<string, Refusal>();
  for (const row of rows.holds) {
    const base = {
      transactionId: row.transaction_id,
      accountId: row.account_id,
      currency: row.currency.trim(),
      amountMinor: bigintOf(row.amount_minor),
    };
    const authorization = entry('AUTHORIZE', row.transaction_id);
    if (row.status === 'REFUSED' || authorization === undefined) {
      // a hold without its AUTHORIZE is reported by rowViolations; here it stays out of the ledger
      if (row.status === 'REFUSED')
        refusals.set(row.transaction_id, {
          ...base,
          availableMinor: bigintOf(row.refusal?.availableMinor ?? '0'),
          creditLimitMinor: bigintOf(row.refusal?.creditLimitMinor ?? '0'),
        });
      continue;
    }
    holds.set(row.transaction_id, {
      ...base,
      authorization,
      settlement: entry('CAPTURE', row.transaction_id) ?? entry('VOID', row.transaction_id),
      reversal: entry('REVERSE', row.transaction_id),
    });
  }
  const deposits = new Map(
    journal.filter((row) => row.kind === 'DEPOSIT').map((row): [string, JournalEntry] => [row.reference, row]),
  );
  return { ...emptyLedger, accounts, holds, refusals, deposits, journal };
};

const KIND_OF: Record<CrashOperation['kind'], string> = {
  deposit: 'DEPOSIT',
  authorize: 'AUTHORIZE',
  voidHold: 'VOID',
  capture: 'CAPTURE',
  reverse: 'REVERSE',
};

const referenceOf = (operation: CrashOperation): string =>
  operation.kind === 'deposit' ? operation.input.depositId : operation.input.transactionId;

const answeredEntryOf = (row: JournalRow): AnsweredEntry => ({
  sequence: Number(row.sequence),
  kind: row.kind,
  reference: row.reference,
  accountId: row.account_id,
  currency: row.currency.trim(),
  amountMinor: bigintOf(row.amount_minor).toString(),
  availableDeltaMinor: bigintOf(row.available_delta_minor).toString(),
  holdingDeltaMinor: bigintOf(row.holding_delta_minor).toString(),
});

/**
 * What the child answered that the database does not bear out, one
 * sentence each (empty when every answer was committed): each success names
 * its own movement and the very entry stored (sequence, account, amount,
 * deltas), and the hold's status shows it; a movement is answered
 * `applied: true` once at most; each refusal names a state the database
 * kept (InsufficientFunds: the REFUSED hold with the same figures;
 * HoldAlreadySettled: the settlement; IdempotencyConflict: the other claim;
 * HoldNotCaptured, CaptureExceedsHold: the hold; AccountNotFound: no such
 * account); no HoldNotFound for a movement sent after its hold's
 * authorization was answered; no PersistenceFailure, no defect.
 */
export const answerViolations = (rows: StoredRows, lines: readonly CrashLine[]): string[] => {
  const out: string[] = [];
  const entries = new Map(rows.journal.map((row) => [movementKey(row.kind, row.reference), row]));
  const holds = new Map(rows.holds.map((row) => [row.transaction_id, row]));
  const accounts = new Set(rows.accounts.map((row) => row.account_id));
  const appliedAt = new Map<string, number>();
  /** The first answer line of a successful authorization, per transaction id. */
  const authorizedAt = new Map<string, number>();
  for (const line of lines)
    if (line.op.kind === 'authorize' && line.answer.ok && !authorizedAt.has(line.op.input.transactionId))
      authorizedAt.set(line.op.input.transactionId, line.n);
  for (const line of lines) {
    const { op, answer } = line;
    const at = `#${line.n} ${op.kind} ${JSON.stringify(op.input)}`;
    const reference = referenceOf(op);
    const hold = op.kind === 'deposit' ? undefined : holds.get(reference);
    if (answer.ok) {
      const key = movementKey(KIND_OF[op.kind], reference);
      if (movementKey(answer.entry.kind, answer.entry.reference) !== key)
        out.push(`${at}: answered with the entry of ${answer.entry.kind} ${answer.entry.reference}`);
      const stored = entries.get(key);
      if (!stored) {
        out.push(`${at}: answered ${JSON.stringify(answer)}, not in the database`);
        continue;
      }
      if (JSON.stringify(answeredEntryOf(stored)) !== JSON.stringify(answer.entry))
        out.push(`${at}: answered ${JSON.stringify(answer.entry)}, stored ${JSON.stringify(answeredEntryOf(stored))}`);
      if (
        (op.kind === 'deposit' || op.kind === 'authorize' || op.kind === 'capture') &&
        answer.entry.amountMinor !== op.input.amountMinor
      )
        out.push(`${at}: answered an entry of ${answer.entry.amountMinor}`);
      if (answer.applied) {
        const before = appliedAt.get(key);
        if (before !== undefined) out.push(`${at}: applied again (first at #${before})`);
        appliedAt.set(key, line.n);
      }
      const statuses: Record<string, readonly string[]> = {
        authorize: ['HELD', 'VOIDED', 'CAPTURED', 'REVERSED'],
        voidHold: ['VOIDED'],
        capture: ['CAPTURED', 'REVERSED'],
        reverse: ['REVERSED'],
      };
      const allowed = statuses[op.kind];
      if (allowed && !allowed.includes(hold?.status ?? 'none'))
        out.push(`${at}: answered, the hold is ${hold?.status ?? 'missing'}`);
      continue;
    }
    out.push(...refusalViolations(at, line, answer.error, { entries, hold, accounts, authorizedAt }));
  }
  return out;
};

const refusalViolations = (
  at: string,
  line: CrashLine,
  error: Extract<CrashAnswer, { ok: false }>['error'],
  stored: {
    readonly entries: ReadonlyMap<string, JournalRow>;
    readonly hold: HoldRow | undefined;
    readonly accounts: ReadonlySet<string>;
    readonly authorizedAt: ReadonlyMap<string, number>;
  },
): string[] => {
  const { op } = line;
  const { hold, entries } = stored;
  const reference = referenceOf(op);
  const field = (name: string) => String(error[name]);
  const said = `${at}: answered ${JSON.stringify(error)}`;
  switch (error._tag) {
    case 'InsufficientFunds': {
      const figures = hold?.refusal;
      const refused =
        op.kind === 'authorize' &&
        hold?.status === 'REFUSED' &&
        figures !== null &&
        figures !== undefined &&
        hold.account_id === op.input.accountId &&
        hold.amount_minor === op.input.amountMinor &&
        field('accountId') === hold.account_id &&
        field('requestedMinor') === hold.amount_minor &&
        field('availableMinor') === bigintOf(figures.availableMinor).toString() &&
        field('creditLimitMinor') === bigintOf(figures.creditLimitMinor).toString();
      return refused ? [] : [`${said}, the hold is ${JSON.stringify(hold ?? null)}`];
    }
    case 'HoldAlreadySettled': {
      const settledAs = field('settledAs');
      return entries.has(movementKey(settledAs, reference)) ? [] : [`${said}, no ${settledAs} stored`];
    }
    case 'IdempotencyConflict': {
      const claim = entries.get(movementKey(field('kind'), reference));
      if (field('kind') === 'AUTHORIZE') {
        const other =
          op.kind === 'authorize' &&
          hold !== undefined &&
          (hold.account_id !== op.input.accountId || hold.amount_minor !== op.input.amountMinor);
        return other ? [] : [`${said}, the hold is ${JSON.stringify(hold ?? null)}`];
      }
      const other =
        claim !== undefined &&
        (op.kind === 'deposit'
          ? claim.account_id !== op.input.accountId || claim.amount_minor !== op.input.amountMinor
          : op.kind === 'capture' && claim.amount_minor !== op.input.amountMinor);
      return other ? [] : [`${said}, the claim is ${JSON.stringify(claim ?? null)}`];
    }
    case 'HoldNotCaptured': {
      // HELD then may be anything since; VOIDED stays VOIDED
      const status = field('status');
      const consistent =
        hold !== undefined && hold.status !== 'REFUSED' && (status === 'HELD' || hold.status === 'VOIDED');
      return consistent ? [] : [`${said}, the hold is ${JSON.stringify(hold ?? null)}`];
    }
    case 'CaptureExceedsHold':
      return hold !== undefined &&
        hold.status !== 'REFUSED' &&
        field('holdMinor') === hold.amount_minor &&
        op.kind === 'capture' &&
        field('requestedMinor') === op.input.amountMinor
        ? []
        : [`${said}, the hold is ${JSON.stringify(hold ?? null)}`];
    case 'HoldNotFound': {
      const authorized = stored.authorizedAt.get(reference);
      return authorized !== undefined && authorized <= line.after
        ? [`${said}, though sent after its authorization was answered (#${authorized})`]
        : [];
    }
    case 'AccountNotFound':
      return stored.accounts.has(field('accountId')) ? [`${said}, the account is open`] : [];
    default:
      return [said];
  }
};

/** Answers that must come back the same from a store started after the kill. */
const repeatable = (answer: CrashAnswer): boolean =>
  answer.ok ||
  ['InsufficientFunds', 'IdempotencyConflict', 'HoldAlreadySettled'].includes(answer.error._tag) ||
  (answer.error._tag === 'HoldNotCaptured' && answer.error['status'] === 'VOIDED');

/**
 * Sends up to `count` of the answered movements again (picked by `random`)
 * through `store`, a store started after the kill: a success comes back with
 * the same entry, `applied: false`; a refusal that stays one comes back the
 * same. The differences, one sentence each.
 */
export const repeatAnswered = async (
  store: LedgerStoreService,
  lines: readonly CrashLine[],
  random: () => number,
  count: number,
): Promise<string[]> => {
  const candidates = lines.filter((line) => repeatable(line.answer));
  const picked = Array.from(
    new Set(Array.from({ length: Math.min(count, candidates.length) }, () => Math.floor(random() * candidates.length))),
  ).map((index) => candidates[index] as CrashLine);
  const out: string[] = [];
  for (const line of picked) {
    const again = answerOf(await Effect.runPromiseExit(runOperation(store, line.op)));
    const expected: CrashAnswer = line.answer.ok ? { ...line.answer, applied: false } : line.answer;
    if (JSON.stringify(again) !== JSON.stringify(expected))
      out.push(
        `#${line.n} ${line.op.kind} again after the kill: ${JSON.stringify(again)}, before ${JSON.stringify(line.answer)}`,
      );
  }
  return out;
};
