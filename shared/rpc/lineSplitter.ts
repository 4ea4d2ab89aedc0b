/** Splits a byte stream into newline-terminated lines, with a bound on line length. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export class LineSplitter {
  /**
   * The unfinished line, as the chunks it came in: only a new chunk is searched for '\n',
   * and the pieces are joined once, when the line ends. Appending to one string and
   * searching it from the start made a long line in many chunks cost its length squared.
   */
  private parts: string[] = [];
  private partsLength = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (size: number) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: string): void {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      const piece = chunk.slice(start, nl);
      const line = this.parts.length === 0 ? piece : this.parts.join('') + piece;
      this.parts = [];
      this.partsLength = 0;
      start = nl + 1;
      if (line.trim()) this.onLine(line);
    }
    if (start < chunk.length) {
      this.parts.push(start === 0 ? chunk : chunk.slice(start));
      this.partsLength += chunk.length - start;
    }
    if (this.partsLength > this.maxBytes) {
      const size = this.partsLength;
      this.parts = [];
      this.partsLength = 0;
      this.onOverflow(size);
    }
  }
}
