import { type Quote, selectDenomination } from '@airtime/domain';
import { arbitraryCatalogue, arbitraryCurrency, arbitrarySelectionRequest, sampleQuote } from '@airtime/domain/testing';
import { Either } from 'effect';
import fc from 'fast-check';
import { decodeStored, encodeStored } from '../shared/codec-support';
import { QuoteFromJson } from './quote.codec';

const encode = encodeStored(QuoteFromJson);
const decode = decodeStored(QuoteFromJson);
const viaJson = (quote: Quote) =>
  decode(JSON.parse(JSON.stringify(Either.getOrThrow(encode(quote, 'quote')))), 'quote');

const arbitraryQuote = fc
  .tuple(arbitraryCurrency(), arbitraryCurrency(), arbitraryCurrency())
  .chain(([destination, source, other]) =>
    fc.tuple(
      arbitraryCatalogue(destination, [source, other]),
      fc.constantFrom(destination, source).chain((currency) => arbitrarySelectionRequest(currency)),
      fc.option(fc.constantFrom(source, other), { nil: undefined }),
    ),
  )
  .map(([catalogue, request, chargeCurrency]) =>
    selectDenomination(catalogue, chargeCurrency === undefined ? request : { ...request, chargeCurrency }),
  )
  .filter(Either.isRight)
  .map((selected) => selected.right);

describe('quote codec', () => {
  it('gives back every quote the selector makes exactly, through JSON text', () => {
    fc.assert(
      fc.property(arbitraryQuote, (quote) =>
        expect(Either.getOrThrow(viaJson(quote))).toStrictEqual(structuredClone(quote)),
      ),
    );
  });

  it('stores the sample quote as exact, readable JSON', () => {
    expect(Either.getOrThrow(encode(sampleQuote(), 'quote'))).toEqual({
      product: {
        _tag: 'FixedProduct',
        id: 'smart-ph-100',
        name: 'Smart 100 PHP',
        kind: 'AIRTIME',
        operator: { id: 'smart-ph', name: 'Smart', countryIso: 'PH' },
        fee: { amount: '0.0125', currency: 'USD' },
        destination: { amountMinor: '10000', currency: 'PHP' },
        wholesale: { amount: '1.857', currency: 'USD' },
      },
      receive: { amountMinor: '10000', currency: 'PHP' },
      matchedAmount: { amountMinor: '10000', currency: 'PHP' },
      // DVS prices at their own precision; the charged cost rounded up, and by how much
      wholesale: { amount: '1.857', currency: 'USD' },
      fee: { amount: '0.0125', currency: 'USD' },
      costExact: { amount: '1.8695', currency: 'USD' },
      cost: { amountMinor: '187', currency: 'USD' },
      roundingUp: { amount: '0.0005', currency: 'USD' },
      rule: 'LARGEST_AT_OR_BELOW_MAX',
      request: { maxAmount: { amountMinor: '10000', currency: 'PHP' } },
      rate: { source: 'USD', destination: 'PHP', numerator: '100000', denominator: '1857' },
    });
  });

  it('names the path of what does not decode', () => {
    const json = JSON.parse(JSON.stringify(Either.getOrThrow(encode(sampleQuote(), 'quote')))) as Record<
      string,
      unknown
    >;
    const result = decode(
      { ...json, rate: { source: 'USD', destination: 'PHP', numerator: '0', denominator: '19' }, rule: 'CHEAPEST' },
      'quote of top-up t1',
    );
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'PersistenceFailure', retryable: false });
    const reason = Either.isLeft(result) ? result.left.reason : '';
    expect(reason).toMatch(/^quote of top-up t1 does not decode: /);
    expect(reason).toMatch(/rule has an unexpected type or value/);
    expect(reason).toMatch(/rate\.numerator is malformed or out of range/);
  });
});
