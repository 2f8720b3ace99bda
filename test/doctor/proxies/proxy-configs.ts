/**
 * Minimal configurations of real proxies in front of one origin, each with its defaults except
 * what a test adds (`extra`): a short idle timeout to measure a cut, or the fix doctor named.
 * Every file, log and pid stays in the proxy's own temporary folder.
 */
import { cpSync, mkdirSync, readFileSync } from "node:fs";
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

const asRoot = process.getuid?.() === 0;
const apacheModules = "/usr/lib/apache2/modules";

/** Apache httpd (mod_proxy) in the foreground, one process; `extra` at the server level. */
export function apache(originPort: number, extra = ""): RealProxySpec {
  const load = (name: string) => `LoadModule ${name}_module ${apacheModules}/mod_${name}.so`;
  return {
    command: "apache2",
    args: (dir) => ["-X", "-d", dir, "-f", `${dir}/httpd.conf`],
    files: (dir, port) => ({
      "httpd.conf": `ServerRoot ${dir}
ServerName localhost
Listen 127.0.0.1:${port}
${["mpm_event", "authz_core", "proxy", "proxy_http", "filter", "deflate", "env"].map(load).join("\n")}
${asRoot ? "User www-data\nGroup www-data" : ""}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
ProxyPass / http://127.0.0.1:${originPort}/
${extra}
`,
    }),
  };
}

/** lighttpd in the foreground (-D); `extra` at the top level, `host` options for the backend. */
export function lighttpd(originPort: number, extra = "", host = ""): RealProxySpec {
  return {
    command: "lighttpd",
    args: (dir) => ["-D", "-f", `${dir}/lighttpd.conf`],
    files: (dir, port) => ({
      "lighttpd.conf": `server.document-root = "${dir}"
server.bind = "127.0.0.1"
server.port = ${port}
server.errorlog = "${dir}/error.log"
server.modules = ("mod_proxy")
proxy.server = ("" => (("host" => "127.0.0.1", "port" => ${originPort}${host})))
${extra}
`,
    }),
  };
}

/** Varnish in the foreground (-F), its work folder in the temporary one. */
export function varnish(originPort: number, ...parameters: string[]): RealProxySpec {
  return {
    command: "varnishd",
    args: (dir, port) => [
      "-F",
      "-n",
      `${dir}/varnish`,
      "-a",
      `127.0.0.1:${port}`,
      "-b",
      `127.0.0.1:${originPort}`,
      "-s",
      "malloc,16m",
      ...parameters.flatMap((parameter) => ["-p", parameter]),
    ],
    files: () => ({}),
  };
}

/** Caddy (`caddy run`), no admin endpoint; `transport` goes into reverse_proxy's transport. */
export function caddy(originPort: number, transport = ""): RealProxySpec {
  return {
    command: "caddy",
    args: (dir) => ["run", "--config", `${dir}/Caddyfile`, "--adapter", "caddyfile"],
    env: (dir) => ({ HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir }),
    files: (dir, port) => ({
      Caddyfile: `{
  admin off
  storage file_system ${dir}/data
}
http://127.0.0.1:${port} {
  reverse_proxy 127.0.0.1:${originPort} {
    transport http {
      ${transport}
    }
  }
}
`,
    }),
  };
}

/** Squid, a forward proxy (doctor --proxy), in the foreground (-N), caching nothing. */
export function squid(extra = ""): RealProxySpec {
  return {
    command: "squid",
    args: (dir) => ["-N", "-f", `${dir}/squid.conf`],
    openDir: true,
    files: (dir, port) => ({
      "squid.conf": `http_port 127.0.0.1:${port}
http_access allow all
cache deny all
cache_mem 8 MB
pid_filename ${dir}/squid.pid
cache_log ${dir}/cache.log
access_log none
cache_store_log none
coredump_dir ${dir}
shutdown_lifetime 0 seconds
${extra}
`,
    }),
  };
}

const trafficServerDefaults = "/etc/trafficserver";

/**
 * Apache Traffic Server in the foreground, from a runroot in the folder: the package's default
 * configuration, with the port, no cache, one remap rule and `records` lines added.
 */
export function trafficServer(originPort: number, ...records: string[]): RealProxySpec {
  return {
    command: "traffic_server",
    args: (dir) => [`--run-root=${dir}`],
    prepare: (dir) => {
      for (const sub of ["etc", "run", "log", "cache"]) mkdirSync(`${dir}/${sub}`);
      cpSync(trafficServerDefaults, `${dir}/etc`, { recursive: true });
    },
    files: (dir, port) => {
      const defaults = readFileSync(`${trafficServerDefaults}/records.config`, "utf8");
      const overridden = [
        `CONFIG proxy.config.http.server_ports STRING ${port}`,
        "CONFIG proxy.config.http.cache.http INT 0",
        ...(asRoot ? ["CONFIG proxy.config.admin.user_id STRING #-1"] : []),
        ...records,
      ];
      const names = new Set(overridden.map((line) => line.split(" ")[1]));
      const kept = defaults
        .split("\n")
        .filter((line) => !names.has(line.trim().split(/\s+/)[1] ?? ""));
      const layout = {
        prefix: dir,
        exec_prefix: "/usr",
        bindir: "/usr/bin",
        sbindir: "/usr/sbin",
        sysconfdir: `${dir}/etc`,
        datadir: `${dir}/cache`,
        includedir: "/usr/include",
        libdir: "/usr/lib/trafficserver",
        libexecdir: "/usr/lib/trafficserver/modules",
        localstatedir: `${dir}/run`,
        runtimedir: `${dir}/run`,
        logdir: `${dir}/log`,
        cachedir: `${dir}/cache`,
      };
      return {
        "runroot.yaml": Object.entries(layout)
          .map(([key, value]) => `${key}: ${value}`)
          .join("\n"),
        "etc/records.config": [...kept, ...overridden, ""].join("\n"),
        "etc/remap.config": `map / http://127.0.0.1:${originPort}/\n`,
        "etc/storage.config": `${dir}/cache 16M\n`,
      };
    },
  };
}
