/**
 * Sockets that let a sandboxed command ask a process outside the sandbox to act for it: the Docker, Podman and
 * containerd daemons (`docker run -v /:/host` undoes any file sandbox) and the D-Bus buses (`systemd-run --user`
 * starts a program outside). A new network namespace does not cover them, since they are files. Only those that
 * exist are returned, resolved through links: bubblewrap hides a socket by binding /dev/null over it.
 */
import { resolvePath, type RootsProbe } from './index.ts';
import type { MaskedPath } from './sandbox-layout.ts';

export interface SocketEnv {
  XDG_RUNTIME_DIR?: string;
  HOME?: string;
}

export function sensitiveSockets(env: SocketEnv, probe: RootsProbe): MaskedPath[] {
  const candidates = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/run/podman/podman.sock', '/run/dbus/system_bus_socket'];
  if (env.XDG_RUNTIME_DIR) {
    candidates.push(`${env.XDG_RUNTIME_DIR}/bus`, `${env.XDG_RUNTIME_DIR}/docker.sock`, `${env.XDG_RUNTIME_DIR}/podman/podman.sock`);
  }
  if (env.HOME) candidates.push(`${env.HOME}/.docker/run/docker.sock`);
  const masked: MaskedPath[] = [];
  for (const candidate of candidates) {
    const resolved = resolvePath(candidate, probe);
    if (resolved.type !== 'resolved' || probe.kind(resolved.path) !== 'file') continue;
    if (!masked.some((entry) => entry.path === resolved.path)) masked.push({ path: resolved.path, kind: 'file' });
  }
  return masked;
}
