// The port's `listTransactions` on DVS: `GET /transactions` with from_date
// and to_date, every page followed (per_page 100, 429 and quota waits in the
// HTTP layer), the window split into pieces DVS accepts, each item read
// strictly (creation date, status, delivered amount, what it charged).
import {
  type ListProgress,
  type ProviderError,
  ProviderResponseInvalid,
  type ProviderTransaction,
  sameListing,
  type TransactionWindow,
} from '@airtime/domain';
import { Effect, Either } from 'effect';
import type { DvsClient } from '../client/dvs.client';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';
import { chargedOfDvs, createdAtOfDvs, mapDvsTransaction } from '../mappers/dvs-transaction.mapper';
import type { DvsTransaction } from '../schemas/dvs-transaction.schema';
import { DVS_MAX_LIST_WINDOW_MS, isInWindow, splitWindow } from './transaction-window';

export interface DtOneTransactionListOptions {
  /** Longest window asked for in one listing (default DVS_MAX_LIST_WINDOW_MS, a day); longer ones are split. */
  readonly maxWindowMs?: number | undefined;
}

const invalid = (reason: string) => new ProviderResponseInvalid({ provider: DTONE_PROVIDER_ID, reason });

const describeWindow = (window: TransactionWindow): string =>
  `${window.from.toISOString()}..${window.to.toISOString()}`;

/** A repeat of a listing (a page read again): the domain's same listing (status, amounts), and the same creation date. */
const repeatedListing = (a: ProviderTransaction, b: ProviderTransaction): boolean =>
  sameListing(a, b) && a.createdAt?.getTime() === b.createdAt?.getTime();

/** Where the `index`th item (from 0) of a listing was, counted from 1 for people, given the item counts of its pages. */
const positionOf = (pageSizes: readonly number[], index: number): string => {
  let first = 0;
  for (const [page, size] of pageSizes.entries()) {
    if (index < first + size) return `page ${page + 1} item ${index - first + 1}`;
    first += size;
  }
  return `item ${index + 1}`;
};

/**
 * One item of a listing as the port reports it, read strictly: an item
 * without a readable creation date, with a status or amount that cannot be
 * read, or whose charge cannot be read, fails the listing naming where it is
 * (never left out: a missing item would be reported missing at DVS);
 * `where` is called only then (the text is built on failure alone).
 */
const itemOf = (
  item: DvsTransaction,
  where: () => string,
): Either.Either<ProviderTransaction, ProviderResponseInvalid> => {
  const problem = (field: string | undefined, reason: string) =>
    invalid(`${where()} (DVS transaction ${item.id}): ${field === undefined ? '' : `${field}: `}${reason}`);
  const named = (error: { readonly reason: string; readonly field?: string }) => problem(error.field, error.reason);
  return Either.gen(function* () {
    const mapped = yield* Either.mapLeft(mapDvsTransaction(item), named);
    const createdAt = yield* Either.mapLeft(createdAtOfDvs(item), named);
    if (createdAt === undefined) return yield* Either.left(problem('creation_date', 'missing'));
    const charged = yield* Either.mapLeft(chargedOfDvs(item), named);
    return Object.freeze({ ...mapped, createdAt, ...(charged === undefined ? {} : { charged }) });
  });
};

/**
 * Every DVS transaction created in `window` (`from <= creation_date < to`),
 * oldest first (then by DVS id), each once; a transaction DVS listed twice
 * differently (its status changed while the pages were read) is answered
 * with each listing, in the order read, never one picked silently: the
 * reconciler reports it (CONFLICTING_LISTINGS) and settles nothing from
 * it; a repeat alike (a page read again) is kept once. DVS's dates are
 * inclusive, so an item created at `to` exactly (or outside the piece asked,
 * as DVS may widen it) is dropped here. `onPage` is told after each page: the items fetched
 * so far, the pages read so far, and the totals once the last piece of the
 * window is being read (DVS's `X-Total`/`X-Total-Pages`; exact for a window
 * of one piece, counting DVS's inclusive bound).
 */
export const makeDtOneTransactionList =
  (client: DvsClient, options: DtOneTransactionListOptions = {}) =>
  (
    window: TransactionWindow,
    onPage?: (progress: ListProgress) => void,
  ): Effect.Effect<readonly ProviderTransaction[], ProviderError> =>
    Effect.gen(function* () {
      const pieces = splitWindow(window, options.maxWindowMs ?? DVS_MAX_LIST_WINDOW_MS);
      const byId = new Map<string, ProviderTransaction[]>();
      let fetched = 0;
      let pagesRead = 0;
      for (const [pieceIndex, piece] of pieces.entries()) {
        const last = pieceIndex === pieces.length - 1;
        const fetchedBefore = fetched;
        const pagesBefore = pagesRead;
        const pageSizes: number[] = [];
        const items = yield* client
          .transactions(
            { fromDate: piece.from, toDate: piece.to },
            {
              onPage: (read) => {
                pageSizes.push(read.items);
                fetched += read.items;
                pagesRead += 1;
                onPage?.({
                  fetched,
                  page: pagesRead,
                  total: last && read.info.total !== undefined ? fetchedBefore + read.info.total : undefined,
                  pages: last && read.info.totalPages !== undefined ? pagesBefore + read.info.totalPages : undefined,
                });
              },
            },
          )
          .pipe(
            Effect.mapError((error) =>
              error._tag === 'ProviderResponseInvalid'
                ? invalid(`listing ${describeWindow(piece)}, page ${pageSizes.length + 1}: ${error.reason}`)
                : error,
            ),
          );
        for (const [index, item] of items.entries()) {
          const read = itemOf(item, () => `listing ${describeWindow(piece)}, ${positionOf(pageSizes, index)}`);
          if (Either.isLeft(read)) return yield* Effect.fail(read.left);
          const transaction = read.right;
          if (transaction.createdAt !== undefined && isInWindow(piece, transaction.createdAt)) {
            const listings = byId.get(transaction.providerTransactionId) ?? [];
            if (!listings.some((listing) => repeatedListing(listing, transaction)))
              byId.set(transaction.providerTransactionId, [...listings, transaction]);
          }
        }
      }
      return [...byId.values()]
        .flat()
        .sort(
          (a, b) =>
            (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) ||
            Number(a.providerTransactionId) - Number(b.providerTransactionId),
        );
    });
