/** Every built-in rule (one file per rule in this folder), alphabetical by id: one import and one entry per line. */
import type { Rule } from '../src/lint/types.js';
import badRequest from './bad-request.js';
import bodyNotAllowed from './body-not-allowed.js';
import captureGap from './capture-gap.js';
import conflictingFraming from './conflicting-framing.js';
import connectionPerRequest from './connection-per-request.js';
import connectionRefused from './connection-refused.js';
import connectionReset from './connection-reset.js';
import contentLengthOverrun from './content-length-overrun.js';
import contentLengthUnderrun from './content-length-underrun.js';
import duplicateHeader from './duplicate-header.js';
import emptyReply from './empty-reply.js';
import handshakeIncomplete from './handshake-incomplete.js';
import headerOverflow from './header-overflow.js';
import headersFlushedSeparately from './headers-flushed-separately.js';
import incompleteMessage from './incomplete-message.js';
import invalidChunk from './invalid-chunk.js';
import keepaliveHintTooShort from './keepalive-hint-too-short.js';
import keepaliveReuseRace from './keepalive-reuse-race.js';
import keepaliveTimeoutMismatch from './keepalive-timeout-mismatch.js';
import malformedMessage from './malformed-message.js';
import maxRequestsPerSocket from './max-requests-per-socket.js';
import missingHost from './missing-host.js';
import noResponse from './no-response.js';
import nodeParserError from './node-parser-error.js';
import pipelining from './pipelining.js';
import requestAfterConnectionClose from './request-after-connection-close.js';
import requestTimeout from './request-timeout.js';
import responseStalledAfterHeaders from './response-stalled-after-headers.js';
import retransmission from './retransmission.js';
import serviceUnavailableDrop from './service-unavailable-drop.js';
import slowRequestHeaders from './slow-request-headers.js';
import tooManyHeaders from './too-many-headers.js';
import truncatedFrames from './truncated-frames.js';
import unansweredRequest from './unanswered-request.js';
import unmatchedResponse from './unmatched-response.js';

export const builtinRules: Rule[] = [
  badRequest,
  bodyNotAllowed,
  captureGap,
  conflictingFraming,
  connectionPerRequest,
  connectionRefused,
  connectionReset,
  contentLengthOverrun,
  contentLengthUnderrun,
  duplicateHeader,
  emptyReply,
  handshakeIncomplete,
  headerOverflow,
  headersFlushedSeparately,
  incompleteMessage,
  invalidChunk,
  keepaliveHintTooShort,
  keepaliveReuseRace,
  keepaliveTimeoutMismatch,
  malformedMessage,
  maxRequestsPerSocket,
  missingHost,
  noResponse,
  nodeParserError,
  pipelining,
  requestAfterConnectionClose,
  requestTimeout,
  responseStalledAfterHeaders,
  retransmission,
  serviceUnavailableDrop,
  slowRequestHeaders,
  tooManyHeaders,
  truncatedFrames,
  unansweredRequest,
  unmatchedResponse,
];
