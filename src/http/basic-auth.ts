/**
 * Basic auth as curl sends it: from `-u user[:password]`, else from the URL's
 * `user:password@` (percent-decoded, as typed in a URL). Pure.
 */
import { SseToolError } from "../errors.js";

/** `Basic base64(user:password)`, or undefined when neither -u nor the URL carries a user. */
export function basicAuthorization(target: URL, user: string | undefined): string | undefined {
  let credentials: string;
  if (user !== undefined) {
    credentials = user.includes(":") ? user : `${user}:`;
  } else if (target.username !== "" || target.password !== "") {
    credentials = `${percentDecoded(target.username)}:${percentDecoded(target.password)}`;
  } else {
    return undefined;
  }
  if (/[\0\r\n]/.test(credentials)) {
    throw new SseToolError("usage", "the user name or password holds a line break");
  }
  return `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
