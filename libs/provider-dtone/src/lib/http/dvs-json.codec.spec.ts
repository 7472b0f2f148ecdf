import { money } from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import { encodeJson, JsonDecimal, jsonDecimalOf } from './dvs-json.codec';

describe('JSON bodies with exact decimals', () => {
  it('writes amounts from minor units verbatim, with the currency decimals', () => {
    expect(jsonDecimalOf(money(1050n, testCurrency('USD'))).text).toBe('10.50');
    expect(jsonDecimalOf(money(500n, testCurrency('JPY'))).text).toBe('500');
    expect(jsonDecimalOf(money(1234n, testCurrency('BHD'))).text).toBe('1.234');
    // beyond what a double carries exactly: still exact in the text
    expect(jsonDecimalOf(money(9007199254740993n, testCurrency('USD'))).text).toBe('90071992547409.93');
  });

  it('encodes objects, arrays and scalars, leaving undefined properties out', () => {
    const text = encodeJson({
      a: 'x"y',
      b: 1,
      c: true,
      d: null,
      e: undefined,
      f: [new JsonDecimal('0.10'), 'z'],
      g: { h: new JsonDecimal('-3') },
    });
    expect(text).toBe('{"a":"x\\"y","b":1,"c":true,"d":null,"f":[0.10,"z"],"g":{"h":-3}}');
    expect(JSON.parse(text)).toEqual({ a: 'x"y', b: 1, c: true, d: null, f: [0.1, 'z'], g: { h: -3 } });
  });

  it('refuses what is not a JSON decimal', () => {
    expect(() => new JsonDecimal('1e3')).toThrow(TypeError);
    expect(() => new JsonDecimal('01')).toThrow(TypeError);
    expect(() => encodeJson({ n: Number.NaN })).toThrow(TypeError);
  });
});
