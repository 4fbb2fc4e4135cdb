/* One probe of isolation and timer step for the browser suite and bench:sync. */
export { readIsolation, type IsolationReport } from "../../bench/sync/isolation.js";
