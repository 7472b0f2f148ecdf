import { InitialSchema1763900000000 } from './1763900000000-initial-schema.migration';
import { IdentifierRules1764000000000 } from './1764000000000-identifier-rules.migration';
import { InvisibleIdentifierCharacters1764100000000 } from './1764100000000-invisible-identifier-characters.migration';
import { TopUpFlow1764200000000 } from './1764200000000-top-up-flow.migration';
import { OutboxSequence1764300000000 } from './1764300000000-outbox-sequence.migration';
import { ApiAccess1764400000000 } from './1764400000000-api-access.migration';
import { Reconciliation1764500000000 } from './1764500000000-reconciliation.migration';
import { LedgerBatchGuard1764600000000 } from './1764600000000-ledger-batch-guard.migration';
import { InlineIdentifierCheck1764700000000 } from './1764700000000-inline-identifier-check.migration';
import { ConsoleSessions1764800000000 } from './1764800000000-console-sessions.migration';
import { TransferLogConsole1764900000000 } from './1764900000000-transfer-log-console.migration';
import { LedgerBatchWrite1765000000000 } from './1765000000000-ledger-batch-write.migration';
import { LedgerBatchWriteGenericPlan1765100000000 } from './1765100000000-ledger-batch-write-generic-plan.migration';
import { LedgerBatchWriteAccountsFirst1765200000000 } from './1765200000000-ledger-batch-write-accounts-first.migration';

/** Every committed migration, oldest first. */
export const migrations = [
  InitialSchema1763900000000,
  IdentifierRules1764000000000,
  InvisibleIdentifierCharacters1764100000000,
  TopUpFlow1764200000000,
  OutboxSequence1764300000000,
  ApiAccess1764400000000,
  Reconciliation1764500000000,
  LedgerBatchGuard1764600000000,
  InlineIdentifierCheck1764700000000,
  ConsoleSessions1764800000000,
  TransferLogConsole1764900000000,
  LedgerBatchWrite1765000000000,
  LedgerBatchWriteGenericPlan1765100000000,
  LedgerBatchWriteAccountsFirst1765200000000,
];
