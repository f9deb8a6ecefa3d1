/**
 * One command runs every suite: unit tests (no servers) and integration tests (each file starts the
 * local servers it needs on free ephemeral ports, so workers never collide).
 */
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };
const common = { testEnvironment: "node", transform, moduleFileExtensions: ["ts", "js", "json"] };

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
    },
  ],
  // Jest reads the timeout only here, not per project; unit tests finish far below it.
  testTimeout: 120000,
};
