/**
 * The client's bytes as a Node.js `http.Server` reads them (lib/_http_server.js on Node's parser):
 * a request parser per connection; an Upgrade or CONNECT request hands the socket to its handler
 * (the tunnel is not parsed); an HTTP/1.1 request without Host is answered 400 and the connection
 * closed (requireHostHeader), an Expect other than 100-continue 417, neither delivered; after a
 * request without keep-alive Node closes the connection once it has answered, so later chunks are
 * never read; a parse error is 'clientError' (400/431/413 and close by default), nothing more read.
 */
import type { StreamChunk } from '../tcp/stream.js';
import { HTTPParser, METHODS, newParser, UPGRADE, type HttpParser } from './llhttp.js';
import { Queue } from './queue.js';
import { headerValues, Reader, type Head } from './reader.js';
import type { NodeParserSettings } from './types.js';

/** lib/_http_common.js continueExpression. */
const CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

export class RequestReader extends Reader {
  /** Methods of the requests parsed, oldest first, for the response reader to send in turn. */
  private readonly methods = new Queue<string>();
  /** Node closes the connection once this chunk is parsed (it has answered a request without keep-alive). */
  private closing: string | null = null;
  /** The request being read has no keep-alive: Node closes the connection when it is complete and answered. */
  private closeAfterMessage: string | null = null;

  constructor(settings: NodeParserSettings) {
    super(settings, HTTPParser.REQUEST);
  }

  /** The method of the next request a Node client would have sent (undefined: none parsed). */
  nextMethod(): string | undefined {
    return this.methods.shift();
  }

  override read(chunk: StreamChunk): void {
    super.read(chunk);
    if (this.closing !== null && !this.done) {
      this.done = true;
      this.closed = this.closing;
    }
  }

  /** lib/_http_server.js socketOnEnd: parser.finish(); an unfinished message is 'clientError'. */
  end(): void {
    if (this.done || this.parser === null) return;
    // Inside a counted body the parser was never shown (see Reader.bodyLeft): it is what llhttp says there.
    if (this.inUnparsedBody) this.stopWith('HPE_INVALID_EOF_STATE', 'Invalid EOF state', this.chunkEnd, this.chunkFrame, this.nextAfter('HPE_INVALID_EOF_STATE'));
    const result = this.current.finish();
    if (result !== undefined) this.fail(result, this.chunkEnd, this.chunkFrame);
    this.done = true;
  }

  /**
   * The server closed the socket itself before the client ended its stream (a 408, an upload
   * answered early, a destroyed socket): lib/_http_server.js abortIncoming — a request whose body
   * was unfinished emits 'aborted'; an unfinished head never became a request, and Node saw no EOF
   * to fault it with.
   */
  serverClosed(why: string): void {
    if (this.done) return;
    if (this.reading !== null && !this.reading.complete) {
      this.stopWith('ECONNRESET', 'aborted', null, null, "the request emits 'aborted' and 'error' (ECONNRESET 'aborted'): the server closed the socket with its body unfinished");
      return;
    }
    this.halt(why);
  }

  protected parserFor(): HttpParser {
    if (this.parser !== null) return this.parser;
    return this.adopt(newParser(HTTPParser.REQUEST, this.settings));
  }

  protected override messageCompleted(): void {
    if (this.closeAfterMessage !== null) this.closing = this.closeAfterMessage;
  }

  /** lib/_http_server.js parserOnIncoming, for a server with 'upgrade' and 'connect' listeners. */
  protected headersComplete(head: Head): number {
    const method = METHODS[head.method ?? -1] ?? 'GET';
    this.methods.push(method);
    const m = this.message(false, method, head.url, null, head.headers);
    this.reading = m;
    if (head.upgrade) {
      const connect = method === 'CONNECT';
      this.halt(`the ${connect ? 'CONNECT tunnel' : 'protocol switch'}: Node hands the socket to the '${connect ? 'connect' : 'upgrade'}' handler`);
      return UPGRADE;
    }
    if (head.versionMajor === 1 && head.versionMinor === 1) {
      if (headerValues(head.headers, 'host').length === 0) {
        m.refused = "not delivered: Node answers an HTTP/1.1 request without Host itself, 400 Bad Request and close (requireHostHeader)";
        this.closing = 'after its 400 to a request without Host';
        return 0;
      }
      const expect = headerValues(head.headers, 'expect');
      if (expect.length > 0 && !CONTINUE.test(expect.join(', '))) {
        m.refused = `not delivered: Node answers Expect: ${expect.join(', ')} itself, 417 Expectation Failed`;
        return 0;
      }
    }
    if (!head.shouldKeepAlive) this.closeAfterMessage = `after answering ${method} ${head.url}, a request without keep-alive`;
    return 0;
  }

  protected nextAfter(code: string): string {
    return defaultClientErrorReply(code);
  }
}

/** What a Node server without a 'clientError' listener does (lib/_http_server.js socketOnError). */
function defaultClientErrorReply(code: string): string {
  if (code === 'HPE_HEADER_OVERFLOW') return "'clientError'; by default 431 Request Header Fields Too Large and close";
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return "'clientError'; by default 413 Payload Too Large and close";
  // The client's FIN ended the stream inside a message: the socket is half-open, still writable.
  if (code === 'HPE_INVALID_EOF_STATE') return "'clientError' at the client's FIN; by default 400 Bad Request on the half-open socket, and close";
  return "'clientError'; by default 400 Bad Request and close";
}
