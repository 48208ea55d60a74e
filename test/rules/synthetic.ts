/**
 * Synthetic captures for the rules no recording shows: one connection, handshake (frames 1–3),
 * then one frame per step in order, so a test can name every frame.
 */
import { SyntheticCapture } from '../helpers/conversation.js';

export type Step = ['client' | 'server', string] | ['fin' | 'rst', 'client' | 'server'] | ['wait', number];

/** Writes a capture of one conversation to a temp file; returns its path. */
export function conversationCapture(steps: Step[]): string {
  const capture = new SyntheticCapture();
  const c = capture.conversation();
  c.handshake({ client: 1460, server: 1460 });
  for (const [what, arg] of steps) {
    if (what === 'fin') c.fin(arg as 'client' | 'server');
    else if (what === 'rst') c.rst(arg as 'client' | 'server');
    else if (what === 'wait') c.wait(arg as number);
    else c.send(what, arg as string);
  }
  return capture.writeTemp();
}
