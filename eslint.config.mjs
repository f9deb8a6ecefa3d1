// Lint rules that hold the architecture in place: domain code stays free of Azure SDKs and I/O, and
// orchestrators stay deterministic (the durable replay engine re-runs them).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const clockAndDice = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Inject a clock; orchestrators use context.df.currentUtcDateTime." },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Inject a clock; orchestrators use context.df.currentUtcDateTime." },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: "Inject randomness; orchestrators must be deterministic." },
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "src/generated/**", "bench/results/**", ".tools/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", setImmediate: "readonly", __dirname: "readonly", require: "readonly", module: "writable" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["@azure/*", "durable-functions"], message: "src/core is domain logic: Azure SDKs belong in src/adapters." },
          { group: ["node:fs", "fs", "node:fs/*", "fs/*", "node:net", "net", "node:http", "http", "node:https", "https", "node:child_process", "child_process"], message: "src/core does no I/O: use a port." },
        ],
      }],
      "no-restricted-syntax": ["error", ...clockAndDice],
    },
  },
  {
    files: ["src/functions/orchestrations/**/*.ts"],
    rules: { "no-restricted-syntax": ["error", ...clockAndDice] },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.js", "*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
