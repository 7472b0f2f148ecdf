// Decoding of DVS request bodies and query strings: anything malformed is a 400 (1000400), never a crash.
import { describeParseError } from '@airtime/domain';
import { Either, ParseResult, Schema } from 'effect';
import { BENEFIT_TYPES, type BenefitType, PRODUCT_TYPES, type ProductType } from '../engine/catalogue.types';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE, type PageRequest } from '../engine/pagination';
import { dvsError, type DvsError } from '../engine/simulator.errors';
import type { CreateTransactionInput, PartyFields } from '../engine/transaction.types';

const RequestedAmount = Schema.Struct({
  unit_type: Schema.optional(Schema.NullOr(Schema.Literal('CURRENCY'))),
  unit: Schema.String,
  amount: Schema.Number.pipe(Schema.finite()),
});

const Party = Schema.Record({ key: Schema.String, value: Schema.String });

const HttpUrl = Schema.String.pipe(
  Schema.filter((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'expected an http(s) URL';
    } catch {
      return 'expected an absolute URL';
    }
  }),
);

export const CreateTransactionBody = Schema.Struct({
  external_id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(40), Schema.pattern(/^\S+$/)),
  product_id: Schema.Number.pipe(Schema.int(), Schema.positive()),
  calculation_mode: Schema.optional(Schema.NullOr(Schema.Literal('SOURCE_AMOUNT', 'DESTINATION_AMOUNT'))),
  source: Schema.optional(Schema.NullOr(RequestedAmount)),
  destination: Schema.optional(Schema.NullOr(RequestedAmount)),
  auto_confirm: Schema.optional(Schema.Boolean),
  sender: Schema.optional(Schema.NullOr(Party)),
  beneficiary: Schema.optional(Schema.NullOr(Party)),
  debit_party_identifier: Schema.optional(Schema.NullOr(Party)),
  credit_party_identifier: Schema.optional(Schema.NullOr(Party)),
  statement_identifier: Schema.optional(Schema.NullOr(Party)),
  additional_identifier: Schema.optional(Schema.NullOr(Party)),
  callback_url: Schema.optional(Schema.NullOr(HttpUrl)),
});

export type CreateTransactionBody = typeof CreateTransactionBody.Type;

const badRequest = (error: ParseResult.ParseError): DvsError => dvsError(1000400, describeParseError(error));

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

const party = (name: keyof CreateTransactionInput, value: PartyFields | null | undefined) =>
  present(value) ? { [name]: value } : {};

export const decodeCreateTransaction = (body: unknown): Either.Either<CreateTransactionInput, DvsError> =>
  Either.map(Either.mapLeft(Schema.decodeUnknownEither(CreateTransactionBody)(body), badRequest), (decoded) => ({
    externalId: decoded.external_id,
    productId: decoded.product_id,
    autoConfirm: decoded.auto_confirm ?? false,
    ...(present(decoded.calculation_mode) ? { calculationMode: decoded.calculation_mode } : {}),
    ...(present(decoded.source) ? { source: { unit: decoded.source.unit, amount: decoded.source.amount } } : {}),
    ...(present(decoded.destination)
      ? { destination: { unit: decoded.destination.unit, amount: decoded.destination.amount } }
      : {}),
    ...party('creditPartyIdentifier', decoded.credit_party_identifier),
    ...party('debitPartyIdentifier', decoded.debit_party_identifier),
    ...party('sender', decoded.sender),
    ...party('beneficiary', decoded.beneficiary),
    ...party('statementIdentifier', decoded.statement_identifier),
    ...party('additionalIdentifier', decoded.additional_identifier),
    ...(present(decoded.callback_url) ? { callbackUrl: decoded.callback_url } : {}),
  }));

export const LookupBody = Schema.Struct({
  mobile_number: Schema.String,
  page: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.positive())),
  per_page: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.between(1, MAX_PER_PAGE))),
});

export const decodeLookupBody = (body: unknown): Either.Either<typeof LookupBody.Type, DvsError> =>
  Either.mapLeft(Schema.decodeUnknownEither(LookupBody)(body), badRequest);

const ISO3 = /^[A-Z]{3}$/;
const POSITIVE_INT = /^[1-9]\d{0,15}$/;

/**
 * Reads query parameters; the first invalid one is kept in `error` (and
 * its reader returns undefined), so a handler checks `error` once.
 */
export class QueryReader {
  error: DvsError | undefined;

  constructor(private readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    const value = this.params.get(name);
    if (value === null) return undefined;
    if (value.length === 0) return this.fail(`${name} must not be empty`);
    return value;
  }

  positiveInt(name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = this.params.get(name);
    if (value === null) return undefined;
    if (!POSITIVE_INT.test(value) || Number(value) > max)
      return this.fail(`${name} must be an integer from 1 to ${max}`);
    return Number(value);
  }

  iso3(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return ISO3.test(value) ? value : this.fail(`${name} must be an ISO 3166-1 alpha-3 code`);
  }

  productType(name: string): ProductType | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return (PRODUCT_TYPES as readonly string[]).includes(value)
      ? (value as ProductType)
      : this.fail(`${name} must be one of ${PRODUCT_TYPES.join(', ')}`);
  }

  /** `name=a&name=b`, `name=a,b` or `name[]=a`. */
  list(name: string): readonly string[] | undefined {
    const values = [...this.params.getAll(name), ...this.params.getAll(`${name}[]`)].flatMap((value) =>
      value.split(','),
    );
    if (values.length === 0) return undefined;
    if (values.some((value) => value.trim().length === 0)) return this.fail(`${name} must not contain empty values`);
    return [...new Set(values.map((value) => value.trim()))];
  }

  benefitTypes(name: string): readonly BenefitType[] | undefined {
    const values = this.list(name);
    if (values === undefined) return undefined;
    return values.every((value) => (BENEFIT_TYPES as readonly string[]).includes(value))
      ? (values as readonly BenefitType[])
      : this.fail(`${name} must be among ${BENEFIT_TYPES.join(', ')}`);
  }

  /** An ISO 8601 date-time, as epoch ms. */
  dateTime(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
    return Number.isNaN(parsed) ? this.fail(`${name} must be an ISO 8601 date-time`) : parsed;
  }

  /** An E.164 number; a leading space is read as the "+" that an unencoded query turned into one. */
  mobileNumber(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = raw.replace(/^ (?=\d)/, '+');
    return /^\+[1-9]\d{6,14}$/.test(value) ? value : this.fail(`${name} must be an E.164 number`);
  }

  page(): PageRequest {
    return {
      page: this.positiveInt('page') ?? 1,
      perPage: this.positiveInt('per_page', MAX_PER_PAGE) ?? DEFAULT_PER_PAGE,
    };
  }

  private fail(detail: string): undefined {
    this.error ??= dvsError(1000400, detail);
    return undefined;
  }
}
