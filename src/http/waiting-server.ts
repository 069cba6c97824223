// While `parley serve` waits for its database at start, the port already answers: /health 200 (the process lives),
// /ready 503 with the reason, and every other request 503 in the error envelope with Retry-After. An orchestrator
// sees an instance starting, not a dead one; the real server takes the port over once the database answers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const json = (res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
};

export interface WaitingServer {
  /** The port it listens on (the one asked for, or the one the system chose for port 0). */
  port: number;
  /** Stops answering and frees the port. */
  close(): Promise<void>;
}

export async function listenWhileWaiting(port: number, host: string, reason: string): Promise<WaitingServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0].toLowerCase();
    req.resume();
    if (req.method === 'GET' && path === '/health') return json(res, 200, { Status: 'ok' });
    if (req.method === 'GET' && path === '/ready') return json(res, 503, { Status: 'unavailable', Reason: reason });
    json(
      res,
      503,
      {
        Error: true,
        ErrorType: 'SoServiceUnavailableException',
        ErrorMessage: 'Parley is starting: it waits for its database; try again shortly',
        ErrorSource: 'Parley',
      },
      { 'retry-after': '5', connection: 'close' },
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
