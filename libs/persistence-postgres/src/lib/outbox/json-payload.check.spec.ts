import fc from 'fast-check';
import { jsonProblem } from './json-payload.check';

class Amount {
  constructor(readonly minor: string) {}
}

describe('JSON payload check', () => {
  it('accepts JSON values, which JSON text gives back unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), (value) => {
        const problem = jsonProblem(value);
        // lone surrogates and NUL aside, anything fc.jsonValue makes is JSON jsonb keeps
        if (problem === undefined)
          expect(JSON.stringify(JSON.parse(JSON.stringify(value)))).toBe(JSON.stringify(value));
        else expect(problem).toMatch(/unpaired surrogate|NUL/);
      }),
    );
    expect(
      jsonProblem({ amountMinor: '200', nested: [{ ok: true, n: 1.5, none: null }], emoji: '😀' }),
    ).toBeUndefined();
  });

  it.each([
    [{ amountMinor: 200n }, /payload\.amountMinor is a bigint \(use a decimal string\)/],
    [{ at: new Date(0) }, /payload\.at is a Date, not a plain object/],
    [{ amount: new Amount('1') }, /payload\.amount is a Amount/],
    [{ missing: undefined }, /payload\.missing is undefined/],
    [{ list: [1, Number.NaN] }, /payload\.list\[1\] is NaN/],
    [{ rate: Number.POSITIVE_INFINITY }, /payload\.rate is Infinity/],
    [{ call: () => 1 }, /payload\.call is function/],
    [{ text: 'a\u0000b' }, /payload\.text contains a NUL character/],
    [{ text: 'half \uD83D' }, /payload\.text contains an unpaired surrogate/],
    [{ 'key\u0000': 1 }, /key .* contains a NUL character/],
    [{ map: new Map() }, /payload\.map is a Map/],
    // eslint-disable-next-line no-sparse-arrays
    [{ holes: [1, , 3] }, /payload\.holes\[1\] is a hole/],
  ])('refuses %p', (payload, reason) => {
    expect(jsonProblem(payload)).toMatch(reason);
  });

  it.each([
    [{ metadata: { 'customer +639171234567': 'a\u0000b' } }, 'payload.metadata[…] contains a NUL character'],
    [{ metadata: { secret: { '\uD800': 1 } } }, 'a key of payload.metadata[…] contains an unpaired surrogate'],
    [{ metadata: { list: [{ token: 1n }] } }, 'payload.metadata[…][0][…] is a bigint (use a decimal string), not JSON'],
    [{ 'own\u0000key': 1 }, 'a key of payload contains a NUL character'],
  ])('names the path (%#) without quoting keys that came from outside', (payload, problem) => {
    expect(jsonProblem(payload)).toBe(problem);
  });

  it('refuses cycles but accepts a value shared twice', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(jsonProblem(cyclic)).toMatch(/payload\.self refers back to itself/);
    const shared = { amountMinor: '1' };
    expect(jsonProblem({ left: shared, right: shared })).toBeUndefined();
  });
});
