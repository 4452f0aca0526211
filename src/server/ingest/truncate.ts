export type Clipped = { value: string; truncated: boolean };

/**
 * The last `maxBytes` bytes of `text` in UTF-8, never splitting a character: the end of a
 * log or a traceback is the part worth keeping.
 */
export function tailBytes(text: string, maxBytes: number): Clipped {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { value: text, truncated: false };
  let start = bytes.length - maxBytes;
  // Skip UTF-8 continuation bytes (10xxxxxx) so the tail starts on a whole character.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return { value: bytes.subarray(start).toString("utf8"), truncated: true };
}

/** The first `maxChars` characters (code points, so no surrogate pair is split). */
export function headChars(text: string, maxChars: number): Clipped {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return { value: text, truncated: false };
  return { value: chars.slice(0, maxChars).join(""), truncated: true };
}
