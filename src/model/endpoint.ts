/** The model's way of naming an endpoint in its records. */
/** `ip:port`, with IPv6 addresses bracketed as in URLs (`[::1]:5000`). */
export function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
