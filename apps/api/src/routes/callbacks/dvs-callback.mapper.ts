// A DT One DVS callback body (the transaction object DVS POSTs to the
// callback URL, reference: dtone-dvs-api-reference.txt, "Callbacks") read
// into the domain's ProviderCallback with the DVS adapter's own schema and
// transaction mapper: the status (class decides), our external id, DVS's
// transaction id and the delivered amount, exact.
import type { ProviderCallback } from '@airtime/domain';
import { callbackOfDvs, DvsTransaction } from '@airtime/provider-dtone';
import { Either } from 'effect';
import type { InvalidRequest } from '../../http/http.errors';
import { decodeCallbackBody, invalidCallbackBody } from './callback-body.check';

const decodeTransaction = decodeCallbackBody(DvsTransaction);

/**
 * The status update a DVS callback body carries. A body that is not a DVS
 * transaction object, whose status names no status of the reference, or
 * whose delivered amount cannot be read exactly (or is not positive, or not
 * in the currency asked) is InvalidRequest (400) naming the field; fields we
 * do not read are ignored.
 */
export const dvsCallbackOf = (body: unknown): Either.Either<ProviderCallback, InvalidRequest> =>
  Either.flatMap(decodeTransaction(body), (transaction) =>
    Either.mapLeft(callbackOfDvs(transaction), (error) =>
      error._tag === 'ProviderAnswerMismatch'
        ? invalidCallbackBody(error.reason, error.field)
        : invalidCallbackBody(error.reason, 'status'),
    ),
  );
