import { it } from "vitest";

// Collection stops here: the file's own top level fails before any test is declared.
await Promise.reject(new Error("the file cannot even be collected"));

it("never registered", () => {});
