import type { Plugin as EsbuildPlugin } from "esbuild";
import type { Plugin as VitePlugin } from "vitest/config";

export function bundleBrowserScript(entry: string): Promise<string>;
export const browserBundleEsbuildPlugin: EsbuildPlugin;
export function browserBundleVitePlugin(): VitePlugin;
