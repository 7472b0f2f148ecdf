import { currencyOf, money } from '@airtime/domain';
import { Either, Redacted } from 'effect';
import { parseAmountRanges } from '@airtime/provider-http-kit';
import { ENGAGESPARK_DEFAULT_URL, engageSparkConfigFrom } from './engagespark.config';

const PHP = Either.getOrThrow(currencyOf('PHP'));
const SECRET = 'es_pat_live_do-not-leak-7c6b5a';

describe('engageSPARK configuration', () => {
  it('reads every setting from the environment', () => {
    const config = Either.getOrThrow(
      engageSparkConfigFrom({
        ENGAGESPARK_ORG_ID: '4242',
        ENGAGESPARK_TOKEN: SECRET,
        ENGAGESPARK_BASE_URL: 'http://localhost:9000/',
        ENGAGESPARK_TIMEOUT_MS: '15000',
        ENGAGESPARK_AMOUNT_RANGES: 'PH:PHP:10:1000',
      }),
    );
    expect(config).toMatchObject({ orgId: '4242', baseUrl: 'http://localhost:9000', timeoutMs: 15_000 });
    expect(config.amountRanges).toEqual([
      { countryIso: 'PH', min: money(1_000n, PHP), max: money(100_000n, PHP), stepMinor: 100n },
    ]);
    expect(Redacted.value(config.token)).toBe(SECRET);
    expect(`${String(config.token)} ${JSON.stringify({ ...config, amountRanges: [] })}`).not.toContain(SECRET);
  });

  it('has defaults for the URL, the timeout and the ranges', () => {
    expect(
      Either.getOrThrow(
        engageSparkConfigFrom({ ENGAGESPARK_ORG_ID: '1', ENGAGESPARK_TOKEN: SECRET, ENGAGESPARK_BASE_URL: ' ' }),
      ),
    ).toMatchObject({
      baseUrl: ENGAGESPARK_DEFAULT_URL,
      timeoutMs: 30_000,
      amountRanges: [],
    });
  });

  it('refuses bad values with a typed error naming each variable, never a value', () => {
    const result = engageSparkConfigFrom({
      ENGAGESPARK_ORG_ID: '42/../admin',
      ENGAGESPARK_TOKEN: `Token ${SECRET}`,
      ENGAGESPARK_TIMEOUT_MS: '-5',
      ENGAGESPARK_AMOUNT_RANGES: 'PH:PHP:100:10',
    });
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left).toMatchObject({ _tag: 'InvalidEngageSparkConfig', code: 'INVALID_ENGAGESPARK_CONFIG' });
      expect(result.left.reason).toMatch(/ENGAGESPARK_ORG_ID: expected letters/);
      expect(result.left.reason).toMatch(/ENGAGESPARK_TOKEN: expected a non-empty value without spaces/);
      expect(result.left.reason).toMatch(/ENGAGESPARK_TIMEOUT_MS: expected an integer/);
      expect(result.left.reason).toMatch(/ENGAGESPARK_AMOUNT_RANGES: entry 1 .*0 < MIN <= MAX/);
      expect(result.left.message).not.toContain(SECRET);
      expect(result.left.message).not.toContain('admin');
    }
  });

  it('requires the organization and the token', () => {
    const result = engageSparkConfigFrom({});
    expect(Either.isLeft(result) && result.left.reason).toBe(
      'ENGAGESPARK_ORG_ID is required; ENGAGESPARK_TOKEN is required',
    );
  });

  it('reads ranges with a step', () => {
    expect(Either.map(parseAmountRanges('PH:PHP:10:100:5'), (ranges) => ranges[0]?.stepMinor)).toEqual(
      Either.right(500n),
    );
  });
});
