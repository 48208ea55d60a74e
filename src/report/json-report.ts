import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { Finding } from '../lint/types.js';
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../model/types.js';
import { SCHEMA_VERSION } from '../model/types.js';
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
  private opened = false;
  private records = 0;

  constructor(
    private readonly out: (text: string) => void,
    /** The file name, as the summary will give it ('<stdin>' for -). */
    private readonly file: string,
    /** Which connections to write (report --conn). */
    private readonly include: (connection: number) => boolean = () => true,
  ) {}

  exchange(x: ExchangeModel): void {
    if (!this.include(x.connection)) return;
    this.record('{"type":"exchange",', escapeJsonControls(JSON.stringify(x)));
  }

  /** A finding record: the shape of `lint --format json`'s findings. */
  finding(f: Finding): void {
    if (f.connection !== null && !this.include(f.connection)) return;
    const { ruleId, severity, message, connection, exchange, frames } = f;
    this.record('{"type":"finding",', escapeJsonControls(JSON.stringify({ ruleId, severity, message, connection, exchange, frames })));
  }

  connectionClosed(c: ConnectionModel): void {
    if (!this.include(c.id)) return;
    this.record('{"type":"connection",', escapeJsonControls(JSON.stringify(c)));
  }

  captureEnded(summary: CaptureSummary): void {
    if (!this.opened && summary.error !== null && summary.frames === 0) return;
    this.open();
    const { schemaVersion: _v, file: _f, ...rest } = summary;
    this.out(`\n],${JSON.stringify(rest).slice(1)}\n`);
  }

  private record(prefix: string, json: string): void {
    this.open();
    // Two writes rather than one concatenation: a record with bodies can be large.
    this.out(this.records++ ? ',\n' : '\n');
    this.out(prefix + json.slice(1));
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    this.out(`{"schemaVersion":${SCHEMA_VERSION},"file":${JSON.stringify(this.file)},"records":[`);
  }
}
