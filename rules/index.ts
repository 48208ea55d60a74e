/** Every built-in rule (one file per rule in this folder), in alphabetical order of id. */
import type { Rule } from '../src/lint/types.js';
import captureGap from './capture-gap.js';
import connectionPerRequest from './connection-per-request.js';
import connectionRefused from './connection-refused.js';
import connectionReset from './connection-reset.js';
import handshakeIncomplete from './handshake-incomplete.js';
import keepaliveHintTooShort from './keepalive-hint-too-short.js';
import keepaliveReuseRace from './keepalive-reuse-race.js';
import keepaliveTimeoutMismatch from './keepalive-timeout-mismatch.js';
import maxRequestsPerSocket from './max-requests-per-socket.js';
import pipelining from './pipelining.js';
import requestAfterConnectionClose from './request-after-connection-close.js';
import retransmission from './retransmission.js';
import serviceUnavailableDrop from './service-unavailable-drop.js';
import truncatedFrames from './truncated-frames.js';
import unansweredRequest from './unanswered-request.js';
import unmatchedResponse from './unmatched-response.js';

export const builtinRules: Rule[] = [
  captureGap,
  connectionPerRequest,
  connectionRefused,
  connectionReset,
  handshakeIncomplete,
  keepaliveHintTooShort,
  keepaliveReuseRace,
  keepaliveTimeoutMismatch,
  maxRequestsPerSocket,
  pipelining,
  requestAfterConnectionClose,
  retransmission,
  serviceUnavailableDrop,
  truncatedFrames,
  unansweredRequest,
  unmatchedResponse,
];
