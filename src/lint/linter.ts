/**
 * Runs the configured rules as the analysis streams: an AnalysisSubscriber that hands every
 * exchange, settled connection and the capture's end to each rule's handlers, turns what the rules
 * report into findings at once (`onFinding`: the live dashboard shows a finding the moment it is
 * certain) and keeps them. It keeps no exchange: only, when asked to `locate` findings for a
 * baseline, the endpoints of the connections and the request lines of open connections' exchanges.
 *
 * A rule that throws is caught: it is reported once (`onRuleError`) and disabled for the rest of
 * the run; the other rules and the analysis go on.
 */
import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';
import type { ActiveRule } from './config.js';
import { firstLine } from './error-line.js';
import type { Finding, FindingReport, RuleHandlers } from './types.js';
import { findingTime, type ReportedFrom } from './finding-time.js';

/** Where a finding happened, in terms that survive a new recording (see baseline.ts). */
export interface FindingWhere {
  /** Client address as ip:port (null for capture-wide findings or when unknown). */
  client: string | null;
  /** Server address as ip:port. */
  server: string | null;
  /** "METHOD target" of the exchange (the request's start line when it could not be split); null for connection-level findings. */
  request: string | null;
}

/** A rule that threw: which one, where, and the error. */
export interface RuleFailure {
  ruleId: string;
  /** The user rule's file (null for built-in rules). */
  file: string | null;
  /** What the rule was doing: 'create', or the handler that threw ('exchange' on connection 3, exchange 2, …). */
  during: string;
  error: unknown;
  /** One line for stderr: "rule 'x' (file) failed in … and is disabled for the rest of this capture: TypeError: …". */
  message: string;
}

export interface LinterOptions {
  /** Called with each finding the moment a rule reports it. */
  onFinding?(finding: Finding, where: FindingWhere | null): void;
  /** Called once for each rule that throws (it is then disabled). */
  onRuleError?(failure: RuleFailure): void;
  /** Record where each finding happened (`where`), for baselines. */
  locate?: boolean;
  /** Keep every finding in `findings` (default true). False when a subscriber takes them as they come. */
  keep?: boolean;
}

interface Running {
  active: ActiveRule;
  handlers: RuleHandlers;
  enabled: boolean;
}

export class Linter implements AnalysisSubscriber {
  /** Findings in the order they were reported. */
  readonly findings: Finding[] = [];
  /** With `locate`: where each finding happened, index for index with `findings`. */
  readonly where: FindingWhere[] = [];
  readonly failures: RuleFailure[] = [];
  private readonly running: Running[] = [];
  private readonly endpoints = new Map<number, { client: string; server: string }>();
  private readonly requestLines = new Map<number, Map<number, string | null>>();
  /** The record being handed to the rules: what a finding's time is read from. */
  private current: ReportedFrom | null = null;

  constructor(
    rules: readonly ActiveRule[],
    private readonly options: LinterOptions = {},
  ) {
    for (const active of rules) this.start(active);
  }

  connectionOpened(c: ConnectionOpened): void {
    if (this.options.locate) this.endpoints.set(c.id, { client: c.client, server: c.server });
  }

  exchange(x: ExchangeModel): void {
    if (this.options.locate) {
      let lines = this.requestLines.get(x.connection);
      if (lines === undefined) this.requestLines.set(x.connection, (lines = new Map()));
      lines.set(x.index, requestLine(x));
    }
    this.current = x;
    // The per-exchange path: no closure and no description string unless a rule throws.
    for (const entry of this.running) {
      const handler = entry.handlers.exchange;
      if (handler === undefined || !entry.enabled) continue;
      try {
        handler.call(entry.handlers, x);
      } catch (error) {
        this.fail(entry, `exchange ${x.index} of connection ${x.connection}`, error);
      }
    }
    this.current = null;
  }

  connectionClosed(c: ConnectionModel): void {
    if (this.options.locate && !this.endpoints.has(c.id)) this.endpoints.set(c.id, { client: c.client, server: c.server });
    this.current = c;
    this.dispatch(`connection ${c.id}`, (h) => h.connection?.(c));
    this.current = null;
    // The connection's exchanges are all handed on: their request lines are no longer needed.
    this.requestLines.delete(c.id);
  }

  captureEnded(summary: CaptureSummary): void {
    this.current = summary;
    this.dispatch('the end of the capture', (h) => h.end?.(summary));
  }

  private start(active: ActiveRule): void {
    const entry: Running = { active, handlers: {}, enabled: true };
    const context = { options: Object.freeze({ ...active.options }), report: (r: FindingReport) => this.accept(entry, r) };
    try {
      const handlers = active.rule.create(context);
      entry.handlers = typeof handlers === 'object' && handlers !== null ? handlers : {};
      this.running.push(entry);
    } catch (error) {
      this.fail(entry, 'create', error);
    }
  }

  private dispatch(during: string, call: (handlers: RuleHandlers) => void): void {
    for (const entry of this.running) {
      if (!entry.enabled) continue;
      try {
        call(entry.handlers);
      } catch (error) {
        this.fail(entry, during, error);
      }
    }
  }

  private accept(entry: Running, report: FindingReport): void {
    if (!entry.enabled) return;
    const { rule, severity } = entry.active;
    const frames = uniqueAscending(report.frames);
    const finding: Finding = {
      ruleId: rule.id,
      severity,
      message: String(report.message),
      connection: validId(report.connection),
      exchange: validId(report.exchange),
      frames,
      time: findingTime(this.current, frames[0]),
      title: rule.title,
      help: rule.help,
      docs: rule.docs,
    };
    if (this.options.keep !== false) this.findings.push(finding);
    const where = this.options.locate ? this.locate(finding) : null;
    if (where !== null) this.where.push(where);
    this.options.onFinding?.(finding, where);
  }

  private locate(finding: Finding): FindingWhere {
    if (finding.connection === null) return { client: null, server: null, request: null };
    const ends = this.endpoints.get(finding.connection);
    const request = finding.exchange === null ? null : (this.requestLines.get(finding.connection)?.get(finding.exchange) ?? null);
    return { client: ends?.client ?? null, server: ends?.server ?? null, request };
  }

  private fail(entry: Running, during: string, error: unknown): void {
    entry.enabled = false;
    const { rule, file } = entry.active;
    const where = file === null ? '' : ` (${file})`;
    const failure: RuleFailure = {
      ruleId: rule.id,
      file,
      during,
      error,
      message: `rule '${rule.id}'${where} failed in ${during} and is disabled for the rest of this capture: ${firstLine(error)}`,
    };
    this.failures.push(failure);
    this.options.onRuleError?.(failure);
  }
}

/** "METHOD target", or the start line when it could not be split; null without a request. */
export function requestLine(x: ExchangeModel): string | null {
  const r = x.request;
  if (r === null) return null;
  return r.method !== null && r.target !== null ? `${r.method} ${r.target}` : r.startLine;
}

function validId(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Frame numbers as stored in a finding: positive integers, unique, ascending. */
function uniqueAscending(frames: unknown): number[] {
  if (!Array.isArray(frames)) throw new TypeError('report(): frames must be an array of frame numbers');
  const valid = frames.filter((f): f is number => typeof f === 'number' && Number.isSafeInteger(f) && f > 0);
  return [...new Set(valid)].sort((a, b) => a - b);
}
