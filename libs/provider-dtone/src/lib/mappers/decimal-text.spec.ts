import { plainDecimalOf } from './decimal-text';

describe('plain decimal text of a JSON number', () => {
  it('keeps ordinary numbers as JavaScript prints them', () => {
    expect(plainDecimalOf(58.1234)).toBe('58.1234');
    expect(plainDecimalOf(100)).toBe('100');
    expect(plainDecimalOf(0.1)).toBe('0.1');
  });

  it('expands the exponent form by moving the point', () => {
    expect(plainDecimalOf(1.5e-7)).toBe('0.00000015');
    expect(plainDecimalOf(1e-7)).toBe('0.0000001');
    expect(plainDecimalOf(1.25e21)).toBe('1250000000000000000000');
    expect(plainDecimalOf(-2.5e-8)).toBe('-0.000000025');
  });

  it('has none for non-finite numbers', () => {
    expect(plainDecimalOf(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});
