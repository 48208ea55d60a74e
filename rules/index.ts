/** The built-in rules, alphabetical by id (one import per line, one entry per line: merges stay trivial). */
import type { Rule } from '../src/lint/types.js';
import badRequest from './bad-request.js';
import bodyNotAllowed from './body-not-allowed.js';
import conflictingFraming from './conflicting-framing.js';
import contentLengthOverrun from './content-length-overrun.js';
import contentLengthUnderrun from './content-length-underrun.js';
import duplicateHeader from './duplicate-header.js';
import emptyReply from './empty-reply.js';
import headerOverflow from './header-overflow.js';
import headersFlushedSeparately from './headers-flushed-separately.js';
import incompleteMessage from './incomplete-message.js';
import invalidChunk from './invalid-chunk.js';
import malformedMessage from './malformed-message.js';
import missingHost from './missing-host.js';
import noResponse from './no-response.js';
import requestTimeout from './request-timeout.js';
import responseStalledAfterHeaders from './response-stalled-after-headers.js';
import slowRequestHeaders from './slow-request-headers.js';
import tooManyHeaders from './too-many-headers.js';

export const builtinRules: Rule[] = [
  badRequest,
  bodyNotAllowed,
  conflictingFraming,
  contentLengthOverrun,
  contentLengthUnderrun,
  duplicateHeader,
  emptyReply,
  headerOverflow,
  headersFlushedSeparately,
  incompleteMessage,
  invalidChunk,
  malformedMessage,
  missingHost,
  noResponse,
  requestTimeout,
  responseStalledAfterHeaders,
  slowRequestHeaders,
  tooManyHeaders,
];
