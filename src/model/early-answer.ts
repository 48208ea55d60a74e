import type { ExchangeModel, MessageModel } from './types.js';

/**
 * The final response a server sent while the request was still unfinished (an upload refused
 * before its body was read: 413, 401), or null. The request then stops short because the server
 * closed, or the client stopped sending once answered — not because the client sent too little.
 */
export function earlyAnswer(exchange: ExchangeModel): MessageModel | null {
  const request = exchange.request;
  const response = exchange.response;
  if (request === null || response === null || request.stall === null || request.stall.until === null) return null;
  return response.times.start <= request.stall.until.time ? response : null;
}
