/**
 * Why bubblewrap could not run here, and what would fix it, from its stderr and the kernel's settings. The common
 * causes (reference: user-expectations section 4, failure mode 7) each get a plain sentence and a concrete fix;
 * anything else is reported as bwrap said it.
 */

export interface BwrapDiagnosis {
  reason: string;
  hint: string;
}

export interface KernelSettings {
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns (Ubuntu 23.10+). */
  apparmorRestrictsUserns: string | null;
  /** /proc/sys/kernel/unprivileged_userns_clone (Debian's older kernels). */
  unprivilegedUsernsClone: string | null;
  /** /proc/sys/user/max_user_namespaces. */
  maxUserNamespaces: string | null;
}

const APPARMOR_HINT =
  'let bwrap create user namespaces with an AppArmor profile: write /etc/apparmor.d/bwrap containing ' +
  '"abi <abi/4.0>, include <tunables/global> profile bwrap /usr/bin/bwrap flags=(unconfined) { userns, }" ' +
  'and run "sudo apparmor_parser -r /etc/apparmor.d/bwrap" (or, for the whole machine, ' +
  '"sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0")';

export function diagnoseBwrap(stderr: string, kernel: KernelSettings): BwrapDiagnosis {
  const said = firstLine(stderr);
  const denied = /permission denied|operation not permitted|no permissions/i.test(stderr);
  if (denied && kernel.apparmorRestrictsUserns?.trim() === '1') {
    return { reason: `AppArmor restricts unprivileged user namespaces here, which bubblewrap needs (bwrap: ${said})`, hint: APPARMOR_HINT };
  }
  if (kernel.unprivilegedUsernsClone?.trim() === '0') {
    return { reason: `the kernel does not allow unprivileged user namespaces (bwrap: ${said})`, hint: 'run "sudo sysctl -w kernel.unprivileged_userns_clone=1"' };
  }
  if (kernel.maxUserNamespaces?.trim() === '0') {
    return { reason: `user namespaces are disabled (user.max_user_namespaces is 0; bwrap: ${said})`, hint: 'run "sudo sysctl -w user.max_user_namespaces=15000"' };
  }
  if (/RTM_NEWADDR|loopback/i.test(stderr)) {
    return {
      reason: `bubblewrap cannot set up a network namespace here (bwrap: ${said})`,
      hint: 'this is common in containers without CAP_NET_ADMIN; allow network access in the policy, or run keel with --sandbox danger-full-access inside a container that is itself the sandbox',
    };
  }
  if (denied || /make \/ slave|mount/i.test(stderr)) {
    return {
      reason: `bubblewrap is not allowed to create namespaces here, as in a container without them (bwrap: ${said})`,
      hint: 'inside Docker, allow namespaces (e.g. --security-opt seccomp=unconfined --security-opt apparmor=unconfined), or run keel with --sandbox danger-full-access in a container that is itself the sandbox',
    };
  }
  return { reason: `bwrap failed: ${said}`, hint: 'run the command keel printed by hand to see what bubblewrap needs' };
}

/** What to type to install bubblewrap, from /etc/os-release. */
export function installHint(osRelease: string | null): string {
  const ids = `${/^ID=(.*)$/m.exec(osRelease ?? '')?.[1] ?? ''} ${/^ID_LIKE=(.*)$/m.exec(osRelease ?? '')?.[1] ?? ''}`.replace(/"/g, '');
  if (/\b(debian|ubuntu)\b/.test(ids)) return 'sudo apt-get install -y bubblewrap';
  if (/\b(fedora|rhel|centos)\b/.test(ids)) return 'sudo dnf install -y bubblewrap';
  if (/\barch\b/.test(ids)) return 'sudo pacman -S bubblewrap';
  if (/\balpine\b/.test(ids)) return 'sudo apk add bubblewrap';
  if (/\b(suse|opensuse)\b/.test(ids)) return 'sudo zypper install bubblewrap';
  return 'install bubblewrap (the "bwrap" program) with your package manager';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() || 'no message';
}
