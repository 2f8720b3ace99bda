/** The environment variables that name a proxy (NO_PROXY only exempts hosts from them). */
const proxyVariables = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/** Whether the environment names a proxy for requests. */
export function proxyInEnvironment(env: Record<string, string | undefined>): boolean {
  return proxyVariables.some((name) => env[name]);
}
