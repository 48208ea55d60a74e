/**
 * The closed connections still in the table, oldest first: a closed connection stays findable
 * while late segments may still come (the last ACK, a retransmitted FIN: tshark counts them in
 * the same stream), and leaves when it has been quiet for the settle period or when too many are
 * waiting. A doubly linked list threaded through the sessions themselves, so every operation is
 * O(1) and nothing is allocated per frame: touch() on each frame of a closed connection moves it
 * to the newest end, and the tracker checks only the oldest against the current frame's time.
 */

/** The fields a member carries for the list (owned by SettlingList; initialise to null / 0 / false). */
export interface SettlingLink<T extends SettlingLink<T>> {
  settleOlder: T | null;
  settleNewer: T | null;
  /** Capture time of the member's last frame since it closed. */
  settleSince: number;
  /** The list the member is in (a member is in one list at most). */
  settlingIn: SettlingList<T> | null;
}

export class SettlingList<T extends SettlingLink<T>> {
  private head: T | null = null;
  private tail: T | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The member quiet for the longest (null when empty). */
  get oldest(): T | null {
    return this.head;
  }

  /** Adds `node` (or moves it, from this list or another) to the newest end, quiet since `time`. */
  touch(node: T, time: number): void {
    node.settleSince = time;
    if (node.settlingIn === this) {
      if (node === this.tail) return;
      this.unlink(node);
    } else {
      node.settlingIn?.remove(node);
    }
    node.settlingIn = this;
    node.settleOlder = this.tail;
    node.settleNewer = null;
    if (this.tail === null) this.head = node;
    else this.tail.settleNewer = node;
    this.tail = node;
    this.count++;
  }

  /** Takes `node` out of the list (no-op when it is not in it). */
  remove(node: T): void {
    if (node.settlingIn !== this) return;
    this.unlink(node);
    node.settlingIn = null;
  }

  private unlink(node: T): void {
    const older = node.settleOlder;
    const newer = node.settleNewer;
    if (older === null) this.head = newer;
    else older.settleNewer = newer;
    if (newer === null) this.tail = older;
    else newer.settleOlder = older;
    node.settleOlder = node.settleNewer = null;
    this.count--;
  }
}
