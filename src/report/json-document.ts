import type { CaptureSummary } from '../model/types.js';
import { SCHEMA_VERSION } from '../model/types.js';

/**
 * The streamed JSON document `report --json` and `conns --json` share: an opening with the schema
 * version and the file, one array (`records` / `connections`) written item by item as the capture
 * streams by, then the capture summary's fields. Nothing is held back. The opening is written with
 * the first item, or at the end — and not at all for an input that could not be read (missing file,
 * not a capture): the one error line on stderr says it all.
 */
export class StreamedJsonDocument {
  private opened = false;
  private items = 0;

  constructor(
    private readonly out: (text: string) => void,
    /** The file name, as the summary will give it ('<stdin>' for -). */
    private readonly file: string,
    private readonly arrayKey: 'records' | 'connections',
  ) {}

  /** One item of the array, `json` written as is (one per line). */
  item(json: string): void {
    this.open();
    // Two writes rather than one concatenation: an item with bodies can be large.
    this.out(this.items++ ? ',\n' : '\n');
    this.out(json);
  }

  /** Closes the array and the document with `fields`, unless nothing could be read at all. */
  end(summary: CaptureSummary, fields: object): void {
    if (!this.opened && summary.error !== null && summary.frames === 0) return;
    this.open();
    this.out(`\n],${JSON.stringify(fields).slice(1)}\n`);
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    this.out(`{"schemaVersion":${SCHEMA_VERSION},"file":${JSON.stringify(this.file)},"${this.arrayKey}":[`);
  }
}
