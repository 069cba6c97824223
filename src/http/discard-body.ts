// The rest of a request body that will not be used (it is over the route's limit) is read and thrown away before the
// 413 goes out, so a client still sending (fetch, most HTTP libraries) reads the answer instead of a reset connection.
import type { IncomingMessage } from 'node:http';

/** At most this much more is read and dropped; a client sending more has its connection closed after the answer. */
export const DISCARD_MAX_BYTES = 64 * 1024 * 1024;
/** And for at most this long (the request timeout, when shorter, still ends it first). */
export const DISCARD_MAX_MS = 10_000;

/**
 * Reads what is left of `req` and drops it. Resolves `ended` when the client finished sending, `cut` when it sent
 * more than `maxBytes` or for longer than `maxMs` (the caller's answer must then close the connection), `gone` when
 * the client went away.
 */
export function discardRest(req: IncomingMessage, maxBytes = DISCARD_MAX_BYTES, maxMs = DISCARD_MAX_MS): Promise<'ended' | 'cut' | 'gone'> {
  if (req.complete || req.readableEnded) return Promise.resolve('ended');
  if (req.destroyed) return Promise.resolve('gone');
  return new Promise((resolve) => {
    let dropped = 0;
    const finish = (outcome: 'ended' | 'cut' | 'gone') => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      if (outcome === 'cut') req.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer | string) => {
      dropped += chunk.length;
      if (dropped > maxBytes) finish('cut');
    };
    const onEnd = () => finish('ended');
    const onClose = () => finish(req.complete ? 'ended' : 'gone');
    const timer = setTimeout(() => finish('cut'), maxMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
    req.resume();
  });
}
