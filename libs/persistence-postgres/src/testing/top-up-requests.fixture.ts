// Top-ups and their stored requests for the request store's specs.
import type { StoredTopUpRequest } from '@airtime/application';
import { createTopUp, parseExternalId, type TopUp } from '@airtime/domain';
import { sampleNewTopUp } from '@airtime/domain/testing';
import { Either } from 'effect';

/** A new top-up (the domain's sample) under this id, account and external id. */
export const sampleTopUp = (id: string, accountId: string, externalId: string): TopUp =>
  Either.getOrThrow(
    createTopUp(sampleNewTopUp({ id, accountId, externalId: Either.getOrThrow(parseExternalId(externalId)) })),
  ).topUp;

/** The request stored with `topUp`: its keys, `request` as the body, `callbackUrl`, and a token made from its id. */
export const storedRequestOf = (
  topUp: TopUp,
  request: Readonly<Record<string, unknown>>,
  callbackUrl: string | undefined,
  overrides: Partial<StoredTopUpRequest> = {},
): StoredTopUpRequest => ({
  topUpId: topUp.id,
  accountId: topUp.accountId,
  externalId: topUp.externalId,
  request,
  callbackUrl,
  callbackToken: `token-${topUp.id}-0123456789abcdef`,
  ...overrides,
});
