import fc from 'fast-check';
import { isInWindow, splitWindow } from './transaction-window';

const instant = fc.integer({ min: 0, max: 4_000_000_000_000 });

describe('splitting a window', () => {
  it('covers the window exactly with consecutive pieces no longer than the maximum', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.integer({ min: 600_000, max: 3 * 86_400_000 }),
        (from, length, maxMs) => {
          const window = { from: new Date(from), to: new Date(from + length) };
          const pieces = splitWindow(window, maxMs);
          expect(pieces.length).toBe(Math.ceil(length / maxMs));
          pieces.forEach((piece, index) => {
            expect(piece.to.getTime() - piece.from.getTime()).toBeGreaterThan(0);
            expect(piece.to.getTime() - piece.from.getTime()).toBeLessThanOrEqual(maxMs);
            expect(piece.from.getTime()).toBe(index === 0 ? from : pieces[index - 1]?.to.getTime());
          });
          if (length > 0) expect(pieces.at(-1)?.to.getTime()).toBe(from + length);
        },
      ),
    );
  });

  it('puts every instant of the window in exactly one piece, and none outside it', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 5 * 86_400_000 }),
        fc.integer({ min: 600_000, max: 86_400_000 }),
        fc.integer({ min: -1_000, max: 5 * 86_400_000 + 1_000 }),
        (from, length, maxMs, offset) => {
          const window = { from: new Date(from), to: new Date(from + length) };
          const at = new Date(from + offset);
          const containing = splitWindow(window, maxMs).filter((piece) => isInWindow(piece, at));
          expect(containing.length).toBe(isInWindow(window, at) ? 1 : 0);
        },
      ),
    );
  });

  it('keeps a day in one piece, splits three days into three, and has no piece for an empty window', () => {
    const day = 86_400_000;
    const from = new Date('2025-03-01T00:00:00Z');
    expect(splitWindow({ from, to: new Date(from.getTime() + day) }, day)).toEqual([
      { from, to: new Date(from.getTime() + day) },
    ]);
    expect(splitWindow({ from, to: new Date(from.getTime() + 3 * day) }, day)).toHaveLength(3);
    expect(splitWindow({ from, to: from }, day)).toEqual([]);
    expect(() => splitWindow({ from, to: from }, 0)).toThrow(RangeError);
  });

  it('takes from and leaves to out', () => {
    const window = { from: new Date(1_000), to: new Date(2_000) };
    expect([999, 1_000, 1_999, 2_000].map((ms) => isInWindow(window, new Date(ms)))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});
