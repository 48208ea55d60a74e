/**
 * Small pure helpers the built-in message rules share: how a message is named in a finding, how a
 * wait ended (with the frame of the close), and which responses are Node's own refusals. One home,
 * imported, so every rule says these things the same way.
 */
import { nodeCitation } from './node-verdict.js';
import type { EndedBy, ExchangeModel, MessageModel, Stall } from '../../src/model/types.js';
import type { Deviation, DeviationCode } from '../../src/http/types.js';
import type { RuleContext, RuleHandlers, RuleOption } from '../../src/lint/types.js';
import { headerValue } from '../../src/http/headers.js';
import { earlyAnswer } from '../../src/model/early-answer.js';
import { formatDuration } from '../../src/text/units.js';

export { formatDuration as seconds };

/** "the request (POST /upload)" / "the response (200)": how a finding names a message. */
export function describeMessage(message: MessageModel): string {
  if (message.kind === 'request') return message.method && message.target ? `the request (${message.method} ${message.target})` : 'the request';
  return message.status === null ? 'the response' : `the ${message.status} response`;
}

/** "the request (GET /wait, frame 4)": a message and the frames that carried it. */
export function describeWithFrames(message: MessageModel): string {
  const frames = framesText(message.frames);
  if (message.kind === 'request') return message.method && message.target ? `the request (${message.method} ${message.target}, ${frames})` : `the request (${frames})`;
  return message.status === null ? `the response (${frames})` : `the ${message.status} response (${frames})`;
}

/** "frame 6" / "frames 4, 6, 8". */
export function framesText(frames: readonly number[]): string {
  return frames.length === 1 ? `frame ${frames[0]}` : `frames ${frames.join(', ')}`;
}

/** What ended a wait, said with the frame of the close when it is known: "the server closed (FIN frame 10)". */
export function endedByText(endedBy: EndedBy, frame: number | null): string {
  if (endedBy === 'capture-end') return 'the capture ended';
  const [side, kind] = endedBy.split('-') as ['client' | 'server', 'fin' | 'rst'];
  const at = frame === null ? '' : ` frame ${frame}`;
  return kind === 'fin' ? `the ${side} closed (FIN${at})` : `the ${side} reset the connection (RST${at})`;
}

/**
 * Node's own error responses (400 after a parse error, 408 after headersTimeout/requestTimeout,
 * 431 after maxHeaderSize) close the connection: `Connection: close` and a close-delimited, empty
 * body. An application's 400 on a kept-alive connection is an answer, not the server refusing the
 * bytes it got, so the close is part of the signature.
 */
export function isServerRefusal(exchange: ExchangeModel, status: 400 | 408 | 431): boolean {
  const response = exchange.response;
  if (response === null || response.status !== status) return false;
  return exchange.reuse.connectionClose.response || response.framing?.kind === 'close';
}

/** The refusal that explains an unfinished or unreadable request, if the server sent one. */
export function refusalOf(exchange: ExchangeModel): 400 | 408 | 431 | null {
  for (const status of [400, 408, 431] as const) if (isServerRefusal(exchange, status)) return status;
  return null;
}

/** The frame that ended a message: its end frame (the close of a close-delimited body), else its last frame. */
export function lastFrameOf(message: MessageModel): number {
  return message.endFrame ?? message.frames[message.frames.length - 1];
}

/** The messages of an exchange in wire order: the request, the interim responses, the final response. */
export function messagesOf(exchange: ExchangeModel): readonly MessageModel[] {
  // Every rule that looks at messages asks, one after the other, for the same exchange: one list.
  if (exchange === lastExchange) return lastMessages;
  const messages: MessageModel[] = [];
  if (exchange.request !== null) messages.push(exchange.request);
  for (const interim of exchange.interim) messages.push(interim);
  if (exchange.response !== null) messages.push(exchange.response);
  lastExchange = exchange;
  lastMessages = messages;
  return messages;
}

let lastExchange: ExchangeModel | null = null;
let lastMessages: readonly MessageModel[] = [];

/**
 * A request the server answered before it was complete (early-answer.ts): what is missing of it
 * is the server's choice (it refused the rest, or the client stopped once answered), not a short
 * request. connection-reset says what the close did to the client.
 */
export function answeredEarly(exchange: ExchangeModel, message: MessageModel): boolean {
  return message.kind === 'request' && earlyAnswer(exchange) !== null;
}

/** The FIN/RST frame that ended a stall (null when the capture's end did). */
export function stallCloseFrame(stall: Stall): number | null {
  return stall.endedBy === 'capture-end' ? null : (stall.until?.frame ?? null);
}

/**
 * The option every rule about unfinished messages takes (content-length-underrun, incomplete-message,
 * response-stalled-after-headers, and unanswered-request, which notes what they leave): how long a
 * message's sender must have been silent before the capture's end for the cut to count as the
 * peer's. One default, so that what the three leave is exactly what unanswered-request notes.
 */
export const CAPTURE_END_STALL_OPTION: RuleOption = {
  type: 'number',
  default: 1,
  description: "Seconds a message's sender must have been silent before the capture ended for the unfinished message to be reported as the peer's fault; below, it was still arriving when the recording stopped (unanswered-request notes it). Give every rule about unfinished messages the same value.",
};

/** The option of the rules that tell a response its client abandoned from one its server left unfinished (abandonedByClient). */
export const CLIENT_ABORT_STALL_OPTION: RuleOption = {
  type: 'number',
  default: 1,
  description: "Seconds a response's server must have been silent before its client closed for the unfinished response to be reported as the server's fault; below, the client abandoned it while it was still arriving (a cancelled download, an aborted fetch, curl --max-time). Give every rule about unfinished messages the same value.",
};

/** Faults after which the parser abandons a message: unfinished because it could not be framed, not because it stopped. */
const ABANDONING: ReadonlySet<DeviationCode> = new Set<DeviationCode>(['invalid-chunk-size', 'chunk-extensions-overflow']);

/** Whether the parser gave up framing the message (invalid-chunk / conflicting-framing say why it is unfinished). */
export function framingAbandoned(message: MessageModel): boolean {
  return message.framing?.kind === 'invalid' || message.deviations.some((d) => ABANDONING.has(d.code));
}

/**
 * Bytes of the message are missing from the capture (lost packets the peer acknowledged, snap
 * length): the sender may well have sent it all, so its shortness is capture-gap's / truncated-frames'
 * finding, not a truncation by the peer.
 */
export function lostFromCapture(message: MessageModel): boolean {
  return message.deviations.some((d) => d.code === 'gap-in-message');
}

/**
 * A message the capture's end cut while it was still under way: its sender had been silent for
 * less than `stallSeconds` when the recording stopped (a download, an upload, a stream in full
 * flow), or it is a server-sent event stream (`Content-Type: text/event-stream`), which stays open
 * by design however long between events. Nothing shows a peer at fault — the recording stopped,
 * not the message — so the rules for truncated messages leave it and unanswered-request notes it.
 * A message that had been silent longer is the peer's: the stall is the evidence.
 */
export function stillArrivingAtCaptureEnd(message: MessageModel, stallSeconds: number): boolean {
  const stall = message.stall;
  if (message.complete || stall === null || stall.endedBy !== 'capture-end' || framingAbandoned(message)) return false;
  return stall.duration < stallSeconds || isEventStream(message);
}

/**
 * A response its client closed on (FIN or RST) while it was still arriving: the server had sent
 * its last byte less than `stallSeconds` before (a download cancelled, fetch() aborted by its
 * signal, `curl --max-time`, a browser leaving the page), or it is an event stream, which a client
 * ends by closing. The client gave up on it; nothing shows the server's framing at fault, so the
 * rules for truncated messages leave it (connection-reset says so when the client's RST ends it).
 * A response whose server had been silent longer is the server's: the client waited for bytes
 * that did not come.
 */
export function abandonedByClient(message: MessageModel, stallSeconds: number): boolean {
  const stall = message.stall;
  if (message.kind !== 'response' || message.complete || stall === null || framingAbandoned(message)) return false;
  if (!endedByClient(stall)) return false;
  return stall.duration < stallSeconds || isEventStream(message);
}

/** The client's FIN or RST ended the wait. */
export function endedByClient(stall: Stall): boolean {
  return stall.endedBy === 'client-fin' || stall.endedBy === 'client-rst';
}

/**
 * An unfinished message its sender did not cut short, whatever its framing: the capture stopped
 * while it was still arriving (unanswered-request notes it) or lost part of it (capture-gap), the
 * server answered the request before it was complete, or the client abandoned the response. The
 * rules for truncated messages (content-length-underrun, incomplete-message) leave it.
 */
export function notCutBySender(exchange: ExchangeModel, message: MessageModel, captureEndStall: number, clientAbortStall: number): boolean {
  return (
    stillArrivingAtCaptureEnd(message, captureEndStall) ||
    lostFromCapture(message) ||
    answeredEarly(exchange, message) ||
    abandonedByClient(message, clientAbortStall)
  );
}

/** A `text/event-stream` response (server-sent events): an open-ended body, by design. */
export function isEventStream(message: MessageModel): boolean {
  if (message.kind !== 'response') return false;
  const type = headerValue(message.headers, 'content-type');
  return type !== null && /^\s*text\/event-stream\s*(;|$)/i.test(type);
}

/** "the server closed (FIN frame 10) 2.003s later": what ended a stall and after how long. */
export function stallEndText(stall: Stall): string {
  return `${endedByText(stall.endedBy, stallCloseFrame(stall))} ${formatDuration(stall.duration)} later`;
}

/**
 * A complete request that got no response byte, ended by one of `sides` closing: the wait. A
 * request sent after the server's FIN or RST is the keep-alive reuse race (keepalive-reuse-race
 * reports it), not a server that stayed silent.
 */
export function silentWait(exchange: ExchangeModel, side: 'client' | 'server'): SilentWait | null {
  const wait = exchange.timing.unanswered;
  const request = exchange.request;
  if (wait === null || request === null || !wait.endedBy.startsWith(`${side}-`)) return null;
  if (exchange.before.serverFin !== null || exchange.before.serverRst !== null) return null;
  return { exchange, request, wait };
}

export interface SilentWait {
  exchange: ExchangeModel;
  request: MessageModel;
  wait: NonNullable<ExchangeModel['timing']['unanswered']>;
}

/** The message's deviations with one of `codes`, in stream order. */
export function deviationsIn(message: MessageModel, codes: ReadonlySet<DeviationCode>): readonly Deviation[] {
  // Most messages have no deviation: no new array for them.
  return message.deviations.length === 0 ? NO_DEVIATIONS : message.deviations.filter((d) => codes.has(d.code));
}

const NO_DEVIATIONS: readonly Deviation[] = Object.freeze([]);

/** "Content-Length values 3 and 5 differ (conflicting-content-length at offset 17, frame 4)". */
export function deviationText(deviation: Deviation): string {
  const where = deviation.frames.length === 0 ? '' : `, ${framesText(deviation.frames)}`;
  return `${deviation.message} (${deviation.code} at offset ${deviation.offset}${where})`;
}

/** "; the server closed the connection (frame 8)" for a close-delimited response, else "". */
export function responseCloseText(response: MessageModel): string {
  return response.framing?.kind === 'close' && response.endFrame !== null ? `; the server closed the connection (frame ${response.endFrame})` : '';
}

/** How far the request got: "complete", "header section unfinished (75 B in frames 4, 6, 8)", "body 0 of 3 B". */
export function requestProgress(request: MessageModel): string {
  if (request.complete) return `the request was complete (${framesText(request.frames)})`;
  const framing = request.framing;
  if (framing === null || request.stall?.in === 'header-section') return `its header section was unfinished (${request.headSize} B in ${framesText(request.frames)})`;
  if (framing.kind === 'content-length' && framing.declared !== null) {
    return `its body was unfinished: ${framing.actualBodyBytes} of ${framing.declared} declared bytes (header section in ${framesText(request.packing.headerFrames)})`;
  }
  return `its ${framing.kind === 'chunked' ? 'chunked ' : ''}body was unfinished after ${framing.actualBodyBytes} B (${framesText(request.frames)})`;
}

/**
 * The handlers of a rule that reports deviations: for each message of each exchange, the
 * deviations `select` picks, as one finding naming the message, each deviation and its frames.
 */
export function reportDeviations(context: RuleContext, select: (message: MessageModel) => readonly Deviation[]): RuleHandlers {
  return {
    exchange(exchange) {
      for (const message of messagesOf(exchange)) {
        const found = select(message);
        if (found.length === 0) continue;
        context.report({
          message: `${describeMessage(message)}: ${found.map(deviationText).join('; ')}${nodeCitation(message)}`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: found.flatMap((d) => d.frames),
        });
      }
    },
  };
}

/** The last complete response of an open connection and its keep-alive hint (keep-alive rules). */
export interface LastResponse {
  exchange: number;
  timeout: number | null;
  frame: number;
  connectionClose: boolean;
}

/** Remembers each open connection's last complete response in `last` (the keep-alive rules' exchange handler). */
export function rememberLastResponse(last: Map<number, LastResponse>, x: ExchangeModel): void {
  if (x.response === null || x.timing.responseEnd === null) return;
  last.set(x.connection, {
    exchange: x.index,
    timeout: x.reuse.keepAlive?.timeout ?? null,
    frame: x.response.frames[0],
    connectionClose: x.reuse.connectionClose.request || x.reuse.connectionClose.response,
  });
}

/** The host part of an `ip:port` / `[v6]:port` endpoint: one client host may use many ports. */
export function hostOf(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  const host = colon < 0 ? endpoint : endpoint.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
