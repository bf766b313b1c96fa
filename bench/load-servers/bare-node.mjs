// The ceiling: bare node:http answering a constant JSON body (no routing, no token).
import { createServer } from 'node:http';

const body = JSON.stringify({ rtcToken: '007' + 'x'.repeat(136), expire: 3600, expiresAt: 0 });
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) };
const server = createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
