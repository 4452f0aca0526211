/** Keeps the last `maxBytes` bytes written to it: the tail of a stream of any length. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.maxBytes) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  /** The kept bytes (or only the last `limit` of them) as UTF-8, starting on a whole character. */
  toString(limit: number = this.maxBytes): string {
    const keep = Math.min(limit, this.maxBytes);
    let bytes = Buffer.concat(this.chunks);
    if (bytes.length > keep) bytes = bytes.subarray(bytes.length - keep);
    let start = 0;
    while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
    return bytes.subarray(start).toString("utf8");
  }
}
