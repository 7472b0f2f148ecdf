import fc from 'fast-check';
import { EXACT_JSON_REASONS, exactJsonProblem, isExactJsonNumber } from './exact-json.check';

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });

describe('exact JSON', () => {
  it('takes every number JSON.stringify writes, and any other spelling of the same decimal', () => {
    fc.assert(
      fc.property(finiteDouble, fc.nat(5), (value, zeros) => {
        const text = JSON.stringify(value);
        expect(isExactJsonNumber(text)).toBe(true);
        // trailing zeros, an exponent: the same decimal
        if (!text.includes('e')) {
          const padded = text.includes('.') ? `${text}${'0'.repeat(zeros)}` : `${text}.${'0'.repeat(zeros + 1)}`;
          expect(isExactJsonNumber(padded)).toBe(true);
          expect(isExactJsonNumber(`${text}e0`)).toBe(true);
          if (!text.includes('.')) expect(isExactJsonNumber(`${text}${'0'.repeat(zeros)}e-${zeros}`)).toBe(true);
        }
      }),
    );
    expect(['30.00', '3e1', '300E-1', '-0', '0.0e5', '1e-7', '1e21'].every(isExactJsonNumber)).toBe(true);
  });

  it('refuses a number whose text a double does not keep: more digits than it holds, out of its range', () => {
    fc.assert(
      fc.property(finiteDouble, fc.integer({ min: 1, max: 9 }), (value, digit) => {
        const text = JSON.stringify(value);
        fc.pre(!text.includes('e') && value !== 0);
        // a digit 25 places after the last (26 significant digits at least): no double tells it apart
        const longer = `${text.includes('.') ? text : `${text}.`}${'0'.repeat(24)}${digit}`;
        expect(isExactJsonNumber(longer)).toBe(false);
      }),
    );
    // integers: every safe one, and none with a last digit 21 places after its first
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 1, max: 9 }), (integer, digit) => {
        expect(isExactJsonNumber(String(integer))).toBe(true);
        fc.pre(integer !== 0);
        expect(isExactJsonNumber(`${integer}${'0'.repeat(20)}${digit}`)).toBe(false);
      }),
    );
    expect(isExactJsonNumber('29.999999999999999')).toBe(false);
    expect(isExactJsonNumber('30.000000000000001')).toBe(false);
    expect(isExactJsonNumber('12345678901234567890123')).toBe(false);
    expect(isExactJsonNumber('1e400')).toBe(false);
    expect(isExactJsonNumber('-1e400')).toBe(false);
  });

  it('reads any depth without recursion: 100,000 nested arrays and objects', () => {
    const depth = 100_000;
    expect(exactJsonProblem(`${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`)).toBeUndefined();
    expect(exactJsonProblem(`${'[{"a":'.repeat(depth)}1e400${'}]'.repeat(depth)}`)).toBe(
      EXACT_JSON_REASONS.inexactNumber,
    );
  });

  it('answers nothing for JSON whose numbers are doubles and whose names are unique', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(exactJsonProblem(JSON.stringify(value))).toBeUndefined();
      }),
    );
  });

  it('names a name given twice, at any depth, and an inexact number, quoting neither', () => {
    expect(exactJsonProblem('{"max_amount":"30","max_amount":"3000"}')).toBe(EXACT_JSON_REASONS.duplicateName);
    expect(exactJsonProblem('{"a":{"b":[{"c":1,"c":2}]}}')).toBe(EXACT_JSON_REASONS.duplicateName);
    expect(exactJsonProblem('{"max_amount":29.999999999999999}')).toBe(EXACT_JSON_REASONS.inexactNumber);
    expect(exactJsonProblem('{"metadata":{"order":12345678901234567890123}}')).toBe(EXACT_JSON_REASONS.inexactNumber);
    // names only (a provider's document)
    expect(exactJsonProblem('{"rate":0.05303030303030303030}', { numbers: false })).toBeUndefined();
    expect(exactJsonProblem('{"rate":1,"rate":1}', { numbers: false })).toBe(EXACT_JSON_REASONS.duplicateName);
    // the same value twice too: names must be unique
    expect(exactJsonProblem('{"a":"30","a":"30"}')).toBe(EXACT_JSON_REASONS.duplicateName);
    for (const reason of Object.values(EXACT_JSON_REASONS)) expect(reason).not.toMatch(/30|max_amount|order/);
  });
});
