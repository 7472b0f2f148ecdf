/**
 * The plain decimal text of a JSON number as it was written ("58.1234"),
 * expanding the exponent form JavaScript prints for very small or large
 * values ("1.5e-7" -> "0.00000015") by moving the point in the text, so no
 * arithmetic on the double is involved.
 */
export const plainDecimalOf = (value: number): string | undefined => {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = `${whole}${fraction}`;
  const point = whole.length + Number(exponentText);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? `${digits}${'0'.repeat(point - digits.length)}`
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  const trimmed = body.replace(/^0+(?=\d)/, '');
  return `${sign}${trimmed}`;
};
