import { DELAY_CLASS_MS, sandboxOutcome } from './sandbox-rules';

describe('sandbox rules (reference: last three digits of the credit party number)', () => {
  const outcomes = [
    ['0', 'COMPLETED', false],
    ['1', 'COMPLETED', true],
    ['2', 'DECLINED-INVALID-CREDIT-PARTY', false],
    ['3', 'DECLINED-BARRED-CREDIT-PARTY', false],
    ['4', 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE', false],
    ['5', 'DECLINED-DUPLICATED-TRANSACTION', false],
    ['6', 'DECLINED', false],
    ['7', 'DECLINED-EXCEPTION', false],
  ] as const;
  const delays = [
    ['1', '10X', 3_000],
    ['2', '20X', 20_000],
    ['3', '30X', 300_000],
  ] as const;

  for (const [first, delayClass, delayMs] of delays) {
    for (const [last, finalStatus, pinBased] of outcomes) {
      const suffix = `${first}0${last}`;
      it(`${suffix} -> ${finalStatus}${pinBased ? ' (PIN)' : ''} after at least ${delayMs} ms`, () => {
        expect(sandboxOutcome(`+6595123${suffix}`)).toEqual({ finalStatus, pinBased, delayClass, delayMs });
      });
    }
  }

  it('the delay classes are the reference values: 3 s, 20 s, 5 min', () => {
    expect(DELAY_CLASS_MS).toEqual({ '10X': 3_000, '20X': 20_000, '30X': 300_000 });
  });

  it.each(['+6595123456', '+6595123108', '+6595123109', '+6595123400', '+6595123000', '+6595123110'])(
    '%s carries no sandbox suffix: it completes after the default delay',
    (number) => {
      expect(sandboxOutcome(number, 250)).toEqual({
        finalStatus: 'COMPLETED',
        pinBased: false,
        delayClass: undefined,
        delayMs: 250,
      });
    },
  );

  it('no credit party identifier (a gift card) always completes', () => {
    expect(sandboxOutcome(undefined)).toMatchObject({ finalStatus: 'COMPLETED', delayClass: undefined, delayMs: 0 });
  });

  it('account numbers follow the same suffix rules', () => {
    expect(sandboxOutcome('ACC-000203')).toMatchObject({
      finalStatus: 'DECLINED-BARRED-CREDIT-PARTY',
      delayClass: '20X',
    });
  });
});
