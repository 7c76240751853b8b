/** `keel sandbox check`: what sandbox works on this machine, and if none does, what to install or enable. */
import { nodeSandboxHost, probeSandbox, type SandboxProbe } from '../sandbox/index.ts';
import { UsageError } from './usage-error.ts';

export const SANDBOX_HELP = `Usage: keel sandbox check

Probes the sandbox keel would use here (bubblewrap on Linux, Seatbelt on macOS) by running a harmless command
inside it, and prints what works and why. Exits 0 when commands can be sandboxed, 1 when they cannot.`;

export async function sandboxCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    process.stdout.write(`${SANDBOX_HELP}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] !== 'check' || argv.length > 1) throw new UsageError(`unknown sandbox command "${argv.join(' ')}": see keel sandbox --help`);
  const probe = await probeSandbox(nodeSandboxHost());
  process.stdout.write(`${describeProbe(probe)}\n`);
  return probe.type === 'available' ? 0 : 1;
}

export function describeProbe(probe: SandboxProbe): string {
  if (probe.type === 'available') {
    const network = probe.networkIsolation ? 'network can be cut off' : 'the network cannot be cut off here';
    return `sandbox: ${probe.backend} works (${probe.executable}); ${network}. ${probe.detail}`;
  }
  return `sandbox: none works here: ${probe.reason}${probe.hint ? `\nfix: ${probe.hint}` : ''}`;
}
