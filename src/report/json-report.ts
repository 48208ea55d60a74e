import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { Finding } from '../lint/types.js';
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../model/types.js';
import { StreamedJsonDocument } from './json-document.js';
import { escapeJsonControls } from './terminal-safe.js';

/**
 * `report --json` (schemaVersion 2) as the capture streams by: one JSON document whose `records`
 * array gets an exchange record the moment the exchange completes and a connection record when the
 * connection ends, one per line; the capture summary closes it. Nothing is held: memory follows
 * the open connections, not the capture's length.
 *
 * Nothing is printed for an input that could not be read at all (missing file, not a capture):
 * the opening is written with the first record, or at the end when there is something to say.
 */
export class JsonReportWriter implements AnalysisSubscriber {
  private readonly doc: StreamedJsonDocument;

  constructor(
    out: (text: string) => void,
    /** The file name, as the summary will give it ('<stdin>' for -). */
    file: string,
    /** Which connections to write (report --conn). */
    private readonly include: (connection: number) => boolean = () => true,
  ) {
    this.doc = new StreamedJsonDocument(out, file, 'records');
  }

  exchange(x: ExchangeModel): void {
    if (!this.include(x.connection)) return;
    this.record('{"type":"exchange",', x);
  }

  /** A finding record: the shape of `lint --format json`'s findings, and the finding's time. */
  finding(f: Finding): void {
    if (f.connection !== null && !this.include(f.connection)) return;
    const { ruleId, severity, message, connection, exchange, frames, time } = f;
    this.record('{"type":"finding",', { ruleId, severity, message, connection, exchange, frames, time });
  }

  connectionClosed(c: ConnectionModel): void {
    if (!this.include(c.id)) return;
    this.record('{"type":"connection",', c);
  }

  captureEnded(summary: CaptureSummary): void {
    const { schemaVersion: _v, file: _f, ...fields } = summary;
    this.doc.end(summary, fields);
  }

  /** The record's own fields after its `type`. */
  private record(typePrefix: string, value: object): void {
    this.doc.item(typePrefix + escapeJsonControls(JSON.stringify(value)).slice(1));
  }
}
