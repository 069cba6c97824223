// The ceiling: a bare node:http server answering the same body, built with one JSON.stringify per request.
import http from 'node:http';

const body = JSON.parse(process.env.CEILING_BODY_FILE ? (await import('node:fs')).readFileSync(process.env.CEILING_BODY_FILE, 'utf8') : '[]');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
});
