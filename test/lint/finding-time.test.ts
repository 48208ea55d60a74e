import { describe, expect, it } from 'vitest';
import { findingTime } from '../../src/lint/finding-time.js';
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../../src/model/types.js';

/** Only the fields findingTime reads: frame references and the records' starts. */
const exchange = {
  connection: 3,
  index: 2,
  request: { frames: [40, 41], endFrame: 41, times: { start: 100.5, end: 100.6 }, headers: [{ name: 'X', value: 'y', offset: 0 }] },
  response: { frames: [43], endFrame: 47, times: { start: 101.25, end: 103 } },
  timing: { requestStart: 100.5 },
  before: { serverFin: { frame: 39, time: 99.75 } },
} as unknown as ExchangeModel;

const connection = {
  id: 3,
  startTime: 90,
  firstFrame: 30,
  endTime: 110,
  lastFrame: 60,
  teardown: { clientRst: { frame: 58, time: 109.5 } },
} as unknown as ConnectionModel;

describe('findingTime', () => {
  it("reads the first frame's time where the record states it: a message's first or end frame, a frame reference", () => {
    expect([findingTime(exchange, 40), findingTime(exchange, 43), findingTime(exchange, 47), findingTime(exchange, 39)]).toEqual([100.5, 101.25, 103, 99.75]);
    expect([findingTime(connection, 30), findingTime(connection, 60), findingTime(connection, 58)]).toEqual([90, 110, 109.5]);
  });

  it("falls back to the record's start for a frame it does not name, and to the capture's last frame at the end", () => {
    // Frame 42 lies inside the request's frames but only its first and end frames carry a time.
    expect([findingTime(exchange, 42), findingTime(exchange, undefined), findingTime(connection, 5)]).toEqual([100.5, 100.5, 90]);
    expect(findingTime({ lastTime: 120.25 } as CaptureSummary, undefined)).toBe(120.25);
    expect(findingTime({ lastTime: null } as CaptureSummary, 7)).toBeNull();
    expect(findingTime(null, 7)).toBeNull();
  });
});
