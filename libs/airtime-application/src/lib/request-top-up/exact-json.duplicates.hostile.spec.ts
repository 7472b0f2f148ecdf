// Review spec: a name given twice is refused whatever its values (JSON.parse
// keeps the last, a reader keeping the first may see another value).
// lossless-json's duplicate test, used first, compared the values loosely:
// a number's text against a string of the same characters, an array
// against an object with the same indices and items, were taken as the
// same value and the body passed.
import fc from 'fast-check';
import { EXACT_JSON_REASONS, exactJsonProblem } from './exact-json.check';

describe('exact JSON: a name given twice', () => {
  it.each([
    ['a number and the string of its text', '{"max_amount":30,"max_amount":"30"}'],
    ['a string and the number of its text', '{"max_amount":"30","max_amount":30}'],
    ['nested, inside an array', '[{"a":{"b":1,"b":"1"}}]'],
    ['a number, its string, then the number again', '{"a":1,"a":"1","a":1}'],
    ['an empty array and an empty object', '{"metadata":[],"metadata":{}}'],
    ['an array and an object with its indices', '{"metadata":["x"],"metadata":{"0":"x"}}'],
    // the same value twice too (I-JSON: names MUST be unique)
    ['the same number twice', '{"a":30,"a":30}'],
    ['the same object twice', '{"e":{},"e":{}}'],
    ['a name spelt with an escape', '{"max_amount":"30","max\\u005famount":"3000"}'],
  ])('is refused: %s', (_case, text) => {
    expect(exactJsonProblem(text)).toBe(EXACT_JSON_REASONS.duplicateName);
  });

  it('takes the same name in two different objects, and a name that is also a value', () => {
    expect(exactJsonProblem('{"a":{"k":1},"b":{"k":1},"c":[{"k":1},{"k":2}],"k":"k"}')).toBe(undefined);
  });

  it('refuses any name given twice, whatever its values', () => {
    const scalar = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.constantFrom(true, false, null, 'true', 'null', [], [1], ['1'], { b: 1 }, { b: '1' }),
    );
    fc.assert(
      fc.property(scalar, scalar, (first, second) => {
        const text = `{"k":${JSON.stringify(first)},"k":${JSON.stringify(second)}}`;
        expect(exactJsonProblem(text)).toBe(EXACT_JSON_REASONS.duplicateName);
      }),
    );
  });
});
