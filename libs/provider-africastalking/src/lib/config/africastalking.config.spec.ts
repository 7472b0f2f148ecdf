import { currencyOf, money } from '@airtime/domain';
import { Either, Redacted } from 'effect';
import {
  AFRICASTALKING_PRODUCTION_URL,
  AFRICASTALKING_SANDBOX_URL,
  africasTalkingConfigFrom,
} from './africastalking.config';
import { parseAmountRanges } from '@airtime/provider-http-kit';

const KES = Either.getOrThrow(currencyOf('KES'));
const UGX = Either.getOrThrow(currencyOf('UGX'));
const SECRET = 'atsk_live_do-not-leak-9f8e7d';

describe("Africa's Talking configuration", () => {
  it('reads every setting from the environment', () => {
    const config = Either.getOrThrow(
      africasTalkingConfigFrom({
        AFRICASTALKING_USERNAME: 'airtime-app',
        AFRICASTALKING_API_KEY: SECRET,
        AFRICASTALKING_BASE_URL: 'https://at-proxy.internal:8443/',
        AFRICASTALKING_TIMEOUT_MS: '4500',
        AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:10000, UG:UGX:500:200000:500',
        UNRELATED: 'ignored',
      }),
    );
    expect(config).toMatchObject({
      username: 'airtime-app',
      baseUrl: 'https://at-proxy.internal:8443',
      timeoutMs: 4_500,
    });
    expect(Redacted.value(config.apiKey)).toBe(SECRET);
    expect(String(config.apiKey)).not.toContain(SECRET);
    expect(config.amountRanges).toEqual([
      { countryIso: 'KE', min: money(1_000n, KES), max: money(1_000_000n, KES), stepMinor: 100n },
      { countryIso: 'UG', min: money(500n, UGX), max: money(200_000n, UGX), stepMinor: 500n },
    ]);
  });

  it('defaults the base URL from the username (sandbox or production), the timeout, and no ranges', () => {
    const sandbox = Either.getOrThrow(
      africasTalkingConfigFrom({ AFRICASTALKING_USERNAME: 'sandbox', AFRICASTALKING_API_KEY: SECRET }),
    );
    expect(sandbox).toMatchObject({ baseUrl: AFRICASTALKING_SANDBOX_URL, timeoutMs: 30_000, amountRanges: [] });
    const live = Either.getOrThrow(
      africasTalkingConfigFrom({
        AFRICASTALKING_USERNAME: 'app',
        AFRICASTALKING_API_KEY: SECRET,
        AFRICASTALKING_BASE_URL: '',
      }),
    );
    expect(live.baseUrl).toBe(AFRICASTALKING_PRODUCTION_URL);
  });

  it('refuses bad values with a typed error naming each variable, never a value', () => {
    const result = africasTalkingConfigFrom({
      AFRICASTALKING_API_KEY: `${SECRET} with spaces`,
      AFRICASTALKING_BASE_URL: `ftp://user:${SECRET}@host`,
      AFRICASTALKING_TIMEOUT_MS: 'soon',
    });
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toMatchObject({ _tag: 'InvalidAfricasTalkingConfig', code: 'INVALID_AFRICASTALKING_CONFIG' });
      expect(result.left.reason).toContain('AFRICASTALKING_USERNAME is required');
      expect(result.left.reason).toMatch(/AFRICASTALKING_API_KEY: expected/);
      expect(result.left.reason).toMatch(/AFRICASTALKING_BASE_URL: expected an http\(s\) URL/);
      expect(result.left.reason).toMatch(/AFRICASTALKING_TIMEOUT_MS: expected an integer/);
      expect(result.left.message).not.toContain(SECRET);
      expect(result.left.message).not.toContain('soon');
    }
  });

  it.each(['0', '99', '120001', '1.5'])('refuses a timeout of %s ms', (timeout) => {
    expect(
      Either.isLeft(
        africasTalkingConfigFrom({
          AFRICASTALKING_USERNAME: 'a',
          AFRICASTALKING_API_KEY: SECRET,
          AFRICASTALKING_TIMEOUT_MS: timeout,
        }),
      ),
    ).toBe(true);
  });

  it('says which amount range is wrong', () => {
    const result = africasTalkingConfigFrom({
      AFRICASTALKING_USERNAME: 'a',
      AFRICASTALKING_API_KEY: SECRET,
      AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:100,KE:ABC:1:2',
    });
    expect(Either.isLeft(result) && result.left.reason).toMatch(
      /AFRICASTALKING_AMOUNT_RANGES: entry 2 .*unknown currency ABC/,
    );
  });
});

describe('amount ranges', () => {
  it.each([
    ['Kenya:KES:10:100', /alpha-2/],
    ['KE:KES:10', /COUNTRY:CURRENCY:MIN:MAX/],
    ['KE:KES:100:10', /0 < MIN <= MAX/],
    ['KE:KES:0:10', /0 < MIN <= MAX/],
    ['KE:KES:1.001:10', /exact KES amounts/],
    ['KE:KES:1:10:0', /step must be positive/],
    ['KE:KES:1:10,KE:KES:2:20', /KE is listed twice/],
  ])('refuses "%s"', (text, reason) => {
    expect(parseAmountRanges(text)).toEqual(Either.left(expect.stringMatching(reason)));
  });

  it('reads an empty list', () => {
    expect(parseAmountRanges(' ')).toEqual(Either.right([]));
  });
});
