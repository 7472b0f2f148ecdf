// Test controls under /__simulator/ (no auth, no faults): faults, operator
// outages, reset, balances, the scheduler and the clock, the callback log,
// manual reversals, and seeded transactions (injected, amended).
import {
  type Currency,
  currencyOf,
  type DetailedStatus,
  type Money,
  moneyFromJsonNumber,
  parseMoney,
  parseTransactionStatus,
  describeParseError,
} from '@airtime/domain';
import { Either, Schema } from 'effect';
import type { SimulatorEngine } from '../engine/simulator-engine';
import type { DvsError } from '../engine/simulator.errors';
import type { SimTransaction } from '../engine/transaction.types';
import { decodeFaultsPatch } from '../engine/faults';
import { balanceJson, type Json, transactionJson } from '../json/dvs-json.mapper';
import type { Route, RouteRequest } from './dvs.routes';
import { errorBody, json, type Reply } from './http-io';

const badRequest = (detail: string): Reply => json(400, errorBody(1000400, `Bad Request: ${detail}`));

const AmountInput = Schema.Union(Schema.Number, Schema.String);
const BalanceBody = Schema.Struct({
  available: Schema.optional(AmountInput),
  holding: Schema.optional(AmountInput),
  creditLimit: Schema.optional(AmountInput),
});
const AdvanceBody = Schema.Struct({ ms: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()) });

const Iso = Schema.String.pipe(
  Schema.filter((text) => /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text)), {
    message: () => 'an ISO 8601 date-time',
  }),
);
const InjectBody = Schema.Struct({
  external_id: Schema.String,
  product_id: Schema.Number.pipe(Schema.int(), Schema.positive()),
  credit_party_mobile_number: Schema.optional(Schema.String),
  status: Schema.String,
  creation_date: Schema.optional(Iso),
  destination_amount: Schema.optional(AmountInput),
});
const AmendBody = Schema.Struct({
  status: Schema.optional(Schema.String),
  destination_amount: Schema.optional(AmountInput),
  charged_amount: Schema.optional(AmountInput),
});
const ClockBody = Schema.Struct({ now: Iso });
const OutageBody = Schema.Struct({ down: Schema.Boolean });

const decode = <A, I>(schema: Schema.Schema<A, I>, body: unknown): Either.Either<A, string> =>
  Either.mapLeft(Schema.decodeUnknownEither(schema, { onExcessProperty: 'error' })(body), (error) =>
    describeParseError(error),
  );

const amountOf = (value: number | string | undefined, currency: Currency): Either.Either<Money | undefined, string> => {
  if (value === undefined) return Either.right(undefined);
  const parsed = typeof value === 'number' ? moneyFromJsonNumber(value, currency) : parseMoney(value, currency);
  return Either.mapLeft(parsed, (error) => `${value}: ${error.reason}`);
};

/** A DVS status text ("COMPLETED", "DECLINED-BARRED-CREDIT-PARTY"), or why not. */
const statusOf = (text: string): Either.Either<DetailedStatus, string> =>
  Either.mapBoth(parseTransactionStatus(text), {
    onLeft: () => `status ${text} is not a DVS status`,
    onRight: (status) => status.status,
  });

const clockJson = (engine: SimulatorEngine): Json => ({
  now: new Date(engine.now()).toISOString(),
  nowMs: engine.now(),
});

const schedulerState = (engine: SimulatorEngine): Json => ({
  nowMs: engine.scheduler.now(),
  pending: engine.scheduler.pending().map(({ dueAtMs, label }) => ({ dueAtMs, label })),
});

const faultsJson = (engine: SimulatorEngine): Json => {
  const faults = engine.faults();
  return { ...faults, rateLimitPerSecond: faults.rateLimitPerSecond ?? null };
};

const outagesJson = (engine: SimulatorEngine): Json => ({ operatorIds: [...engine.operatorOutages()] });

export const adminRoutes = (
  engine: SimulatorEngine,
  onReset: () => void,
): readonly (Omit<Route, 'method'> & { readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' })[] => {
  const setFaults = ({ body }: RouteRequest): Reply =>
    Either.match(decodeFaultsPatch(body ?? {}), {
      onLeft: (detail) => badRequest(detail.replace(/\s+/g, ' ')),
      onRight: (patch) => {
        engine.setFaults(patch);
        return json(200, faultsJson(engine));
      },
    });

  const setBalance = (request: RouteRequest): Reply => {
    const code = decodeURIComponent(request.params[0] ?? '');
    const currency = currencyOf(code);
    if (Either.isLeft(currency)) return badRequest(`unknown currency ${code}`);
    const body = decode(BalanceBody, request.body ?? {});
    if (Either.isLeft(body)) return badRequest(body.left);
    const values = Either.all({
      available: amountOf(body.right.available, currency.right),
      holding: amountOf(body.right.holding, currency.right),
      creditLimit: amountOf(body.right.creditLimit, currency.right),
    });
    if (Either.isLeft(values)) return badRequest(values.left);
    const { available, holding, creditLimit } = values.right;
    if (creditLimit && creditLimit.amountMinor < 0n) return badRequest('creditLimit cannot be negative');
    const balance = engine.setBalance(currency.right, {
      ...(available ? { availableMinor: available.amountMinor } : {}),
      ...(holding ? { holdingMinor: holding.amountMinor } : {}),
      ...(creditLimit ? { creditLimitMinor: creditLimit.amountMinor } : {}),
    });
    return json(200, balanceJson(balance));
  };

  const transactionReply = (status: number, result: Either.Either<SimTransaction, DvsError>): Reply =>
    Either.match(result, {
      onLeft: (error) => json(error.httpStatus, errorBody(error.code, error.message)),
      onRight: (transaction) => json(status, transactionJson(engine.catalogue, transaction)),
    });

  const inject = ({ body }: RouteRequest): Reply => {
    const decoded = decode(InjectBody, body ?? {});
    if (Either.isLeft(decoded)) return badRequest(decoded.left);
    const input = decoded.right;
    const status = statusOf(input.status);
    if (Either.isLeft(status)) return badRequest(status.left);
    return transactionReply(
      201,
      engine.injectTransaction({
        externalId: input.external_id,
        productId: input.product_id,
        creditPartyMobileNumber: input.credit_party_mobile_number,
        status: status.right,
        createdAtMs: input.creation_date === undefined ? undefined : Date.parse(input.creation_date),
        destinationAmount: input.destination_amount,
      }),
    );
  };

  const amend = (request: RouteRequest): Reply => {
    const decoded = decode(AmendBody, request.body ?? {});
    if (Either.isLeft(decoded)) return badRequest(decoded.left);
    const text = decoded.right.status;
    const status = text === undefined ? Either.right(undefined) : statusOf(text);
    if (Either.isLeft(status)) return badRequest(status.left);
    return transactionReply(
      200,
      engine.amendTransaction(Number(request.params[0]), {
        status: status.right,
        destinationAmount: decoded.right.destination_amount,
        chargedAmount: decoded.right.charged_amount,
      }),
    );
  };

  const setOutage = (request: RouteRequest): Reply => {
    const decoded = decode(OutageBody, request.body ?? {});
    if (Either.isLeft(decoded)) return badRequest(decoded.left);
    engine.setOperatorOutage(Number(request.params[0]), decoded.right.down);
    return json(200, outagesJson(engine));
  };

  const setClock = ({ body }: RouteRequest): Reply => {
    const decoded = decode(ClockBody, body ?? {});
    if (Either.isLeft(decoded)) return badRequest(decoded.left);
    engine.setNow(Date.parse(decoded.right.now));
    return json(200, clockJson(engine));
  };

  return [
    { method: 'GET', path: /^\/__simulator\/health$/, handle: () => json(200, { status: 'ok' }) },
    { method: 'GET', path: /^\/__simulator\/faults$/, handle: () => json(200, faultsJson(engine)) },
    { method: 'PUT', path: /^\/__simulator\/faults$/, handle: setFaults },
    { method: 'PATCH', path: /^\/__simulator\/faults$/, handle: setFaults },
    { method: 'POST', path: /^\/__simulator\/faults$/, handle: setFaults },
    { method: 'GET', path: /^\/__simulator\/outages$/, handle: () => json(200, outagesJson(engine)) },
    { method: 'PUT', path: /^\/__simulator\/operators\/(\d{1,9})\/outage$/, handle: setOutage },
    {
      method: 'POST',
      path: /^\/__simulator\/reset$/,
      handle: () => {
        engine.reset();
        onReset();
        return json(200, { reset: true });
      },
    },
    { method: 'PUT', path: /^\/__simulator\/balances\/([A-Za-z]{3})$/, handle: setBalance },
    { method: 'POST', path: /^\/__simulator\/balances\/([A-Za-z]{3})$/, handle: setBalance },
    { method: 'GET', path: /^\/__simulator\/scheduler$/, handle: () => json(200, schedulerState(engine)) },
    {
      method: 'POST',
      path: /^\/__simulator\/scheduler\/advance$/,
      handle: async ({ body }) => {
        const decoded = decode(AdvanceBody, body ?? {});
        if (Either.isLeft(decoded)) return badRequest(decoded.left);
        await engine.advance(decoded.right.ms);
        return json(200, schedulerState(engine));
      },
    },
    {
      method: 'POST',
      path: /^\/__simulator\/scheduler\/flush$/,
      handle: async () => {
        await engine.flush();
        return json(200, schedulerState(engine));
      },
    },
    {
      method: 'GET',
      path: /^\/__simulator\/callbacks$/,
      handle: () =>
        json(
          200,
          engine.callbackLog().map((attempt) => ({ ...attempt })),
        ),
    },
    {
      method: 'POST',
      path: /^\/__simulator\/transactions\/(\d+)\/reverse$/,
      handle: (request) => transactionReply(200, engine.reverse(Number(request.params[0]))),
    },
    { method: 'POST', path: /^\/__simulator\/transactions$/, handle: inject },
    { method: 'PATCH', path: /^\/__simulator\/transactions\/(\d+)$/, handle: amend },
    { method: 'GET', path: /^\/__simulator\/clock$/, handle: () => json(200, clockJson(engine)) },
    { method: 'PUT', path: /^\/__simulator\/clock$/, handle: setClock },
  ];
};
