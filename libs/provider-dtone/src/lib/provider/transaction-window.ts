// Windows of creation dates at DVS: a port window [from, to) split into
// pieces no longer than DVS accepts between from_date and to_date, and the
// test of whether an instant falls in one.
import type { TransactionWindow } from '@airtime/domain';

/**
 * The longest window this adapter asks DVS for in one listing (24 h). The
 * reference notes a limit on the window between `from_date` and `to_date`
 * but its text is cut before the figure, so the adapter stays at a day,
 * which any such limit allows; a night's window is one piece.
 */
export const DVS_MAX_LIST_WINDOW_MS = 86_400_000;

/**
 * `window` split into consecutive pieces `[from, to)` of at most `maxMs` ms,
 * oldest first, covering it exactly (the first starts at `window.from`, each
 * starts where the previous ends, the last ends at `window.to`). An empty or
 * inverted window has no piece. `maxMs` is a positive integer.
 */
export const splitWindow = (window: TransactionWindow, maxMs: number): readonly TransactionWindow[] => {
  if (!Number.isInteger(maxMs) || maxMs <= 0) throw new RangeError('maxMs must be a positive integer');
  const pieces: TransactionWindow[] = [];
  const end = window.to.getTime();
  for (let start = window.from.getTime(); start < end; start += maxMs)
    pieces.push({ from: new Date(start), to: new Date(Math.min(start + maxMs, end)) });
  return pieces;
};

/** Whether `at` is in `window`: `from <= at < to`. */
export const isInWindow = (window: TransactionWindow, at: Date): boolean =>
  at.getTime() >= window.from.getTime() && at.getTime() < window.to.getTime();
