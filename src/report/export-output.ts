/**
 * Where an exporter's records land (see export-common.ts Emit): an Output takes `(kind, text)`
 * pieces and frames them for their destination — lines as they come (NDJSON, Zeek JSON), one HAR
 * document (HarDocument in har.ts), or one file per Zeek log in a directory. Files are created with
 * their first piece: a capture that cannot be read leaves nothing behind.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Output {
  add(kind: string, text: string): void;
  /** Everything was added: close the framing and the files. */
  end(): void;
}

/** A file's write failed: one line naming the file (exit 2). */
export class OutputFileError extends Error {
  constructor(path: string, error: NodeJS.ErrnoException) {
    super(`${path}: cannot write (${error.code ?? error.message})`);
    this.name = 'OutputFileError';
  }
}

const BATCH = 64 * 1024;

/** A file written in 64 KiB batches, opened (with its directory) on the first write. */
export class FileSink {
  private fd: number | null = null;
  private pending = '';

  constructor(readonly path: string) {}

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= BATCH) this.flush();
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    try {
      if (this.fd === null) {
        mkdirSync(dirname(this.path), { recursive: true });
        this.fd = openSync(this.path, 'w');
      }
      writeSync(this.fd, this.pending);
    } catch (error) {
      throw new OutputFileError(this.path, error as NodeJS.ErrnoException);
    }
    this.pending = '';
  }
}

/** Every piece written as is, in order (NDJSON, Zeek JSON on one stream). */
export class LinesOutput implements Output {
  constructor(
    private readonly out: (text: string) => void,
    private readonly close: () => void = () => {},
  ) {}

  add(_kind: string, text: string): void {
    this.out(text);
  }

  end(): void {
    this.close();
  }
}

/** One file per kind in `dir`: `conn.log`, `http.log`, `wirelens.log`. */
export class LogDirectory implements Output {
  private readonly files = new Map<string, FileSink>();

  constructor(private readonly dir: string) {}

  add(kind: string, text: string): void {
    let file = this.files.get(kind);
    if (file === undefined) {
      file = new FileSink(join(this.dir, `${kind}.log`));
      this.files.set(kind, file);
    }
    file.write(text);
  }

  end(): void {
    for (const file of this.files.values()) file.close();
  }
}
