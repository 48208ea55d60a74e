import { describe, expect, it } from 'vitest';
import rule from '../../rules/retransmission.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, lostSegment, retransmittedRequest } from './connection-fixtures.js';

describe('retransmission', () => {
  it('is a note', () => {
    expect(rule.severity).toBe('note');
  });

  it('the request segment sent twice, 200 ms apart (synthetic)', async () => {
    expect(brief(await runRules(retransmittedRequest(), [rule]))).toEqual([
      {
        ruleId: 'retransmission',
        message: 'connection 1 (127.0.0.1:40000 → 127.0.0.1:5000): 1 retransmitted segment (client 1, server 0; first in frame 5)',
        connection: 1,
        exchange: null,
        // The retransmitted frame (the request again, 200 ms after frame 4), where a reader starts looking.
        frames: [5],
      },
    ]);
  });

  it('not for the segment held behind a hole the capture never filled (capture-gap), nor for TCP keep-alive probes (02, 03)', async () => {
    expect(await runRules(lostSegment(), [rule])).toEqual([]);
    expect(await runRules('02-keepalive-agent.pcapng', [rule])).toEqual([]);
    expect(await runRules('03-writehead-no-end.pcapng', [rule])).toEqual([]);
  });

  it('not for a spurious retransmission the receiver D-SACKed, nor for zero-window probes (52: a reader that paused)', async () => {
    // Frame 17 repeats frame 16's 47 616 B; the client's ACK in frame 18 carries a D-SACK block for them.
    expect(await runRules('52-slow-reader.pcapng', [rule])).toEqual([]);
  });
});
