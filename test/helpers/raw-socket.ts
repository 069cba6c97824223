// A raw TCP connection for tests that speak HTTP by hand: it records what the server sent and whether it closed.
import net from 'node:net';

export type RawSocket = net.Socket & { got: string; gone: boolean };

/** Connects to 127.0.0.1:`port`; resolves once connected (or closed), listening from the start. */
export const connectRaw = (port: number) =>
  new Promise<RawSocket>((resolve) => {
    const s = Object.assign(
      net.connect(port, '127.0.0.1', () => resolve(s)),
      { got: '', gone: false },
    );
    s.on('data', (d) => {
      s.got += d;
    });
    s.on('close', () => {
      s.gone = true;
      resolve(s);
    });
    s.on('error', () => {});
  });
