/**
 * `import script from "./file.ts?browser"`: the file bundled for the browser, as the text of
 * one script (scripts/browser-bundle.js does it at build time and under vitest).
 */
declare module "*?browser" {
  const script: string;
  export default script;
}
