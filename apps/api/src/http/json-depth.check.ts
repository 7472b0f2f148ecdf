// How deeply a JSON text nests its arrays and objects, read in one pass over
// the text without recursion and without parsing it: a body nested
// thousands of levels deep is refused before any parser or formatter
// recurses into it (effect's formatters overflow the stack on such values).

const OPEN_ARRAY = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const CLOSE_ARRAY = 0x5d; // ]
const CLOSE_OBJECT = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** The deepest JSON body a route takes: 64 levels of arrays and objects (a top-up request needs 3). */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `text` (JSON, or something that will fail to parse as JSON) opens
 * more than `maxDepth` arrays or objects inside one another. Brackets inside
 * strings (escapes included) do not count; unbalanced brackets are left to
 * the parser. O(length), constant memory.
 */
export const exceedsJsonDepth = (text: string, maxDepth: number = MAX_JSON_DEPTH): boolean => {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth -= 1;
    }
  }
  return false;
};
