import { z } from "zod";

// The hub's CSP runs no eval: zod would otherwise probe `new Function` when it builds its first object
// schema (a caught throw, but still a reported policy violation) and compile parsers with it. Imported
// first by each page, before any schema is built.
z.config({ jitless: true });
