/** Splits a byte stream into newline-terminated lines, with a bound on line length. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export class LineSplitter {
  private buf = '';
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (size: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
    if (this.buf.length > this.maxBytes) {
      const size = this.buf.length;
      this.buf = '';
      this.onOverflow(size);
    }
  }
}
