package lanes.engine;

/**
 * The guard that turns a missing Vector API into one clear line. {@code jdk.incubator.vector} is an incubator
 * module of JDK 25+: a program on the module path that {@code requires lanes.engine} gets it, but one on the class
 * path has it only with the JVM option {@code --add-modules jdk.incubator.vector}, and without it the first vector
 * kernel fails deep in the engine with a {@code NoClassDefFoundError}. Lanes' public classes call {@link #require}
 * when they initialise, before any vector code is linked; it also reads the tuning properties there, so that a bad
 * one is one clear line too. This class itself touches no vector type.
 */
public final class VectorApi {
    /** The message, naming the option to add. */
    public static final String MISSING = "Lanes needs the Vector API, which this JVM was started without: add the"
            + " JVM option --add-modules jdk.incubator.vector (an incubator module of JDK 25 and later)";

    private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }

    /**
     * True if the Vector API module is in this JVM's boot layer.
     *
     * @return true if {@code jdk.incubator.vector} is loaded
     */
    public static boolean present() {
        return PRESENT;
    }

    /**
     * Returns normally where the Vector API is there and the {@code lanes.*} tuning properties parse
     * ({@link lanes.engine.tune.Tuning}); otherwise throws, with {@link #MISSING} or the property at fault.
     *
     * @throws IllegalStateException if this JVM was started without {@code jdk.incubator.vector}
     * @throws IllegalArgumentException if a {@code lanes.*} property has a value that does not parse
     */
    public static void require() {
        if (!PRESENT) {
            throw new IllegalStateException(MISSING);
        }
        lanes.engine.tune.Tuning.current();
    }
}
