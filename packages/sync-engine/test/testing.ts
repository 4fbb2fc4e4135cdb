/** Test helpers shared outside this package (`faults/`): the seeded PRNG of the engine's tests. */
export { seededRandom } from "./random.js";
