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
  ladder(connection: number, x: ExchangeModel | null, width: number): string[];
}

const UNAVAILABLE = ['{gray-fg}(not available for this input){/gray-fg}'];

export const noByteViews: ByteViews = {
  body: () => null,
  segments: () => UNAVAILABLE,
  raw: () => UNAVAILABLE,
  ladder: () => UNAVAILABLE,
};
