/** Scalar reference implementations: plain loops written straight from the definitions, never optimised. */
module lanes.tests {
    requires transitive lanes.engine;

    exports lanes.tests.reference;
}
