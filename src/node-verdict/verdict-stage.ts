/**
 * The node-verdict stage in the analysis: each connection's reassembled bytes go through Node's
 * own HTTP parser (request-reader.ts for the client's bytes, response-reader.ts for the server's),
 * synchronously on this thread, chunk by chunk, before the http stage sees them. So when the model
 * hands on an exchange, Node has read at least the bytes it was built from, and the verdict goes
 * onto its messages (`node`, attach.ts) on the spot: nothing is held, and memory follows the open
 * connections (two parsers each, and the few Node messages not yet matched).
 *
 * A connection picked up mid-stream is not read: Node would have read it from its first byte,
 * which the capture does not have (its messages keep node: null).
 */
import type { ModelEvents } from '../model/builder.js';
import type { ConnectionModel, ExchangeModel } from '../model/types.js';
import { firstClose } from '../model/closing.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import type { OverlapConflict, StreamChunk, StreamConsumer, StreamGap } from '../tcp/stream.js';
import { SideVerdicts } from './attach.js';
import { RequestReader } from './request-reader.js';
import { ResponseReader } from './response-reader.js';
import type { NodeParserSettings } from './types.js';

/** Why Node stopped reading a side it saw no end of. */
const HALTED = {
  request: 'the server closed the connection first: Node, the server, stopped reading the request there',
  captureEnd: 'the capture ended with the connection open: Node was still reading',
} as const;

/** Node's reading of one connection: a Node server on the client's bytes, Node clients on the server's. */
class ConnectionVerdicts {
  readonly requests: RequestReader;
  readonly responses: ResponseReader;
  private readonly client: SideVerdicts;
  private readonly server: SideVerdicts;

  constructor(settings: NodeParserSettings) {
    this.requests = new RequestReader(settings);
    this.responses = new ResponseReader(settings, () => this.requests.nextMethod());
    this.client = new SideVerdicts(this.requests, 'client');
    this.server = new SideVerdicts(this.responses, 'server');
  }

  /**
   * The connection ended (a close, or the end of the capture). The Node server sees the end of the
   * client's stream (EOF: `clientError`, 'aborted') only when the client's FIN or RST came while
   * it was still reading; when the server closed first (a 408, an upload answered early, a
   * destroyed socket) it tore the request down itself (RequestReader.serverClosed). A Node client
   * sees its socket close whoever closed it ('socket hang up', 'aborted' — its own destroy()
   * included). At the end of the capture with the connection open Node would have gone on
   * reading: what it read stands, and an unfinished message has no verdict beyond that.
   */
  end(firstCloser: 'client' | 'server' | null): void {
    if (firstCloser === 'client') this.requests.end();
    else if (firstCloser === 'server') this.requests.serverClosed(HALTED.request);
    else this.requests.halt(HALTED.captureEnd);
    if (firstCloser === null) this.responses.halt(HALTED.captureEnd);
    else this.responses.end();
    this.requests.release();
    this.responses.release();
  }

  attach(x: ExchangeModel): void {
    if (x.request !== null) x.request.node = this.client.verdictFor(x.request);
    for (const m of x.interim) m.node = this.server.verdictFor(m);
    if (x.response !== null) x.response.node = this.server.verdictFor(x.response);
  }
}

export class NodeVerdictStage {
  private readonly connections = new Map<number, ConnectionVerdicts>();

  constructor(
    private readonly settings: NodeParserSettings,
    private readonly downstream: Required<ModelEvents>,
  ) {}

  /** The model events, each exchange with its verdicts. */
  events(): Required<ModelEvents> {
    return {
      connectionOpened: (c) => this.downstream.connectionOpened(c),
      exchange: (x: ExchangeModel) => {
        this.connections.get(x.connection)?.attach(x);
        this.downstream.exchange(x);
      },
      // The connection's entry went at its close (VerdictConsumer): its record needs no verdict.
      connectionClosed: (c: ConnectionModel) => this.downstream.connectionClosed(c),
    };
  }

  /**
   * The connection's stream consumer with Node's parser in front of it: every chunk, gap and end
   * reaches Node's parser before the model, so the model's exchanges find their verdicts ready.
   */
  consumer(record: ConnectionRecord, model: StreamConsumer): StreamConsumer {
    // The model hands on every exchange of a connection by the time its close() or endOfCapture()
    // returns (the connection record comes later, once late ACKs settle): Node's reading goes then.
    if (record.midStream) return model;
    const node = new ConnectionVerdicts(this.settings);
    this.connections.set(record.id, node);
    return new VerdictConsumer(node, model, this.connections, record);
  }
}

/**
 * Node's parser in front of the model's consumer. It lets go of both at the end: a consumer is
 * sometimes reachable a while after its connection ended (from a promoted object the collector
 * has not reclaimed yet), and what it held then survived into the old generation with it — on
 * 10^5 short connections three times the survivors of the run without Node's verdict.
 */
class VerdictConsumer implements StreamConsumer {
  private readonly id: number;

  constructor(
    private node: ConnectionVerdicts | null,
    private model: StreamConsumer | null,
    /** The stage's verdicts by connection: this one's entry goes at the end. */
    private readonly connections: Map<number, ConnectionVerdicts>,
    /** Its teardown says which sides had ended their stream when the capture ended. */
    private record: ConnectionRecord | null,
  ) {
    this.id = (record as ConnectionRecord).id;
  }

  chunk(chunk: StreamChunk): void {
    const node = this.node as ConnectionVerdicts;
    (chunk.direction === 'client' ? node.requests : node.responses).read(chunk);
    this.model?.chunk(chunk);
  }

  gap(gap: StreamGap): void {
    const node = this.node as ConnectionVerdicts;
    (gap.direction === 'client' ? node.requests : node.responses).gap(gap);
    this.model?.gap(gap);
  }

  overlapConflict(conflict: OverlapConflict): void {
    this.model?.overlapConflict?.(conflict);
  }

  /** The connection closed: what Node saw of it depends on who closed first (ConnectionVerdicts.end). */
  close(time: number): void {
    this.node?.end(this.firstCloser());
    // The model hands on the connection's last exchanges now: their verdicts are still looked up.
    this.model?.close(time);
    this.end();
  }

  /** The capture ended with the connection open (or half-closed): as at a close, for what was captured of it. */
  endOfCapture(time: number): void {
    this.node?.end(this.firstCloser());
    const model = this.model;
    if (model?.endOfCapture !== undefined) model.endOfCapture(time);
    else model?.close(time);
    this.end();
  }

  /** Who sent the connection's first FIN or RST (null: neither was captured). */
  private firstCloser(): 'client' | 'server' | null {
    return firstClose(this.record as ConnectionRecord)?.by ?? null;
  }

  private end(): void {
    this.node = null;
    this.model = null;
    this.record = null;
    this.connections.delete(this.id);
  }
}

