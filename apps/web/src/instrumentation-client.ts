import { z } from "zod";

// Runs before any of the app's modules (Next requires this file first). The page's CSP forbids
// eval, so zod's compiled parsers are never available in the browser; without `jitless` zod probes
// with `new Function` when the protocol package builds its schemas, which the browser reports as a
// CSP violation even though zod catches the error and parses without compiling.
z.config({ jitless: true });
