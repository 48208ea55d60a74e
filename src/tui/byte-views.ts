/**
 * The views that show bytes and segments (Segments and Raw tabs, body previews, the ladder): they
 * re-read what they need from the capture instead of keeping payload in memory. The app plugs in
 * an implementation when the source is a file; `noByteViews` says what is missing otherwise.
 */
import type { ExchangeModel } from '../model/types.js';

export interface ByteViews {
  /** Body preview lines of one message (null: nothing to preview). */
  body(x: ExchangeModel, which: 'request' | 'response', width: number): string[] | null;
  segments(connection: number, x: ExchangeModel | null, width: number): string[];
  raw(connection: number, x: ExchangeModel | null, width: number): string[];
  /** The connection's ladder; the lines of the selected exchange's arrows start with LADDER_HIGHLIGHT. */
  ladder(connection: number, x: ExchangeModel | null, width: number): string[];
}

/** The tag that opens a ladder line of the selected exchange (the view scrolls to the first). */
export const LADDER_HIGHLIGHT = '{cyan-fg}';

const UNAVAILABLE = ['{gray-fg}(not available for this input){/gray-fg}'];

export const noByteViews: ByteViews = {
  body: () => null,
  segments: () => UNAVAILABLE,
  raw: () => UNAVAILABLE,
  ladder: () => UNAVAILABLE,
};
