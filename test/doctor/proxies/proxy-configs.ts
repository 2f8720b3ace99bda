/**
 * Minimal configurations of real proxies in front of one origin, each with its defaults except
 * what a test adds (`extra`): a short idle timeout to measure a cut, or the fix doctor named.
 * Every file, log and pid stays in the proxy's own temporary folder.
 */
import type { RealProxySpec } from "./real-proxy.js";

/** nginx, one process in the foreground; `extra` goes into the proxied location. */
export function nginx(originPort: number, extra = ""): RealProxySpec {
  return {
    command: "nginx",
    args: (dir) => ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`],
    files: (dir, port) => ({
      "nginx.conf": `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/client; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${originPort};
      ${extra}
    }
  }
}
`,
    }),
  };
}

/** HAProxy in the foreground (-db); `extra` goes into the backend (http-response rules ...). */
export function haproxy(originPort: number, extra = "", timeoutServer = "30s"): RealProxySpec {
  return {
    command: "haproxy",
    args: (dir) => ["-db", "-f", `${dir}/haproxy.cfg`],
    files: (_dir, port) => ({
      "haproxy.cfg": `global
  log stderr format raw local0 emerg
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server ${timeoutServer}
frontend front
  bind 127.0.0.1:${port}
  default_backend origin
backend origin
  server origin 127.0.0.1:${originPort}
  ${extra}
`,
    }),
  };
}
