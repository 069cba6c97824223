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

/** How long a connection cut off after its 413 keeps being read (and dropped) before it is closed for good. */
export const LINGER_MS = 2_000;

/**
 * Closes the connection of a client still sending (cut off by discardRest) the way servers do a lingering close:
 * the answer is written and the write side shut (FIN), and whatever the client still sends is read and dropped for
 * `ms` or until it closes its side. Closing at once, with its bytes unread, makes the kernel send a reset that can
 * overtake the answer: a client flooding at loopback speed then read nothing at all.
 */
export function lingerBeforeClosing(req: IncomingMessage, ms = LINGER_MS) {
  const socket = req.socket;
  // node:http closes a `Connection: close` response's socket with destroySoon once the answer is written.
  socket.destroySoon = () => {
    socket.end();
    req.resume(); // the parser goes on reading the body into the void
    const timer = setTimeout(() => socket.destroy(), ms);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.once('end', () => socket.destroy()); // the client stopped too
  };
}
