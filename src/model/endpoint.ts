/** The model's way of naming an endpoint in its records. */
/** `ip:port`, with IPv6 addresses bracketed as in URLs (`[::1]:5000`). */
export function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

export interface Endpoint {
  ip: string;
  port: number;
}

/** formatEndpoint's text back into its parts (the export formats give address and port apart). */
export function splitEndpoint(endpoint: string): Endpoint {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon);
  return { ip: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(endpoint.slice(colon + 1)) };
}
