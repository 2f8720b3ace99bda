#!/usr/bin/env node
// Kept to syntax every Node.js with ES modules reads, so an older one can say what is wrong.
const floor = [22, 19]; // engines.node in package.json (test/package/bin-shim.test.ts checks)
const [major, minor] = process.versions.node.split(".").map(Number);
if (major > floor[0] || (major === floor[0] && minor >= floor[1])) import("../dist/cli.js");
else import("./older-node.js").then((olderNode) => olderNode.rerunOrExplain(floor));
