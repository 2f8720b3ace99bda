// Preloaded into a server that listens on a fixed or env port (server-everything reads PORT):
// it listens on 127.0.0.1 instead of every interface, and says which port it got.
import http from "node:http";

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  this.once("listening", () => {
    process.stderr.write(`listening on port ${this.address().port}\n`);
  });
  const callback = rest.find((item) => typeof item === "function");
  return listen.call(this, Number(port), "127.0.0.1", callback);
};
