import { describeDefect } from './defect.format';

const parseFailure = (): unknown => {
  try {
    JSON.parse('SECRET');
  } catch (error) {
    return error;
  }
  throw new Error('JSON.parse read it');
};

describe('describeDefect', () => {
  it('names the class and where it was thrown, never the message (JSON.parse quotes the text it could not read)', () => {
    const error = parseFailure();
    expect((error as Error).message).toContain('"SECRET"'); // what would have leaked
    const described = describeDefect(error);
    expect(described.name).toBe('SyntaxError');
    expect(described.at.length).toBeGreaterThan(0);
    expect(described.at.length).toBeLessThanOrEqual(5);
    for (const frame of described.at) expect(frame).toMatch(/^at /);
    expect(JSON.stringify(described)).not.toContain('SECRET');
  });

  it('keeps no message lines even when the message spans lines that look like frames', () => {
    const error = new TypeError('first line\n    at SECRET frame from outside');
    error.stack = `TypeError: first line\n    at SECRET frame from outside\n    at ours (file.ts:1:1)`;
    // the stack starts with "Name: message": the message's lines are skipped whole, whatever they look like
    expect(describeDefect(error).at).toEqual(['at ours (file.ts:1:1)']);
  });

  it('describes a thrown non-Error as such', () => {
    expect(describeDefect('a string with SECRET')).toEqual({ name: 'non-error', at: [] });
  });
});
