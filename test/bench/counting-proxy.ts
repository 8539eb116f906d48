import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy that counts AWS API requests by action
 * (`X-Amz-Target: AmazonSQS.SendMessage` → `SendMessage`). The benchmark puts it in
 * front of the SQS emulator so queue requests per message are counted, not guessed.
 */
export async function startCountingProxy(target: string): Promise<{ url: string; counts: Map<string, number>; stop(): Promise<void> }> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const action = String(req.headers['x-amz-target'] ?? 'other').split('.').pop() ?? 'other';
    counts.set(action, (counts.get(action) ?? 0) + 1);
    const out = request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
