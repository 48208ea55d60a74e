/**
 * The rule contract (ESLint's shape, over wirelens's model). A rule is a plain module — one file per
 * rule in the top-level `rules/` folder, user rules as ESM `.js` files of the same shape — whose
 * `create(context)` returns handlers for the model's records as the capture streams by:
 *
 *   exchange(x)       an exchange is complete (or was ended by a close / the capture's end);
 *   connection(c)     a connection ended and settled: its record is final (its exchanges came before);
 *   end(summary)      the capture is over (rules that need the whole capture, e.g. connection-per-request).
 *
 * A rule reports a finding the moment it is certain (`context.report`). It keeps only what it needs
 * to decide (counters, the last exchange of an open connection), never every exchange: memory must
 * follow open connections, not the capture's length. Ids are the public names of BEHAVIOURS.md §2.
 */
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../model/types.js';

/** SARIF levels: `error` a peer fails or data is wrong; `warning` works but costs or is fragile; `note` worth knowing. */
export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

export interface RuleOption {
  type: 'number' | 'string' | 'boolean';
  default: number | string | boolean;
  description: string;
}

export interface Rule {
  /** Public, stable id (BEHAVIOURS.md §2), e.g. 'content-length-overrun'. */
  id: string;
  /** Default severity. */
  severity: Severity;
  /** One line: what the finding means. */
  title: string;
  /**
   * Long help, plain text (a few short paragraphs): what happened on the wire; what curl and a
   * Node.js client experience (their exact error texts); the likely Node.js cause; the fix.
   */
  help: string;
  /** The Node.js documentation section for the cause or the fix (capture-quality rules: tcpdump's or Wireshark's docs). */
  docs: string;
  /** Options with their defaults (e.g. slow-request-headers' threshold). */
  options?: Record<string, RuleOption>;
  create(context: RuleContext): RuleHandlers;
}

export interface RuleHandlers {
  exchange?(exchange: ExchangeModel): void;
  connection?(connection: ConnectionModel): void;
  end?(summary: CaptureSummary): void;
}

/** What a rule reports: the concrete numbers are in the message; the frames it rests on are listed. */
export interface FindingReport {
  /** One sentence with the concrete numbers (bytes, seconds, counts), e.g. "3 B declared, 4 B sent: 1 B excess in frame 6". */
  message: string;
  /** Connection id (null for capture-wide findings). */
  connection: number | null;
  /** Exchange index on that connection (null for connection-level findings). */
  exchange?: number | null;
  /** Wireshark frame numbers the finding rests on (any order; stored ascending, unique). */
  frames: number[];
}

export interface RuleContext {
  /** The rule's options, defaults merged with the configuration. */
  readonly options: Readonly<Record<string, number | string | boolean>>;
  report(finding: FindingReport): void;
}

/** A finding as every output shows it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  connection: number | null;
  exchange: number | null;
  frames: number[];
  /**
   * When it happened, seconds since the epoch: its first frame's time as the record the rule read
   * states it, else that record's start (see lint/finding-time.ts); null when unknown. Zeek's `ts`.
   */
  time: number | null;
  /** The rule's title and help, so a finding explains itself wherever it is shown. */
  title: string;
  help: string;
  docs: string;
}
