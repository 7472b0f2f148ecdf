import type { DetailedStatus, Money } from '@airtime/domain';
import type { SandboxOutcome } from './sandbox-rules';

export type CalculationMode = 'SOURCE_AMOUNT' | 'DESTINATION_AMOUNT';

/**
 * A requested amount: a unit (currency code) and either a JSON number (as DVS
 * receives it over HTTP) or an exact decimal text in major units ("10.07",
 * "1.234"), which in-process callers pass so that no float is involved.
 */
export interface RequestedAmount {
  readonly unit: string;
  readonly amount: number | string;
}

/** Free-form party details (sender, beneficiary, identifiers), echoed back as received. */
export type PartyFields = Readonly<Record<string, string>>;

export interface CreateTransactionInput {
  readonly externalId: string;
  readonly productId: number;
  readonly autoConfirm: boolean;
  readonly calculationMode?: CalculationMode | undefined;
  readonly source?: RequestedAmount | undefined;
  readonly destination?: RequestedAmount | undefined;
  readonly creditPartyIdentifier?: PartyFields | undefined;
  readonly debitPartyIdentifier?: PartyFields | undefined;
  readonly sender?: PartyFields | undefined;
  readonly beneficiary?: PartyFields | undefined;
  readonly statementIdentifier?: PartyFields | undefined;
  readonly additionalIdentifier?: PartyFields | undefined;
  readonly callbackUrl?: string | undefined;
}

/** What a transaction costs and delivers. */
export interface TransactionPricing {
  readonly requestedSource: Money;
  readonly requestedDestination: Money;
  readonly source: Money;
  readonly destination: Money;
  /** Wholesale price (excluding the fee), in the source currency. */
  readonly wholesale: Money;
  readonly wholesaleFee: Money;
  readonly retail: Money;
  readonly retailFee: Money;
}

export interface StatusChange {
  readonly status: DetailedStatus;
  readonly atMs: number;
}

export interface SimTransaction {
  readonly id: number;
  readonly externalId: string;
  readonly productId: number;
  readonly createdAtMs: number;
  readonly confirmationExpiresAtMs: number;
  readonly confirmedAtMs?: number | undefined;
  readonly status: DetailedStatus;
  readonly history: readonly StatusChange[];
  readonly pricing: TransactionPricing;
  readonly outcome: SandboxOutcome;
  readonly operatorReference?: string | undefined;
  readonly pin?: { readonly code: string; readonly serial: string };
  readonly creditPartyIdentifier?: PartyFields | undefined;
  readonly debitPartyIdentifier?: PartyFields | undefined;
  readonly sender?: PartyFields | undefined;
  readonly beneficiary?: PartyFields | undefined;
  readonly statementIdentifier?: PartyFields | undefined;
  readonly additionalIdentifier?: PartyFields | undefined;
  readonly callbackUrl?: string | undefined;
  /** Injected or amended by a test: the simulation leaves it as it is (no scheduled status change, no callback). */
  readonly seeded?: true | undefined;
}
