/**
 * How numbers are written for people, the same in every command and in rule messages: durations
 * (850µs, 12.3ms, 1.204s) and sizes. Not part of the model, which keeps plain seconds and bytes.
 */
/** Seconds as a short human duration: 850µs, 12.3ms, 1.204s, 75.0s. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const abs = Math.abs(seconds);
  // Choose the unit by the *rounded* value: 0.0009999996 s is "1.0ms", not "1000µs".
  if (Math.round(abs * 1e6) < 1000) return `${Math.round(seconds * 1e6)}µs`;
  if (Math.round(abs * 1e4) < 1e4) return `${(seconds * 1e3).toFixed(1)}ms`;
  if (Math.round(abs * 1e3) < 60_000) return `${seconds.toFixed(3)}s`;
  return `${seconds.toFixed(1)}s`;
}

/** Byte counts as 512 B, 12.3 KiB, 4.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
