import { describe } from "vitest";
import { sqliteTestTarget } from "./databases.js";
import { repositoryContract } from "./repository-contract.js";

describe("repositories on SQLite", () => repositoryContract(sqliteTestTarget));
