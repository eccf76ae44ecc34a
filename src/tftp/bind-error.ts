/**
 * One-line explanations for a listener that cannot bind, so the caller can log
 * the fix and keep the rest of the application running.
 */
export function bindErrorMessage(err: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `UDP ${host}:${port}`;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return `TFTP cannot listen on ${where}: permission denied (ports below 1024 need privileges) - run as root, allow node with \`sudo setcap cap_net_bind_service=+ep $(which node)\`, or use --tftp-port 6969 for testing`;
    case 'EADDRINUSE':
      return `TFTP cannot listen on ${where}: the port is already in use (another TFTP server such as tftpd-hpa, atftpd or dnsmasq?) - stop it or choose another port, e.g. --tftp-port 6969`;
    case 'EADDRNOTAVAIL':
      return `TFTP cannot listen on ${where}: the address is not configured on this host - use one of its addresses or 0.0.0.0`;
    default:
      return `TFTP cannot listen on ${where}: ${err.message.split('\n')[0]}`;
  }
}
