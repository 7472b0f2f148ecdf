import {
  attemptFailed,
  attemptSucceeded,
  createTopUp,
  currencyOf,
  money,
  recordAttemptOutcome,
  startAttempt,
  type RangedProduct,
} from '@airtime/domain';
import { sampleNewTopUp, sampleQuote } from '@airtime/domain/testing';
import { Either, Schema } from 'effect';
import { productView, quoteView, topUpView } from './top-up-view.mapper';
import { ProductView, QuoteView, TopUpView } from './top-up-view.schema';

const created = () => Either.getOrThrow(createTopUp(sampleNewTopUp())).topUp;
const later = new Date(Date.UTC(2025, 0, 1, 12, 0, 5));

describe('the top-up view', () => {
  it('shows the quote exactly: amounts as decimal strings at their precision, the rule in words, the rate', () => {
    const view = quoteView(sampleQuote());
    expect(view).toEqual({
      product: {
        id: 'smart-ph-100',
        name: 'Smart 100 PHP',
        kind: 'AIRTIME',
        operator: { id: 'smart-ph', name: 'Smart', country_iso: 'PH' },
        fee: { amount: '0.0125', currency: 'USD' },
        type: 'FIXED',
        destination: { amount: '100.00', currency: 'PHP' },
        wholesale: { amount: '1.857', currency: 'USD' },
      },
      receive: { amount: '100.00', currency: 'PHP' },
      matched_amount: { amount: '100.00', currency: 'PHP' },
      cost: { amount: '1.87', currency: 'USD' },
      cost_parts: {
        wholesale: { amount: '1.857', currency: 'USD' },
        fee: { amount: '0.0125', currency: 'USD' },
        exact: { amount: '1.8695', currency: 'USD' },
        rounding_up: { amount: '0.0005', currency: 'USD' },
      },
      rule: 'LARGEST_AT_OR_BELOW_MAX',
      explanation:
        'no desired amount was given: PHP 100.00 is the largest amount offered at or below the maximum PHP 100.00',
      request: { max_amount: { amount: '100.00', currency: 'PHP' }, desired_amount: null },
      rate: { source: 'USD', destination: 'PHP', value: '53.850296', numerator: '100000', denominator: '1857' },
    });
    expect(Schema.is(QuoteView)(view)).toBe(true);
  });

  it('explains a desired amount and its fallback', () => {
    const php = Either.getOrThrow(currencyOf('PHP'));
    const quote = sampleQuote();
    const desired = { ...quote, rule: 'SMALLEST_AT_OR_ABOVE_DESIRED' as const };
    const withDesired = { ...desired, request: { maxAmount: money(15_000n, php), desiredAmount: money(9_000n, php) } };
    expect(quoteView(withDesired).explanation).toBe(
      'PHP 100.00 is the smallest amount offered at or above the desired PHP 90.00 and at most the maximum PHP 150.00',
    );
    expect(quoteView({ ...withDesired, rule: 'LARGEST_AT_OR_BELOW_MAX_FALLBACK' }).explanation).toMatch(
      /^no amount is offered from the desired PHP 90\.00 to the maximum PHP 150\.00: PHP 100\.00 is the largest/,
    );
    expect(quoteView(withDesired).request.desired_amount).toEqual({ amount: '90.00', currency: 'PHP' });
  });

  it('shows a ranged product with its bounds, step and rate', () => {
    const php = Either.getOrThrow(currencyOf('PHP'));
    const fixed = sampleQuote().product;
    const ranged: RangedProduct = {
      _tag: 'RangedProduct',
      id: 'smart-range',
      name: 'Smart any amount',
      kind: 'AIRTIME',
      operator: fixed.operator,
      fee: fixed.fee,
      destinationMin: money(5_000n, php),
      destinationMax: money(100_000n, php),
      stepMinor: 100n,
      rate: sampleQuote().rate,
    };
    const view = productView(ranged);
    expect(view).toMatchObject({
      type: 'RANGED',
      destination_min: { amount: '50.00', currency: 'PHP' },
      destination_max: { amount: '1000.00', currency: 'PHP' },
      step: { amount: '1.00', currency: 'PHP' },
      rate: { source: 'USD', destination: 'PHP' },
    });
    expect(Schema.is(ProductView)(view)).toBe(true);
  });

  it('shows a new top-up: CREATED, no attempts, its callback URL and metadata when given', () => {
    const view = topUpView(created(), { callbackUrl: 'https://acme.example/cb', metadata: { order: 42 } });
    expect(view).toMatchObject({
      id: 'topup-1',
      external_id: 'order-42',
      account_id: 'account-1',
      status: { id: 'CREATED', message: 'Created', class: 'CREATED' },
      phone_number: '+639171234100',
      attempts: [],
      failure: null,
      next_attempt_at: null,
      awaiting_status_query: false,
      callback_url: 'https://acme.example/cb',
      metadata: { order: 42 },
      created_at: '2025-01-01T12:00:00.000Z',
      updated_at: '2025-01-01T12:00:00.000Z',
    });
    expect(Schema.is(TopUpView)(view)).toBe(true);
    // in lists there are no extras: the fields are absent, not null
    expect(Object.keys(topUpView(created()))).not.toContain('metadata');
    expect(topUpView(created(), {})).toMatchObject({ callback_url: null, metadata: null });
  });

  it('shows attempts with their provider status, and a final failure', () => {
    const started = Either.getOrThrow(startAttempt(created(), later, 'dtone')).topUp;
    const completed = Either.getOrThrow(recordAttemptOutcome(started, attemptSucceeded('dvs-9001'), later)).topUp;
    const view = topUpView(completed);
    expect(view.status).toEqual({ id: 'COMPLETED', message: 'Completed', class: 'COMPLETED' });
    expect(view.attempts).toEqual([
      {
        number: 1,
        provider: 'dtone',
        provider_external_id: expect.stringMatching(/^order-42-/),
        provider_transaction_id: 'dvs-9001',
        state: 'Succeeded',
        status: { id: 'COMPLETED', message: 'Completed', class: 'COMPLETED' },
        failure: null,
        unknown_reason: null,
        started_at: later.toISOString(),
        updated_at: later.toISOString(),
      },
    ]);

    const declined = Either.getOrThrow(
      recordAttemptOutcome(
        started,
        attemptFailed({ reason: 'DECLINED_BY_OPERATOR', status: 'DECLINED-BARRED-CREDIT-PARTY' }),
        later,
      ),
    ).topUp;
    const failed = topUpView(declined);
    expect(failed.status).toEqual({
      id: 'DECLINED-BARRED-CREDIT-PARTY',
      message: 'Declined - Credit party is barred',
      class: 'DECLINED',
    });
    expect(failed.failure).toMatchObject({ reason: 'DECLINED_BY_OPERATOR', attempts_exhausted: false });
    expect(failed.attempts[0]?.failure).toMatchObject({ reason: 'DECLINED_BY_OPERATOR', retryable: false });
    expect(Schema.is(TopUpView)(failed)).toBe(true);
  });
});
