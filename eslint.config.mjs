import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    // A server action's signature is fixed by useActionState; `_`-named arguments are unused on purpose.
    rules: { "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_" }] },
  },
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", ".jobboard/**", "next-env.d.ts", "test-results/**", "playwright-report/**"],
  },
];

export default config;
