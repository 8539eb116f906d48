/**
 * Local SES v2 for outbound mail: `aws-ses-v2-local` serves the real SendEmail API (the
 * deliver function's SDK client reaches it through AWS_ENDPOINT_URL_SESV2), keeps the mail
 * in memory and shows it in a web page; `GET /store` lists it as JSON.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

export interface SesEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
}

type Start = (config: { host: string; port: number }) => Promise<Server>;

export async function startSesEmulator(opts: { host: string; port?: number }): Promise<SesEmulator> {
  // A CommonJS module with `exports.default`: under ESM the function is either the default or its `.default`.
  const mod = sesLocal as unknown as Start | { default: Start };
  const start: Start = typeof mod === 'function' ? mod : mod.default;
  const server = await start({ host: opts.host, port: opts.port ?? 0 });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
