/**
 * Lanes reference: the scalar oracles every kernel is held to (plain loops written straight from the definitions,
 * never optimised), the tolerance rules, and the checks that need no second implementation (Freivalds' for GEMM).
 * Used by the property tests and by {@code lanes fuzz}; depends on the engine only for its tensors.
 */
module lanes.reference {
    requires transitive lanes.engine;

    exports lanes.reference;
}
