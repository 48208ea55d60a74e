/**
 * The contract between the CaptureReader (which owns chunking, leftovers and sticky errors) and one
 * file format's splitter (which only knows where its units — headers, records, blocks — begin and end).
 */
export interface FormatParser {
  /**
   * Consumes every complete unit in `b[pos, end)` and returns the offset of the first incomplete one
   * (`end` if none). `base` is the absolute input offset of `b[0]`, used for Frame.fileOffset and errors.
   * Throws CaptureError ('malformed') as soon as a header it can see is impossible.
   */
  parse(b: Uint8Array, pos: number, end: number, base: number): number;
  /**
   * After `parse` returned early: how many bytes the unit at the returned offset needs in total
   * (always more than were available). The reader waits for exactly that many before calling again.
   */
  readonly need: number;
  /** The input ended with `b[0, length)` being the start of an unfinished unit: say what was cut. */
  describeTruncation(b: Uint8Array, length: number): string;
}
