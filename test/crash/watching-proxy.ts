/**
 * A pass-through HTTP proxy between keel and the scripted server that watches what it hands to keel. keel prints
 * nothing while a summary streams (the summary is not shown as it is written), so a test that must stop keel
 * *while* a stream comes in synchronizes here: `onForwarded` runs its callback as soon as bytes matching a
 * predicate have been written to keel's socket.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardedSoFar {
  /** 0-based, in the order requests arrived. */
  index: number;
  requestBody: string;
  /** Every response byte handed to keel so far, as text. */
  responseText: string;
}

export interface WatchingProxy {
  url: string;
  /**
   * Calls `then` once, synchronously, right after the first response chunk after which `predicate` holds was
   * written to keel's socket.
   */
  onForwarded(predicate: (sofar: ForwardedSoFar) => boolean, then: () => void): void;
  close(): Promise<void>;
}

export async function startWatchingProxy(upstream: string): Promise<WatchingProxy> {
  const target = new URL(upstream);
  const watchers: Array<{ predicate: (sofar: ForwardedSoFar) => boolean; then: () => void }> = [];
  let count = 0;
  const check = (sofar: ForwardedSoFar): void => {
    for (const watcher of [...watchers]) {
      if (!watcher.predicate(sofar)) continue;
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.then();
    }
  };
  const server: Server = createServer((incoming, outgoing) => {
    const sofar: ForwardedSoFar = { index: count++, requestBody: '', responseText: '' };
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk: Buffer) => {
          outgoing.write(chunk, () => {
            sofar.responseText += chunk.toString('utf8');
            check(sofar);
          });
        });
        answer.on('end', () => outgoing.end());
        answer.on('error', () => outgoing.destroy());
      },
    );
    // keel killed mid-stream: drop the upstream side too, so a stalled stream does not hold the server open.
    outgoing.on('close', () => forwarded.destroy());
    forwarded.on('error', () => outgoing.destroy());
    incoming.on('data', (chunk: Buffer) => (sofar.requestBody += chunk.toString('utf8')));
    incoming.pipe(forwarded);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    onForwarded(predicate, then) {
      watchers.push({ predicate, then });
    },
    close: () =>
      new Promise((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
