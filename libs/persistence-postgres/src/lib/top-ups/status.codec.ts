import { parseTransactionStatus, type TransactionStatus } from '@airtime/domain';
import { Either } from 'effect';

/** A stored class and detailed status, exactly as the catalogue spells them and agreeing with each other. */
export const statusOf = (statusClass: string, status: string): Either.Either<TransactionStatus, string> =>
  Either.flatMap(
    Either.mapLeft(parseTransactionStatus(status), () => `unknown status ${JSON.stringify(status)}`),
    (parsed) =>
      parsed.status !== status
        ? Either.left(`status ${JSON.stringify(status)} is not spelled as in the catalogue`)
        : parsed.class !== statusClass
          ? Either.left(`status ${status} is of class ${parsed.class}, not ${JSON.stringify(statusClass)}`)
          : Either.right(parsed),
  );
