/**
 * For `npm run test:mutation` only (loaded with `node --import`): Stryker's TypeScript checker
 * and its sandbox's tsconfig rewriting drive the compiler through its JavaScript API
 * (`import ts from "typescript"`), which the project's TypeScript 7 (the native compiler) does
 * not have. This hook hands Stryker's own modules the JavaScript compiler installed under the
 * `typescript-6` alias; everything else, `tsc` and the tests included, keeps resolving
 * `typescript` to the project's own.
 */
import { registerHooks } from "node:module";

const strykerModules = "/node_modules/@stryker-mutator/";

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === "typescript" && context.parentURL?.includes(strykerModules)) {
      return nextResolve("typescript-6", context);
    }
    return nextResolve(specifier, context);
  },
});
