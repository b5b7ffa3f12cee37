// Whether a host names this machine: data sent there never crosses a network, so plaintext is no risk.

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1)$/i;

/** True for `localhost`, 127.x.y.z and ::1 (IPv6 without brackets). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
