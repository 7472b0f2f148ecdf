// The reference model of the top-up workflow's model-based test: which keys
// were requested with which payload, and what each message must answer when
// it comes again. Everything else is checked as invariants of the real world.
import type { InMemoryWorld } from '../../testing';

/** Idempotency keys of the test (one carries a callback URL). */
export const KEYS = ['order-a', 'order-b', 'order-c'] as const;
/** The payload variants of a key: its maximum amount (PHP 100 costs USD 1.86, PHP 300 USD 5.40). */
export const MAX_AMOUNTS = ['100', '300'] as const;
/** The account's funds (minor units of USD): a few top-ups fit, later ones are refused for funds. */
export const FUNDED_MINOR = 1_000n;

export const ACCOUNT_ID = 'account-1';
export const CONSUMER = 'model';

export interface SentMessage {
  readonly externalId: string;
  readonly maxAmount: string;
  /** False when the request was a conflict (nothing claimed, so a redelivery conflicts again). */
  readonly claimed: boolean;
}

export interface WorkflowModel {
  /** The max amount each key was first requested with. */
  readonly requested: Map<string, string>;
  /** By message id, in the order sent. */
  readonly messages: Map<string, SentMessage>;
  nextMessage: number;
}

export const emptyWorkflowModel = (): WorkflowModel => ({ requested: new Map(), messages: new Map(), nextMessage: 1 });

export interface WorkflowReal {
  readonly world: InMemoryWorld;
}

/** The request input of a key and amount; key b asks for callbacks. */
export const requestInputOf = (externalId: string, maxAmount: string) => ({
  external_id: externalId,
  account_id: ACCOUNT_ID,
  phone_number: '+639171234100',
  currency: 'PHP',
  max_amount: maxAmount,
  ...(externalId === 'order-b' ? { callback_url: 'https://caller.example/hook' } : {}),
});

/** The stored top-up of a key, if it was created. */
export const topUpOfKey = (real: WorkflowReal, externalId: string) =>
  [...real.world.database.tables().topUps.values()].find((stored) => stored.topUp.externalId === externalId)?.topUp;
