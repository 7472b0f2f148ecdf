// Where the simulated DVS platform keeps its transactions: by transaction id,
// with an index by external id kept in step with every write, so that a
// lookup by either costs the same however many transactions there are.
import type { SimTransaction } from './transaction.types';

const EMPTY: readonly number[] = [];

/**
 * The transactions of one engine, each stored under its id (its latest
 * version: a status change or an amendment replaces it) and indexed by its
 * external id. Several transactions may share an external id (seeded
 * duplicates at DVS): the index keeps all of their ids in ascending order, so
 * that "the newest" is the one with the highest id.
 *
 * Every write goes through `put` (and `clear`), which keeps the index in step.
 */
export class TransactionIndex {
  private readonly byId = new Map<number, SimTransaction>();
  /** External id -> ids of its transactions, ascending. */
  private readonly idsByExternalId = new Map<string, number[]>();

  /** Number of transactions stored. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * Stores `transaction` under its id: a new one is indexed under its external
   * id, a known one replaces the stored version (moved in the index should
   * its external id differ). O(1) for a new id above every id stored (the
   * engine's ids only grow) and for a replacement under the same external id.
   */
  put(transaction: SimTransaction): void {
    const previous = this.byId.get(transaction.id);
    this.byId.set(transaction.id, transaction);
    if (previous !== undefined) {
      if (previous.externalId === transaction.externalId) return;
      this.unindex(previous.externalId, transaction.id);
    }
    this.index(transaction.externalId, transaction.id);
  }

  /** The transaction stored under `id`, or undefined. O(1). */
  get(id: number): SimTransaction | undefined {
    return this.byId.get(id);
  }

  /** Whether some transaction is stored under `externalId`. O(1). */
  hasExternalId(externalId: string): boolean {
    return this.idsByExternalId.has(externalId);
  }

  /** The transaction with the highest id under `externalId` (the newest), or undefined. O(1). */
  newestByExternalId(externalId: string): SimTransaction | undefined {
    const ids = this.idsByExternalId.get(externalId) ?? EMPTY;
    const newest = ids[ids.length - 1];
    return newest === undefined ? undefined : this.byId.get(newest);
  }

  /** The transactions under `externalId`, ascending by id ([] for none). O(k) for k of them. */
  byExternalId(externalId: string): SimTransaction[] {
    const ids = this.idsByExternalId.get(externalId) ?? EMPTY;
    const found: SimTransaction[] = [];
    for (const id of ids) {
      const transaction = this.byId.get(id);
      if (transaction !== undefined) found.push(transaction);
    }
    return found;
  }

  /** Every stored transaction, in first-stored order. */
  values(): IterableIterator<SimTransaction> {
    return this.byId.values();
  }

  /** Forgets every transaction. */
  clear(): void {
    this.byId.clear();
    this.idsByExternalId.clear();
  }

  private index(externalId: string, id: number): void {
    const ids = this.idsByExternalId.get(externalId);
    if (ids === undefined) {
      this.idsByExternalId.set(externalId, [id]);
      return;
    }
    const last = ids[ids.length - 1];
    if (last === undefined || last < id) {
      ids.push(id);
      return;
    }
    // out of order (not done by the engine, whose ids only grow): keep ascending
    let at = ids.length;
    while (at > 0 && (ids[at - 1] ?? 0) > id) at -= 1;
    ids.splice(at, 0, id);
  }

  private unindex(externalId: string, id: number): void {
    const ids = this.idsByExternalId.get(externalId);
    if (ids === undefined) return;
    const at = ids.indexOf(id);
    if (at !== -1) ids.splice(at, 1);
    if (ids.length === 0) this.idsByExternalId.delete(externalId);
  }
}
