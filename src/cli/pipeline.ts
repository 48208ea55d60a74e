import type { Frame } from '../capture/frame.js';
import { readCapture, type ReadResult } from '../capture/source.js';
import { Decoder } from '../decode/decoder.js';
import { guessHttpRole } from '../http/role.js';
import { TcpTracker, type TrackerOptions } from '../tcp/tracker.js';

export interface TcpAnalysis {
  read: ReadResult;
  decoder: Decoder;
  tracker: TcpTracker;
  /** Time of the capture's first and last frame (null for an empty capture). */
  firstTime: number | null;
  lastTime: number | null;
}

/**
 * capture → decode → tcp over one file (or '-' for stdin). Never throws for a broken file: the
 * error comes back in `read.error` after everything before the damage went through the pipeline.
 */
export interface PipelineHooks {
  /** After each frame went through decode and tcp (with the frame's capture time). */
  afterFrame?(time: number): void;
  /** After the last frame, before open connections are flushed as ended by the capture. */
  beforeFinish?(): void;
}

export async function analyseTcp(path: string, trackerOptions: TrackerOptions = {}, hooks: PipelineHooks = {}): Promise<TcpAnalysis> {
  const decoder = new Decoder();
  // The http stage places connections picked up mid-stream (a request line is the client's).
  const tracker = new TcpTracker({ guessRole: guessHttpRole, ...trackerOptions });
  let firstTime: number | null = null;
  // The last frame itself, not its time: storing a float in a closure variable on every frame
  // would box a new number each time.
  let last: Frame | null = null;
  const afterFrame = hooks.afterFrame;
  const read = await readCapture(path, (frame) => {
    if (firstTime === null) firstTime = frame.time;
    last = frame;
    const segment = decoder.decode(frame);
    if (segment !== null) tracker.push(segment);
    if (afterFrame !== undefined) afterFrame.call(hooks, frame.time);
  });
  hooks.beforeFinish?.();
  tracker.finish();
  return { read, decoder, tracker, firstTime, lastTime: timeOf(last) };
}

function timeOf(frame: Frame | null): number | null {
  return frame === null ? null : frame.time;
}
