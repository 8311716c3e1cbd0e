package lanes.bench.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import lanes.engine.conv.ConvSpec;

/**
 * The convolution benchmark cases, named as in every report: LeNet-5's two convolutions, a mid-size 3x3 layer, its
 * strided (learned downsampling) variant and a 1-D time-delay layer.
 */
public record ConvCase(String name, ConvSpec spec) {
    /** Every case, in report order. */
    public static final Map<String, ConvCase> ALL = new LinkedHashMap<>();

    static {
        add("lenet.conv1", ConvSpec.conv2d(64, 1, 28, 28, 6, 5, 5).withPadding(2));
        add("lenet.conv2", ConvSpec.conv2d(64, 6, 14, 14, 16, 5, 5));
        add("mid", ConvSpec.conv2d(32, 64, 32, 32, 64, 3, 3).withPadding(1));
        add("strided", ConvSpec.conv2d(32, 64, 32, 32, 128, 3, 3).withStride(2).withPadding(1));
        add("tdnn", ConvSpec.conv1d(64, 40, 100, 64, 5));
    }

    private static void add(String name, ConvSpec spec) {
        ALL.put(name, new ConvCase(name, spec));
    }

    /** The case called {@code name}; throws naming the known cases if there is none. */
    public static ConvCase named(String name) {
        ConvCase c = ALL.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown convolution case \"" + name + "\"; known: " + ALL.keySet());
        }
        return c;
    }

    /** The passes, named as in reports. */
    public enum Pass {
        FWD("fwd", 1), BWD_DATA("bwd_data", 1), BWD_WEIGHTS("bwd_weights", 1), FWD_BWD("fwd+bwd", 3);

        /** The report name. */
        public final String label;
        /** Convolution-sized passes this one does. */
        public final int passes;

        Pass(String label, int passes) {
            this.label = label;
            this.passes = passes;
        }

        /** The pass called {@code label}. */
        public static Pass named(String label) {
            for (Pass p : values()) {
                if (p.label.equals(label) || p.name().equalsIgnoreCase(label)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown pass \"" + label + "\"; known: fwd, bwd_data, bwd_weights,"
                    + " fwd+bwd");
        }
    }

    /** FLOPs of {@code pass}: 2 N OC OH OW (C/g) KH KW per convolution-sized pass. */
    public double flops(Pass pass) {
        return spec.flops() * pass.passes;
    }
}
