import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The dashboard's own files (HTML, ES modules, CSS): beside the server's source (apps/server/dashboard),
 * or beside the bundled CLI (dist/dashboard, where the build copies them with uPlot in vendor/).
 */
const ROOTS = [join(__dirname, '..', 'dashboard'), join(__dirname, 'dashboard')];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

/**
 * Only what the page loads, by name: every file under the dashboard folder with a known type, and
 * uPlot's two files. Read once at start, so a request names an entry of this map, never a path.
 */
const assets = (): ReadonlyMap<string, { readonly type: string; readonly body: Buffer }> => {
  const files = new Map<string, { type: string; body: Buffer }>();
  const ROOT = ROOTS.find((root) => existsSync(join(root, 'index.html')));
  if (ROOT === undefined) return files;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (TYPES[extname(name)] !== undefined && name !== 'tsconfig.json')
        files.set(relative(ROOT, path).split(sep).join('/'), { type: TYPES[extname(name)]!, body: readFileSync(path) });
    }
  };
  walk(ROOT);
  // uPlot, the chart library, from its package, so the page needs no network (the bundle has copies in vendor/).
  if (!files.has('vendor/uplot.min.js')) {
    const uplot = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
    files.set('vendor/uplot.min.js', { type: TYPES['.js']!, body: readFileSync(join(uplot, 'uPlot.iife.min.js')) });
    files.set('vendor/uplot.min.css', { type: TYPES['.css']!, body: readFileSync(join(uplot, 'uPlot.min.css')) });
  }
  return files;
};

/**
 * The page may load only its own files and talk only to this server; nothing inline, no frames.
 * The key an operator types stays in the tab (sessionStorage) and goes out only in the
 * Authorization header of the API calls, never in a URL.
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** Paths the dashboard serves without a key: its files carry no data (the API calls they make need one). */
export const DASHBOARD_ROUTES = ['/dashboard', '/dashboard/*'] as const;

export const dashboardRoutes = (app: FastifyInstance): void => {
  const files = assets();
  const serve = (name: string) => files.get(name);
  const headers = {
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
  const page = async (name: string, reply: FastifyReply) => {
    const file = serve(name === '' ? 'index.html' : name);
    if (file === undefined)
      return reply
        .code(404)
        .headers(headers)
        .send({ code: 'NOT_FOUND', message: `no dashboard file ${name}` });
    return reply.headers(headers).type(file.type).send(file.body);
  };
  app.get('/dashboard', async (_request, reply) => page('index.html', reply));
  app.get<{ Params: { '*': string } }>('/dashboard/*', async (request, reply) => page(request.params['*'], reply));
};
