// The JavaScript suites' one way to pick a loopback port nobody listens on right now (bound,
// read, closed). Another process could take it before the caller binds it; callers that start a
// server on it retry or fail with a clear message.
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}
