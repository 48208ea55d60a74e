/**
 * The server's bytes as Node.js clients read them (lib/_http_client.js on Node's parser): one
 * agent-less request per response, each sent as the request the Node server side parsed (its
 * method: no body after HEAD or a 304, a tunnel after CONNECT or a 101 Upgrade). 1xx responses are
 * 'information' and the parser goes on to the final response. Once a response is complete the
 * client frees its parser: the rest of that chunk is still parsed (an excess byte is an 'error', a
 * second response is a "double response": the socket is destroyed and it is never delivered), and
 * the next chunk is read by the next request. At the close, a request without a response gets
 * 'socket hang up' and an unfinished response 'aborted' (both ECONNRESET).
 */
import { HTTPParser, newParser, SKIP_BODY, UPGRADE, type HttpParser } from './llhttp.js';
import { Reader, type Head } from './reader.js';
import type { NodeMessage, NodeParserSettings } from './types.js';

/** The request a Node client is reading a response for. */
interface Sent {
  method: string;
  /** `req.res`: its final response (null before it, and again after a 1xx). */
  response: NodeMessage | null;
  /** The client freed its parser (a complete final response) or destroyed the socket: the next chunk needs a new request. */
  over: boolean;
}

/** lib/_http_client.js statusIsInformational: 1xx except 101. */
const informational = (status: number) => status >= 100 && status < 200 && status !== 101;

export class ResponseReader extends Reader {
  private sent: Sent | null = null;
  /** `parser.incoming`: the last head parsed (a dropped double response included) and whether it completed. */
  private incoming: { status: number; complete: boolean } | null = null;

  constructor(
    settings: NodeParserSettings,
    /** The method of the next request the server side parsed. */
    private readonly nextMethod: () => string | undefined,
  ) {
    super(settings, HTTPParser.RESPONSE);
  }

  /** lib/_http_client.js socketOnEnd and socketCloseListener. */
  end(): void {
    const sent = this.sent;
    if (this.done || sent === null || sent.over) return;
    if (sent.response === null) {
      this.stopWith('ECONNRESET', 'socket hang up', null, null, "the request emits 'error' (ECONNRESET 'socket hang up'): no complete response");
      return;
    }
    // A body delimited by the close ends here; any other unfinished body is cut short.
    // Inside a counted body the parser has nothing to finish (see Reader.bodyLeft).
    if (!this.inUnparsedBody) this.current.finish();
    if (!sent.response.complete) this.stopWith('ECONNRESET', 'aborted', null, null, "the response emits 'aborted' and 'error' (ECONNRESET 'aborted'): the body ends short");
    this.done = true;
  }

  /** A new request on a fresh parser when the last one is over (or none was sent yet). */
  protected parserFor(): HttpParser {
    if (this.sent !== null && !this.sent.over) return this.parser as HttpParser;
    this.sent = { method: this.nextMethod() ?? 'GET', response: null, over: false };
    this.reading = null;
    this.incoming = null;
    if (this.parser !== null) {
      this.refresh(this.parser);
      return this.parser;
    }
    return this.adopt(newParser(HTTPParser.RESPONSE, this.settings));
  }

  protected override messageCompleted(): void {
    if (this.incoming !== null) this.incoming.complete = true;
  }

  /** lib/_http_client.js socketOnData after parser.execute: a complete final response frees the parser. */
  protected override parsed(): void {
    const sent = this.sent as Sent;
    const incoming = this.incoming;
    if (incoming !== null && incoming.complete && !informational(incoming.status)) sent.over = true;
  }

  /** lib/_http_client.js parserOnIncomingClient (with 'upgrade', 'connect' and 'information' listeners). */
  protected headersComplete(head: Head): number {
    const sent = this.sent as Sent;
    const status = head.statusCode ?? 0;
    this.incoming = { status, complete: false };
    if (sent.response !== null) {
      // A double response: Node destroys the socket and delivers nothing more.
      sent.over = true;
      this.reading = null;
      return 0;
    }
    if (informational(status)) {
      this.reading = this.message(true, null, null, status, head.headers);
      return SKIP_BODY;
    }
    const m = this.message(false, null, null, status, head.headers);
    sent.response = m;
    if (head.upgrade || sent.method === 'CONNECT') {
      m.complete = true;
      const connect = sent.method === 'CONNECT';
      this.halt(`the ${connect ? 'CONNECT tunnel' : 'protocol switch'}: Node hands the socket to the request's '${connect ? 'connect' : 'upgrade'}' handler`);
      return UPGRADE;
    }
    this.reading = m;
    if (sent.method === 'HEAD' || status === 304) return SKIP_BODY;
    // llhttp reads no body after a 204 whatever its Content-Length says.
    if (status === 204) m.contentLength = null;
    return 0;
  }

  protected nextAfter(code: string): string {
    return `the request emits 'error' (${code}) and the socket is destroyed`;
  }
}
