/* global process, setInterval -- a Node script run by the pod sandbox; not type-checked by tsc. */
// Runs inside a pod sandbox's own network namespace (see src/pod-sandbox/pod-sandbox.ts): listens
// on 127.0.0.1:<port> for each port given and pipes every connection to <socket-dir>/<port>.sock,
// where the harness connects it to the same port on the host's loopback. Writes <ready-file> once
// every port listens.
//   node namespace-forwarder.mjs <ready-file> <socket-dir> <port>...
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

const [readyFile, socketDir, ...ports] = process.argv.slice(2);

// Lives as long as the pod's process: the sandbox shell started this forwarder and then exec'd
// into that process, so it is our parent; once it is gone (exited, killed) we are re-parented and
// leave too — else each ended sandbox would leave a forwarder holding its network namespace.
const podProcess = process.ppid;
setInterval(() => {
  if (process.ppid !== podProcess) process.exit(0);
}, 200);
let listening = 0;
for (const port of ports) {
  const server = createServer((inbound) => {
    const outbound = connect(join(socketDir, `${port}.sock`));
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close);
    outbound.on('error', close);
  });
  server.listen(Number(port), '127.0.0.1', () => {
    listening += 1;
    if (listening === ports.length) writeFileSync(readyFile, `${process.pid}\n`);
  });
}
