/**
 * Replays one connection into Node's own `http` module, in memory: the client's bytes into an
 * `http.Server` (`server.emit('connection', socket)`), the server's bytes into `http.request`
 * (`createConnection`, no Agent), segment by segment in capture order, yielding to the event loop
 * after each so Node reacts to every segment before the next (pipelining, 100-continue, a response
 * that arrives before the request's body ends). What Node delivers and where it stops is recorded
 * per side (types.ts ConnectionOutcome); mapping it onto wirelens' messages is attach.ts's job.
 *
 * The client side issues, for each response, the request the Node server parsed from the client's
 * bytes (method, Upgrade/Connection/Expect headers), since a Node client reads a response only
 * against the request it sent (HEAD has no body, CONNECT and Upgrade end in a tunnel). Without an
 * Agent, Node reads one response per request and closes: a second response in the same segment is
 * dropped (Node's "double response"), which is what a Node client would do with those bytes.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Direction } from '../tcp/stream.js';
import type { ConnectionOutcome, NodeMessage, NodeParserSettings, NodeStop, ReplayEvent, SideOutcome } from './types.js';
import { WireSocket } from './wire-socket.js';

/** Where a Node message's head was parsed: the pushed segment (stream offsets) and its frame. */
export interface Located extends NodeMessage {
  chunkStart: number;
  chunkEnd: number;
}

interface Pushed {
  offset: number;
  end: number;
  frame: number;
}

/** The headers of a parsed request the client side must repeat for Node to read the response alike. */
interface SentRequest {
  method: string;
  headers: Record<string, string>;
}

const REPEATED_HEADERS = ['upgrade', 'connection', 'expect'] as const;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Segments remembered per side for locating Node's error (it parses the one just pushed, or one still buffered). */
const RECENT = 16;

/** One direction's bytes as Node reads them: the socket, the segments pushed, what Node did. */
abstract class Side {
  readonly messages: Located[] = [];
  stop: NodeStop | null = null;
  unknownAfter: string | null = null;
  /** Node stopped reading (an error, a tunnel, a gap): later bytes are not pushed. */
  done = false;
  /** The last segments pushed (Node's error names the one it was parsing: `rawPacket`). */
  private readonly recent: Array<{ bytes: Buffer; at: Pushed } | undefined> = new Array(RECENT);
  private recentNext = 0;
  protected current: Pushed = { offset: 0, end: 0, frame: 0 };

  outcome(): SideOutcome {
    return { messages: this.messages.map(({ chunkStart: _s, chunkEnd: _e, ...m }) => m), stop: this.stop, unknownAfter: this.unknownAfter };
  }

  located(): Located[] {
    return this.messages;
  }

  protected remember(bytes: Buffer, offset: number, frame: number): void {
    this.current = { offset, end: offset + bytes.length, frame };
    this.recent[this.recentNext] = { bytes, at: this.current };
    this.recentNext = (this.recentNext + 1) % RECENT;
  }

  private pushedAt(bytes: Buffer): Pushed | undefined {
    for (const entry of this.recent) if (entry !== undefined && entry.bytes === bytes) return entry.at;
    return undefined;
  }

  protected message(fields: Omit<NodeMessage, 'complete' | 'bodyBytes'>): Located {
    const m: Located = { ...fields, bodyBytes: 0, complete: false, chunkStart: this.current.offset, chunkEnd: this.current.end };
    this.messages.push(m);
    return m;
  }

  /** Node's error: llhttp's position is `bytesParsed` into the segment it was parsing (`rawPacket`). */
  protected stopWith(error: NodeJS.ErrnoException & { reason?: string; bytesParsed?: number; rawPacket?: Buffer }, next: string): void {
    if (this.done) return;
    this.done = true;
    const at = error.rawPacket === undefined ? undefined : this.pushedAt(error.rawPacket);
    const parsed = typeof error.bytesParsed === 'number' ? error.bytesParsed : null;
    const isParseError = typeof error.code === 'string' && error.code.startsWith('HPE_');
    const offset = !isParseError ? null : at !== undefined && parsed !== null ? at.offset + parsed : this.current.end;
    const frame = offset === null ? null : (at ?? this.current).frame;
    this.stop = {
      code: error.code ?? 'ERROR',
      reason: error.reason ?? error.message,
      offset,
      frame,
      next,
      afterMessages: this.messages.length,
    };
  }

  /** Stops reading without a verdict: what follows is unknown. */
  halt(why: string): void {
    if (this.done) return;
    this.done = true;
    this.unknownAfter = why;
  }
}

/** The client's bytes, read by a Node server. */
class ServerSide extends Side {
  readonly socket = new WireSocket();
  /** Requests parsed, for the client side to send in turn. */
  readonly sent: SentRequest[] = [];

  constructor(server: http.Server, owners: WeakMap<object, ServerSide>) {
    super();
    owners.set(this.socket, this);
    server.emit('connection', this.socket);
  }

  push(bytes: Buffer, offset: number, frame: number): void {
    this.remember(bytes, offset, frame);
    this.socket.push(bytes);
  }

  end(): void {
    this.socket.push(null);
  }

  request(req: IncomingMessage, res: ServerResponse | null, tunnel: 'upgrade' | 'connect' | null): void {
    if (this.done) return;
    const m = this.message({ interim: false, method: req.method ?? null, url: req.url ?? null, status: null, headers: req.rawHeaders.length / 2 });
    const headers: Record<string, string> = {};
    for (const name of REPEATED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    this.sent.push({ method: req.method ?? 'GET', headers });
    if (tunnel !== null) {
      m.complete = true;
      this.halt(`the ${tunnel === 'upgrade' ? 'protocol switch' : 'CONNECT tunnel'}: Node hands the socket to the '${tunnel}' handler`);
      return;
    }
    req.on('data', (chunk: Buffer) => (m.bodyBytes += chunk.length));
    req.on('end', () => {
      m.complete = true;
      res?.end();
    });
    req.on('error', (error: NodeJS.ErrnoException) => this.stopWith(error, "the request emits 'aborted' and 'error' (ECONNRESET 'aborted'): the handler sees its body end short"));
  }

  clientError(error: NodeJS.ErrnoException & { reason?: string; bytesParsed?: number; rawPacket?: Buffer }): void {
    this.stopWith(error, defaultClientErrorReply(error.code));
    this.socket.destroy();
  }
}

/** What a Node server without a 'clientError' listener does (lib/_http_server.js socketOnError). */
function defaultClientErrorReply(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return "'clientError'; by default 431 Request Header Fields Too Large and close";
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return "'clientError'; by default 413 Payload Too Large and close";
  if (code === 'ECONNRESET') return "'clientError'; by default the socket is destroyed without a reply";
  // The client's FIN ended the stream inside a message: the socket is half-open, still writable.
  if (code === 'HPE_INVALID_EOF_STATE') return "'clientError' at the client's FIN; by default 400 Bad Request on the half-open socket, and close";
  return "'clientError'; by default 400 Bad Request and close";
}

/** The server's bytes, read by Node clients: one agent-less request per response. */
class ClientSide extends Side {
  private socket: WireSocket | null = null;
  private response: IncomingMessage | null = null;
  private waiting = false;
  private readonly ended = new WeakSet<WireSocket>();

  constructor(
    private readonly settings: NodeParserSettings,
    private readonly requests: () => SentRequest | undefined,
  ) {
    super();
  }

  /** No request is reading (none yet, or the last response ended and Node closed its socket). */
  needsRequest(): boolean {
    return !this.done && (this.socket === null || this.ended.has(this.socket) || this.socket.destroyed);
  }

  push(bytes: Buffer, offset: number, frame: number): void {
    if (this.done || this.socket === null) return;
    this.remember(bytes, offset, frame);
    this.socket.push(bytes);
  }

  end(): void {
    if (this.socket !== null && !this.socket.destroyed) this.socket.push(null);
  }

  /** A response has just completed in the parser: Node ends it (and the socket) in a later tick. */
  settling(): boolean {
    return this.response !== null && this.response.complete && this.socket !== null && !this.ended.has(this.socket);
  }

  /** Issues the next request on a fresh socket, as a Node client that sent it would read the response. */
  async send(): Promise<void> {
    const sent = this.requests() ?? { method: 'GET', headers: {} };
    const socket = new WireSocket();
    this.socket = socket;
    this.response = null;
    this.waiting = true;
    const req = http.request({
      createConnection: () => socket,
      method: sent.method,
      path: '/',
      headers: sent.headers,
      setHost: false,
      insecureHTTPParser: this.settings.insecureHTTPParser,
      ...(this.settings.maxHeaderSize === null ? {} : { maxHeaderSize: this.settings.maxHeaderSize }),
    });
    req.on('information', (info: { statusCode: number; rawHeaders: string[] }) => {
      if (!this.done) this.message({ interim: true, method: null, url: null, status: info.statusCode, headers: info.rawHeaders.length / 2 }).complete = true;
    });
    req.on('response', (res: IncomingMessage) => {
      this.waiting = false;
      this.response = res;
      if (this.done) return;
      const m = this.message({ interim: false, method: null, url: null, status: res.statusCode ?? null, headers: res.rawHeaders.length / 2 });
      res.on('data', (chunk: Buffer) => (m.bodyBytes += chunk.length));
      res.on('end', () => {
        m.complete = true;
        this.ended.add(socket);
      });
      res.on('error', (error: NodeJS.ErrnoException) => this.stopWith(error, "the response emits 'aborted' and 'error' (ECONNRESET 'aborted'): the body ends short"));
    });
    const tunnel = (kind: 'upgrade' | 'connect') => (res: IncomingMessage) => {
      if (this.done) return;
      this.message({ interim: false, method: null, url: null, status: res.statusCode ?? null, headers: res.rawHeaders.length / 2 }).complete = true;
      this.halt(`the ${kind === 'upgrade' ? 'protocol switch' : 'CONNECT tunnel'}: Node hands the socket to the request's '${kind}' handler`);
    };
    req.on('upgrade', tunnel('upgrade'));
    req.on('connect', tunnel('connect'));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const hangUp = this.waiting && error.code === 'ECONNRESET';
      this.stopWith(error, hangUp ? "the request emits 'error' (ECONNRESET 'socket hang up'): no complete response" : `the request emits 'error' (${error.code ?? 'error'}) and the socket is destroyed`);
    });
    req.end();
    await turn();
  }
}

/** The replay of one connection. Feed it events in capture order, then `finish()`. */
export class ConnectionReplay {
  private readonly server: ServerSide;
  private readonly client: ClientSide;
  private sentIndex = 0;
  private lastDirection: Direction | null = null;

  constructor(
    readonly connection: number,
    nodeServer: http.Server,
    owners: WeakMap<object, ServerSide>,
    settings: NodeParserSettings,
  ) {
    this.server = new ServerSide(nodeServer, owners);
    this.client = new ClientSide(settings, () => this.server.sent[this.sentIndex++]);
  }

  /**
   * Pushes one event. Node reacts to a segment partly in later ticks (a fresh socket's first
   * 'data', a response's 'end', the request for the next response), so the replay yields to the
   * event loop where that matters — after a change of direction and after a response completed —
   * and not between the segments of one body, which Node parses synchronously as they are pushed.
   */
  feed(event: ReplayEvent): Promise<void> | undefined {
    const side = this.side(event.direction);
    if (side.done) return undefined;
    if (event.kind === 'gap') {
      side.halt(`a capture gap at offset ${event.offset} (frame ${event.frame}): the bytes Node would have read are missing`);
      return undefined;
    }
    const turned = event.direction !== this.lastDirection;
    this.lastDirection = event.direction;
    if (event.direction === 'client') {
      this.server.push(event.bytes, event.offset, event.frame);
      return turned ? turn() : undefined;
    }
    if (this.client.needsRequest()) return this.client.send().then(() => this.pushServer(event.bytes, event.offset, event.frame));
    return this.pushServer(event.bytes, event.offset, event.frame, turned);
  }

  private pushServer(bytes: Buffer, offset: number, frame: number, turned = true): Promise<void> | undefined {
    this.client.push(bytes, offset, frame);
    return turned || this.client.settling() ? turn() : undefined;
  }

  /** The connection closed (or the capture ended): Node sees the end of both streams. */
  async finish(): Promise<ConnectionOutcome & { located: Record<Direction, Located[]> }> {
    if (!this.server.done) this.server.end();
    if (!this.client.done) this.client.end();
    for (let i = 0; i < 4; i++) await turn();
    this.server.done = true;
    this.client.done = true;
    return {
      connection: this.connection,
      sides: { client: this.server.outcome(), server: this.client.outcome() },
      located: { client: this.server.located(), server: this.client.located() },
    };
  }

  private side(direction: Direction): Side {
    return direction === 'client' ? this.server : this.client;
  }
}

/** The Node server all client streams of a run are read by (never listening). */
export function replayServer(settings: NodeParserSettings): { server: http.Server; owners: WeakMap<object, ServerSide> } {
  const owners = new WeakMap<object, ServerSide>();
  const server = http.createServer({
    insecureHTTPParser: settings.insecureHTTPParser,
    ...(settings.maxHeaderSize === null ? {} : { maxHeaderSize: settings.maxHeaderSize }),
    // No timers: replayed bytes arrive faster than any timeout.
    requestTimeout: 0,
    headersTimeout: 0,
    keepAliveTimeout: 0,
    connectionsCheckingInterval: 2 ** 31 - 1,
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => owners.get(req.socket)?.request(req, res, null));
  server.on('upgrade', (req: IncomingMessage) => owners.get(req.socket)?.request(req, null, 'upgrade'));
  server.on('connect', (req: IncomingMessage) => owners.get(req.socket)?.request(req, null, 'connect'));
  // A listener replaces Node's default reply; the default is what `next` reports.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: object) => owners.get(socket)?.clientError(error));
  return { server, owners };
}
