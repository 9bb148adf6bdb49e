// Connection settings of the test servers and a quick "does it answer" probe, so driver tests
// skip with a printed reason instead of failing or passing silently when a server is missing.
import net from 'node:net';

export const PGURL = process.env.PGURL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';

/** null when something listens at the URL's host:port, else the reason to print when skipping. */
export function unreachable(url: string, defaultPort: number): Promise<string | null> {
  let host = '127.0.0.1';
  let port = defaultPort;
  try { const u = new URL(url); host = u.hostname || host; port = Number(u.port) || defaultPort; } catch { /* defaults */ }
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (why: string | null) => { s.destroy(); resolve(why); };
    s.setTimeout(2000, () => done(`no server answered at ${host}:${port} within 2 s`));
    s.once('connect', () => done(null));
    s.once('error', (e) => done(`no server at ${host}:${port} (${(e as NodeJS.ErrnoException).code ?? e.message})`));
  });
}
