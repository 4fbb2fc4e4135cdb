import { describe } from "vitest";
import { announcePgSkip, pgTestTarget, TEST_DATABASE_URL } from "./databases.js";
import { repositoryContract } from "./repository-contract.js";

announcePgSkip("repositories on PostgreSQL");
describe.skipIf(!TEST_DATABASE_URL)("repositories on PostgreSQL", () => repositoryContract(pgTestTarget));
