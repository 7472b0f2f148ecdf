// A defect (a bug: something thrown that no use case answers as a typed
// error) as logs and reasons show it: its class and where it was thrown,
// never its message. A message may quote outside text (node's JSON.parse
// quotes the text it could not read; a driver may quote a value), and the
// platform's logs and reasons never carry outside text.
import { maskNumbers } from './log.redaction';

/** A defect's class (`SyntaxError`, ...; 'non-error' for a thrown non-Error) and its first stack frames. */
export interface DefectDescription {
  readonly name: string;
  /** Up to five `at ...` frames, runs of 7 or more digits masked. */
  readonly at: readonly string[];
}

/** How many stack frames a description keeps. */
const FRAMES = 5;

/** The defect's class and first five stack frames; never its message (see the file's note). */
export const describeDefect = (defect: unknown): DefectDescription => {
  if (!(defect instanceof Error)) return { name: 'non-error', at: [] };
  const stack = defect.stack ?? '';
  // the stack starts with "Name: message", and a message may hold lines shaped like frames: they are skipped whole
  const head = defect.message === '' ? defect.name : `${defect.name}: ${defect.message}`;
  const frames = stack.startsWith(head) ? stack.slice(head.length) : stack;
  const at = frames
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, FRAMES)
    .map((line) => maskNumbers(line.trim()));
  return { name: maskNumbers(defect.name), at };
};
