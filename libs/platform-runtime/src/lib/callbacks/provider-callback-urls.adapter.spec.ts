import { ProviderCallbackUrls } from '@airtime/application';
import { Effect } from 'effect';
import { makeProviderCallbackUrls, providerCallbackUrlsLayer } from './provider-callback-urls.adapter';

describe('the provider callback URLs', () => {
  it('are the base, /callbacks/dtone/ and the top-up’s token', () => {
    const urls = makeProviderCallbackUrls('https://api.example.com/airtime');
    expect(urls.urlFor('tok_en-123')).toBe('https://api.example.com/airtime/callbacks/dtone/tok_en-123');
    expect(makeProviderCallbackUrls('http://127.0.0.1:3000/').urlFor('abc')).toBe(
      'http://127.0.0.1:3000/callbacks/dtone/abc',
    );
  });

  it('percent-encode a token that is not URL-safe (never a path of its own)', () => {
    expect(makeProviderCallbackUrls('https://api.example.com').urlFor('a/../b?c')).toBe(
      'https://api.example.com/callbacks/dtone/a%2F..%2Fb%3Fc',
    );
  });

  it('are provided by their layer', async () => {
    const url = await Effect.runPromise(
      Effect.map(ProviderCallbackUrls, (urls) => urls.urlFor('t')).pipe(
        Effect.provide(providerCallbackUrlsLayer('https://api.example.com')),
      ),
    );
    expect(url).toBe('https://api.example.com/callbacks/dtone/t');
  });
});
